// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/**
 * The edge between the core and its plugins: a plugin reaches the core only through `#sdk`, and
 * another plugin only through that plugin's `api.ts`. Written here rather than with an import
 * plugin's path zones because it needs no module resolver: a relative specifier names its target.
 * @type {import('eslint').Rule.RuleModule}
 */
const pluginBoundaries = {
	meta: {
		type: 'problem',
		schema: [],
		messages: {
			core: 'Plugins use the core through "#sdk" only, not "{{specifier}}".',
			plugin: 'Use another plugin through its api.ts only, not "{{specifier}}".'
		}
	},
	create(context) {
		const own = relative(ROOT, context.filename).split(sep);
		if (own[0] !== 'plugins') return {};
		/** @param {import('estree').Node & { source?: import('estree').Literal | null }} node */
		const check = (node) => {
			const specifier = node.source?.value;
			if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
			const target = relative(ROOT, resolve(dirname(context.filename), specifier)).split(sep);
			if (target[0] === 'src') context.report({ node, messageId: 'core', data: { specifier } });
			else if (target[0] === 'plugins' && target[1] !== own[1] && !(target.length === 3 && /^api\.[jt]s$/.test(target[2] ?? '')))
				context.report({ node, messageId: 'plugin', data: { specifier } });
		};
		return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
	}
};

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
		plugins: { project: { rules: { 'plugin-boundaries': pluginBoundaries } } },
		rules: { 'project/plugin-boundaries': 'error' }
	},
	{
		// A non-null assertion hides a missing value instead of handling it: production code narrows (a check with a clear error,
		// a guard, destructuring). Tests and benchmarks may still assert what they have just set up.
		files: ['src/**/*.ts', 'plugins/**/*.ts', 'scripts/**/*.ts'],
		rules: { '@typescript-eslint/no-non-null-assertion': 'error' }
	},
	{
		// Tests and benchmarks print their figures and skip notices.
		files: ['tests/**/*.ts', 'bench/**/*.ts'],
		rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' }
	}
);
