/**
 * `npm run licenses`: writes docs/dependency-licenses.md, the licence of every package that ships with the bot.
 * `npm run licenses -- --check` (CI): writes nothing and exits 1, naming each package, when a licence is not
 * allowed (scripts/licenses/policy.ts) or the checked-in list is not the one the installed packages produce.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLicenses } from './licenses/check.js';
import { collectRuntimeLicenses } from './licenses/collect.js';
import { LICENSE_POLICY } from './licenses/policy.js';

const LIST_PATH = 'docs/dependency-licenses.md';
const USAGE = 'usage: npm run licenses [-- --check]';

function main(args: readonly string[]): number {
	const unknown = args.filter((arg) => arg !== '--check');
	if (unknown.length > 0) {
		process.stderr.write(`unknown argument ${unknown.join(' ')}\n${USAGE}\n`);
		return 2;
	}
	const checkOnly = args.includes('--check');
	const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
	const listFile = join(rootDir, LIST_PATH);
	const collected = collectRuntimeLicenses(rootDir);
	const checkedIn = existsSync(listFile) ? readFileSync(listFile, 'utf8') : undefined;
	const result = checkLicenses({ entries: collected.entries, checkedIn, listPath: LIST_PATH, policy: LICENSE_POLICY });
	// When writing, the list is brought up to date, so only the licence problems remain.
	const problems = [...collected.problems, ...result.problems.filter((problem) => checkOnly || !problem.startsWith(LIST_PATH))];
	if (!checkOnly && checkedIn !== result.list) {
		writeFileSync(listFile, result.list);
		process.stdout.write(`wrote ${LIST_PATH}\n`);
	}
	if (problems.length > 0) {
		process.stderr.write(`licence check failed:\n${problems.map((problem) => `  ${problem}\n`).join('')}`);
		return 1;
	}
	const count = new Set(collected.entries.map((entry) => `${entry.name}@${entry.version}`)).size;
	process.stdout.write(`${count} runtime packages, every licence allowed; ${LIST_PATH} is up to date\n`);
	return 0;
}

process.exitCode = main(process.argv.slice(2));
