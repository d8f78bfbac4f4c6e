/* global process, console */
/**
 * `npm run test:mutation [-- module…]`: one Stryker run per module of stryker.config.mjs (all when none is
 * named), then the score of each: killed (or timed out) among the mutants that ran. Not part of CI.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MUTATION_MODULES } from './modules.mjs';

const GOAL = 90;
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in MUTATION_MODULES));
if (unknown.length > 0) {
	console.error(`Unknown module(s): ${unknown.join(', ')}. Known: ${Object.keys(MUTATION_MODULES).join(', ')}`);
	process.exit(2);
}
const modules = requested.length > 0 ? requested : Object.keys(MUTATION_MODULES);

/** Killed, survived and the score of one module's JSON report (mutation-testing-report-schema). */
function scoreOf(name) {
	const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8'));
	const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
	for (const file of Object.values(report.files)) for (const mutant of file.mutants) if (mutant.status in count) count[mutant.status]++;
	const detected = count.Killed + count.Timeout;
	const valid = detected + count.Survived + count.NoCoverage;
	return { detected, valid, survived: count.Survived + count.NoCoverage, score: valid === 0 ? 100 : (100 * detected) / valid };
}

const rows = [];
for (const name of modules) {
	console.log(`\n=== Mutation testing: ${name} ===`);
	const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, MUTATION_MODULE: name } });
	if (run.status !== 0) {
		rows.push({ name, text: `failed to run (exit ${String(run.status)})`, below: true });
		continue;
	}
	const { detected, valid, survived, score } = scoreOf(name);
	rows.push({ name, text: `${score.toFixed(1)}% (${detected} of ${valid} killed, ${survived} survived)`, below: score < GOAL });
}

console.log('\nMutation score per module (goal: at least 90% killed):');
for (const { name, text, below } of rows) console.log(`  ${below ? '✗' : '✓'} ${name.padEnd(14)} ${text}`);
console.log('Reports: reports/mutation/<module>.html');
process.exitCode = rows.some((row) => row.below) ? 1 : 0;
