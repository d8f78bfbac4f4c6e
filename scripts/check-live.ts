/**
 * `npm run check:live [-- --channel <channel id>] [--json]`
 *
 * A short, safe round trip against the real Kaltura and Discord with the bot's own environment (`.env` is read as
 * `npm start` does), before going live: a Kaltura session from the configured source (and the members' one),
 * media.list, a schedule resource and event made and deleted again, the webhook templates; on Discord the
 * login, the application and its commands, and a message posted in the named channel and deleted again.
 * Prints a table of each step with the fix for each failure (docs/operator-guide.md); no secret is printed.
 * Exit code 0 when no step failed, 1 when one did, 2 for a usage error.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EnvironmentError, parseEnvironment } from '../src/core/env.js';
import { exitCodeOf, formatJson, formatReport, type StepResult } from './check-live/report.js';
import { headingOf, liveCheckRedactor, runLiveCheck } from './check-live/run.js';

const USAGE = 'Usage: npm run check:live [-- --channel <Discord channel id>] [--json]\n  The channel may also be given as LIVE_CHECK_CHANNEL_ID.';

async function main(argv: readonly string[]): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({
			args: [...argv],
			options: { channel: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
			strict: true,
			allowPositionals: false
		}));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
		return 2;
	}
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}

	if (existsSync('.env')) process.loadEnvFile('.env');
	const redactor = liveCheckRedactor(process.env);
	const print = (heading: string, results: readonly StepResult[]) =>
		process.stdout.write(`${values.json ? formatJson(results, redactor) : formatReport(heading, results, redactor)}\n`);

	let env;
	try {
		env = parseEnvironment();
	} catch (error) {
		if (!(error instanceof EnvironmentError)) throw error;
		const results: StepResult[] = error.problems.map(({ variable, problem }) => ({
			id: 'setup.environment',
			service: 'Setup',
			step: `environment: ${variable}`,
			status: 'failed',
			detail: `${variable} ${problem}`,
			fix: `Set ${variable} as the bot needs it (README.md#configuration, .env.example); the check uses the bot’s own environment.`
		}));
		print('Live check: the bot’s environment is not usable, so nothing was tried.', results);
		return exitCodeOf(results);
	}
	const channelId = values.channel ?? (process.env.LIVE_CHECK_CHANNEL_ID || undefined);
	// A first Ctrl-C lets the run finish, so what it made is deleted; a second one stops it at once.
	process.once('SIGINT', () =>
		process.stderr.write('Finishing the check so that what it made is deleted (press Ctrl-C again to stop at once)...\n')
	);
	const results = await runLiveCheck(env, { channelId });
	print(headingOf(env), results);
	return exitCodeOf(results);
}

process.exitCode = await main(process.argv.slice(2));
