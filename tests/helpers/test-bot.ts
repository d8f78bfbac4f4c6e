import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import winston from 'winston';
import { createBot, type Bot, type BotOptions } from '../../src/core/application.js';
import { parseEnvironment, type Environment } from '../../src/core/env.js';
import { CONFIG_DIRECTORY, PLUGINS_DIRECTORY } from '../../src/core/paths.js';
import type { KeyvBackend } from '../../src/core/storage/keyv-factory.js';
import { standInEnvironment, type StandIns } from '../harness/bot-process.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export const TEST_SECRETS = {
	DISCORD_TOKEN: 'MTExMTExMTExMTExMTExMTEx.GtEsT1.abcdefghijklmnopqrstuvwxyz0123456789AB',
	KALTURA_ADMIN_SECRET: 'adm1n-s3cret-0f-the-test-partner',
	JWT_SECRET: 'test-jwt-secret-that-is-at-least-32-bytes-long!'
} as const;

export function testEnvironment(overrides: Record<string, string> = {}): Environment {
	return parseEnvironment({
		...TEST_SECRETS,
		KALTURA_PARTNER_ID: '1234',
		API_HOST: '127.0.0.1',
		API_PORT: '0',
		LOG_LEVEL: 'debug',
		// A fresh, empty directory per bot: files a bot creates on first use (the audit log) stay with it.
		DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-test-')),
		NODE_ENV: 'test',
		...overrides
	});
}

/** Log lines the bot wrote, as text, for assertions (and for the secret scan). */
export class CapturedLog {
	public readonly lines: string[] = [];
	public readonly transport = new winston.transports.Stream({
		stream: new Writable({
			write: (chunk: Buffer, _encoding, callback) => {
				this.lines.push(chunk.toString('utf8'));
				callback();
			}
		})
	});

	public text(): string {
		return this.lines.join('');
	}
}

export interface TestBot extends Bot {
	readonly log: CapturedLog;
	readonly apiUrl: (host?: string) => string;
}

export type TestBotOptions = { env?: Record<string, string>; keyvBackend?: KeyvBackend; pluginRoots?: string[] } & Omit<Partial<BotOptions>, 'env'>;

/** A bot on the fixture plugins and config, memory storage, its API on a free port; not logged in. */
export async function createTestBot(options: TestBotOptions = {}): Promise<TestBot> {
	const log = new CapturedLog();
	const bot = await createBot({
		env: testEnvironment(options.env),
		pluginRoots: options.pluginRoots ?? [join(FIXTURES, 'plugins')],
		configDirectory: options.configDirectory ?? join(FIXTURES, 'config'),
		keyvBackend: options.keyvBackend ?? { kind: 'memory' },
		logTransports: [log.transport],
		placeholderEnvironment: { GREETER_TEST_GREETING: 'Ahoy' },
		// Plugins read their own variables from the test's, not from the environment the tests run in.
		pluginEnvironment: options.env ?? {}
	});
	return Object.assign(bot, {
		log,
		apiUrl: (host = '127.0.0.1') => {
			const address = bot.client.server.server.address();
			if (address === null || typeof address === 'string') throw new Error('The API is not listening');
			return `http://${host}:${address.port}/api/v1`;
		}
	});
}

/** `createTestBot`, logged in: resolves once discord.js is ready (guilds received) and plugins have started, so a test may act at once. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
	const bot = await createTestBot(options);
	await stopOnFailure(bot, async () => {
		const ready = new Promise((done) => bot.client.once('clientReady', done));
		await bot.start();
		await ready;
		// The bot starts its plugins on ready without waiting; this waits for those starts (each runs once).
		await bot.pluginLifecycle.startAll();
	});
	return bot;
}

/** Runs `step`; if it fails, stops `bot` first: the caller never gets it, so nothing else would close its API server and gateway. */
async function stopOnFailure(bot: TestBot, step: () => Promise<unknown>): Promise<void> {
	try {
		await step();
	} catch (error) {
		await bot.stop().catch(() => undefined);
		throw error;
	}
}

/** The project's own plugins and config, as an operator runs them, instead of the fixtures. */
export const PROJECT_PLUGINS: Readonly<{ pluginRoots: string[]; configDirectory: string }> = {
	pluginRoots: [PLUGINS_DIRECTORY],
	configDirectory: CONFIG_DIRECTORY
};

/**
 * `createTestBot` without a gateway session, its Discord REST calls going to `recorder` (a RestRecorder):
 * loaded and listening, with the token set that a login would set (Sapphire's preconditions fetch with it).
 */
export async function prepareTestBot(recorder: { readonly apiUrl: string }, options: TestBotOptions = {}): Promise<TestBot> {
	const bot = await createTestBot({ ...options, env: { DISCORD_API_URL: recorder.apiUrl, ...options.env } });
	await stopOnFailure(bot, () => bot.prepare());
	bot.client.rest.setToken(TEST_SECRETS.DISCORD_TOKEN);
	return bot;
}

/**
 * The bot as an operator runs it (the project's plugins and config, unless a test brings its own config
 * directory), pointed at the Discord and Kaltura stand-ins, with a fresh DATA_DIR, logged in and ready.
 * `env` adds to or overrides the stand-ins' variables (intents, ALLOWED_GUILD_IDS, ...).
 */
export function startBotOnStandIns(standIns: StandIns, options: { env?: Record<string, string>; configDirectory?: string } = {}): Promise<TestBot> {
	return startTestBot({
		env: { ...standInEnvironment(standIns), ...options.env },
		pluginRoots: PROJECT_PLUGINS.pluginRoots,
		configDirectory: options.configDirectory ?? PROJECT_PLUGINS.configDirectory
	});
}
