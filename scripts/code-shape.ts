/**
 * Counts the shape of the production code (`src/` and `plugins/`): how plugins reach the core and
 * each other, non-null assertions and type assertions, and long files. Used to report how a
 * refactoring moved these figures; it reads files and changes nothing.
 *
 *   npm run code-shape            prints the figures
 *   npm run code-shape -- --json  the same as JSON
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const PRODUCTION_ROOTS = ['src', 'plugins'];
const LONG_FILE_LINES = 300;

function sourceFiles(directory: string): string[] {
	const files: string[] = [];
	for (const entry of readdirSync(directory)) {
		const path = join(directory, entry);
		if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
		else if (path.endsWith('.ts') && !path.endsWith('.d.ts') && !path.includes('.test.')) files.push(path);
	}
	return files;
}

interface Shape {
	deepImportsIntoSrc: number;
	crossPluginInternalImports: number;
	nonNullAssertions: number;
	typeAssertions: number;
	filesOverLongLimit: string[];
}

/** `plugins/<name>/...` → `<name>`; anything else → undefined. */
function pluginOf(file: string): string | undefined {
	const parts = relative(ROOT, file).split(sep);
	return parts[0] === 'plugins' ? parts[1] : undefined;
}

function measure(): Shape {
	const shape: Shape = { deepImportsIntoSrc: 0, crossPluginInternalImports: 0, nonNullAssertions: 0, typeAssertions: 0, filesOverLongLimit: [] };
	for (const file of PRODUCTION_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root)))) {
		const text = readFileSync(file, 'utf8');
		if (text.split('\n').length > LONG_FILE_LINES) shape.filesOverLongLimit.push(relative(ROOT, file));
		const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
		const plugin = pluginOf(file);
		const visit = (node: ts.Node): void => {
			if (ts.isNonNullExpression(node)) shape.nonNullAssertions += 1;
			// `as const` asserts nothing about a value's type; it only narrows a literal.
			if (ts.isAsExpression(node) && !(ts.isTypeReferenceNode(node.type) && node.type.getText() === 'const')) shape.typeAssertions += 1;
			if (ts.isTypeAssertionExpression(node)) shape.typeAssertions += 1;
			if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
				const specifier = node.moduleSpecifier.text;
				if (plugin !== undefined && specifier.startsWith('.')) {
					const target = relative(ROOT, resolve(dirname(file), specifier)).split(sep);
					if (target[0] === 'src') shape.deepImportsIntoSrc += 1;
					// A plugin's one public file (`plugins/<name>/api.ts`) is its contract; anything else is an internal.
					if (target[0] === 'plugins' && target[1] !== plugin && target.slice(2).join('/') !== 'api.js')
						shape.crossPluginInternalImports += 1;
				}
			}
			ts.forEachChild(node, visit);
		};
		visit(source);
	}
	return shape;
}

const shape = measure();
if (process.argv.includes('--json')) {
	process.stdout.write(`${JSON.stringify(shape, null, '\t')}\n`);
} else {
	process.stdout.write(
		[
			`deep imports from plugins into src/: ${shape.deepImportsIntoSrc}`,
			`imports of another plugin's internals: ${shape.crossPluginInternalImports}`,
			`non-null assertions: ${shape.nonNullAssertions}`,
			`type assertions (as, <T>; not as const): ${shape.typeAssertions}`,
			`files over ${LONG_FILE_LINES} lines: ${shape.filesOverLongLimit.length}${shape.filesOverLongLimit.length > 0 ? ` (${shape.filesOverLongLimit.join(', ')})` : ''}`
		].join('\n') + '\n'
	);
}
