import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import winston from 'winston';
import { createBot, type Bot, type BotOptions } from '../../src/core/application.js';
import { parseEnvironment, type Environment } from '../../src/core/env.js';
import type { KeyvBackend } from '../../src/core/storage/keyv-factory.js';

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

/** A bot on the fixture plugins and config, memory storage, its API on a free port; not logged in. */
export async function createTestBot(options: { env?: Record<string, string>; keyvBackend?: KeyvBackend; pluginRoots?: string[] } & Omit<Partial<BotOptions>, "env"> = {}): Promise<TestBot> {
	const log = new CapturedLog();
	const bot = await createBot({
		env: testEnvironment(options.env),
		pluginRoots: options.pluginRoots ?? [join(FIXTURES, 'plugins')],
		configDirectory: options.configDirectory ?? join(FIXTURES, 'config'),
		keyvBackend: options.keyvBackend ?? { kind: 'memory' },
		logTransports: [log.transport],
		placeholderEnvironment: { GREETER_TEST_GREETING: 'Ahoy' }
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
