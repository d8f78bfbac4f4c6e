// @ts-check
/* global process */
/**
 * Mutation testing of the modules that guard security and correctness (`npm run test:mutation`, not in CI).
 *
 * One Stryker run per module, each with only the test files that exercise it, so a run takes minutes:
 * `tests/mutation/run.mjs` runs them in turn (or those named: `npm run test:mutation -- redaction ks`) and
 * prints the score of each. The modules and their tests are listed in tests/mutation/modules.mjs; this file
 * reads the one to run from MUTATION_MODULE.
 *
 * The command runner is used: the project is ESM under tsx and on mocha 12, which the mocha runner of the
 * StrykerJS line that runs on Node 20 (9.x) does not accept. Stryker places every mutant in the code at once
 * and names the active one in `__STRYKER_ACTIVE_MUTANT__`, which the test process (and a bot it spawns) reads.
 */

import { MUTATION_MODULES } from './tests/mutation/modules.mjs';

const name = process.env.MUTATION_MODULE ?? '';
const selected = MUTATION_MODULES[name];
if (selected === undefined)
	throw new Error(
		`MUTATION_MODULE must be one of ${Object.keys(MUTATION_MODULES).join(', ')} (got "${name}"); run it through npm run test:mutation`
	);

// Node flags given to node itself, not to mocha: mocha would spawn a second process for them on every mutant.
const mocha = [
	'node --import tsx --no-experimental-require-module node_modules/mocha/bin/mocha.js',
	'--no-config --extension ts --timeout 20000 --exit --bail'
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
	testRunner: 'command',
	commandRunner: { command: [...mocha, ...selected.tests].join(' ') },
	mutate: selected.mutate,
	// Only what the tests load is copied to the sandbox.
	ignorePatterns: ['/dist', '/data', '/docs', '/bench', '/coverage', '/.ci', '*.log', '/Dockerfile'],
	tempDirName: '.stryker-tmp',
	cleanTempDir: 'always',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	htmlReporter: { fileName: `reports/mutation/${name}.html` },
	jsonReporter: { fileName: `reports/mutation/${name}.json` },
	clearTextReporter: { allowColor: false, logTests: false },
	thresholds: { high: 90, low: 80, break: null },
	timeoutMS: 20000,
	concurrency: 2
};
