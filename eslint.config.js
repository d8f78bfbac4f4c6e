// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** The test helpers and stand-ins under tests/ that a plugin's own tests may use. */
const SHARED_TEST_FOLDERS = new Set(['helpers', 'harness']);

/** `plugins/<name>/tests/…`: a plugin's own tests, which may import the plugin's internals. */
const isPluginTest = (/** @type {string[]} */ own) => own[0] === 'plugins' && own[2] === 'tests';

/** A plugin's public files: its handle (`plugin.ts`) and what it offers other plugins (`api.ts`). */
const isPluginSurface = (/** @type {string[]} */ target) => target.length === 3 && /^(plugin|api)\.[jt]s$/.test(target[2] ?? '');

/**
 * The edge between the core and its plugins: a plugin reaches the core only through `#sdk`, and
 * another plugin only through that plugin's `api.ts`. Written here rather than with an import
 * plugin's path zones because it needs no module resolver: a relative specifier names its target.
 * A plugin's own tests (`plugins/<name>/tests/`) set the core up around the plugin, so they may import
 * `src/` and the shared test helpers and stand-ins (`tests/helpers`, `tests/harness`); never another
 * plugin's internals, nor other test files. The plugin's production code imports nothing under tests/.
 * @type {import('eslint').Rule.RuleModule}
 */
const pluginBoundaries = {
	meta: {
		type: 'problem',
		schema: [],
		messages: {
			core: 'Plugins use the core through "#sdk" only, not "{{specifier}}".',
			plugin: 'Use another plugin through its api.ts only, not "{{specifier}}".',
			tests: 'A plugin uses nothing under tests/ but, in its own tests, tests/helpers and tests/harness; not "{{specifier}}".'
		}
	},
	create(context) {
		const own = relative(ROOT, context.filename).split(sep);
		if (own[0] !== 'plugins') return {};
		const test = isPluginTest(own);
		/** @param {import('estree').Node & { source?: import('estree').Literal | null }} node */
		const check = (node) => {
			const specifier = node.source?.value;
			if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
			const target = relative(ROOT, resolve(dirname(context.filename), specifier)).split(sep);
			if (target[0] === 'src' && !test) context.report({ node, messageId: 'core', data: { specifier } });
			else if (target[0] === 'tests' && !(test && SHARED_TEST_FOLDERS.has(target[1] ?? '')))
				context.report({ node, messageId: 'tests', data: { specifier } });
			else if (target[0] === 'plugins' && target[1] !== own[1] && !(target.length === 3 && /^api\.[jt]s$/.test(target[2] ?? '')))
				context.report({ node, messageId: 'plugin', data: { specifier } });
		};
		return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
	}
};

/**
 * Tests under tests/ reach a plugin only through its public surfaces: its handle (`plugin.ts`: settings,
 * storage, services()) and its `api.ts`, besides Discord, the HTTP API and Kaltura's webhooks. A test of a
 * plugin's internals lives in the plugin (`plugins/<name>/tests/`). `exceptions` names, per test file, the
 * private modules it may still import, for a state nothing public can set up.
 * @type {import('eslint').Rule.RuleModule}
 */
const testSurfaces = {
	meta: {
		type: 'problem',
		schema: [
			{
				type: 'object',
				properties: { exceptions: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
				additionalProperties: false
			}
		],
		messages: {
			internal:
				'Tests outside a plugin use it through its plugin.ts or api.ts only, not "{{specifier}}"; a test of its internals belongs in plugins/<name>/tests/.'
		}
	},
	create(context) {
		const own = relative(ROOT, context.filename).split(sep);
		if (own[0] !== 'tests') return {};
		/** @type {Record<string, string[]>} */
		const exceptions = context.options[0]?.exceptions ?? {};
		const allowed = new Set(exceptions[own.join('/')] ?? []);
		/** @param {import('estree').Node & { source?: import('estree').Literal | null }} node */
		const check = (node) => {
			const specifier = node.source?.value;
			if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
			const target = relative(ROOT, resolve(dirname(context.filename), specifier)).split(sep);
			if (target[0] !== 'plugins' || isPluginSurface(target) || allowed.has(target.join('/'))) return;
			context.report({ node, messageId: 'internal', data: { specifier } });
		};
		return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
	}
};

/**
 * The private plugin modules a test under tests/ may still import, by test file, each for a state that no
 * public surface can set up (say which in a comment). Keep this short: prefer the plugin's handle, its api.ts,
 * Discord, the HTTP API or Kaltura's webhooks, or move a test of internals into the plugin.
 * @type {Record<string, string[]>}
 */
const PRIVATE_IMPORTS_OF_TESTS = {};

/** This project's own rules, as one ESLint plugin (defined once: flat config refuses two definitions of one plugin name). */
const project = { rules: { 'plugin-boundaries': pluginBoundaries, 'test-surfaces': testSurfaces } };

export default tseslint.config(
	{ ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '.stryker-tmp/', 'reports/'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			'no-console': 'error'
		}
	},
	{
		files: ['plugins/**/*.ts', 'plugins/**/*.js'],
		plugins: { project },
		rules: { 'project/plugin-boundaries': 'error' }
	},
	{
		files: ['tests/**/*.ts', 'tests/**/*.js', 'tests/**/*.mjs'],
		plugins: { project },
		rules: { 'project/test-surfaces': ['error', { exceptions: PRIVATE_IMPORTS_OF_TESTS }] }
	},
	{
		// A non-null assertion hides a missing value instead of handling it: production code narrows (a check with a clear error,
		// a guard, destructuring). Tests and benchmarks may still assert what they have just set up.
		files: ['src/**/*.ts', 'plugins/**/*.ts', 'scripts/**/*.ts'],
		rules: { '@typescript-eslint/no-non-null-assertion': 'error' }
	},
	{
		// Tests and benchmarks print their figures and skip notices.
		files: ['tests/**/*.ts', 'plugins/*/tests/**/*.ts', 'bench/**/*.ts'],
		rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' }
	}
);
