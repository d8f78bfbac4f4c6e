import { existsSync } from 'node:fs';
import { createBot } from './core/application.js';
import { ConfigFileError } from './core/config/config-files.js';
import { InvalidDefaultsError } from './core/config/load-config-layers.js';
import { EnvironmentError, parseEnvironment, SECRET_VARIABLES } from './core/env.js';
import { SecretRedactor } from './core/redactor.js';

/** Problems an operator fixes by editing configuration: shown as plain sentences, never as a stack trace. */
function isConfigurationProblem(error: unknown): error is Error {
	return error instanceof EnvironmentError || error instanceof ConfigFileError || error instanceof InvalidDefaultsError;
}

async function main(): Promise<void> {
	if (existsSync('.env')) process.loadEnvFile('.env');
	const env = parseEnvironment();
	const bot = await createBot({ env });

	let stopping = false;
	const shutdown = (reason: NodeJS.Signals | Error) => {
		if (stopping) return;
		stopping = true;
		if (reason instanceof Error) bot.logger.error(`${reason.message} Stopping, so that one process runs each shard.`);
		else bot.logger.info(`Received ${reason}; shutting down.`);
		bot.stop().then(
			() => process.exit(reason instanceof Error ? 1 : 0),
			(error: unknown) => {
				bot.logger.error('Shutdown failed:', { error });
				process.exit(1);
			}
		);
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
	void bot.lost.then(shutdown);

	await bot.prepare();
	const address = bot.client.server.server.address();
	const port = typeof address === 'object' && address !== null ? address.port : env.API_PORT;
	bot.logger.info(`HTTP API listening on http://${env.API_HOST}:${port}/api/v1`);
	await bot.start();
}

main().catch((error: unknown) => {
	// The message alone, redacted: a driver's error can quote a connection string or a token.
	const redactor = new SecretRedactor(SECRET_VARIABLES.map((name) => process.env[name]));
	const message = isConfigurationProblem(error) || error instanceof Error ? error.message : String(error);
	process.stderr.write(`Cannot start: ${redactor.redact(message)}\n`);
	process.exit(1);
});
