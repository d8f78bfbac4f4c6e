import { createClient } from '@keyv/redis';
import { closeRedisClient, connectWithin, failFastClientOptions, messageOf } from '../../../src/core/storage/redis-connection.js';

/** The Redis the integration suites run against; CI points TEST_REDIS_URL at its service container. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Why Redis cannot be used, or undefined when it answers a PING. */
async function unavailabilityReason(url: string): Promise<string | undefined> {
	const client = createClient(failFastClientOptions(url));
	client.on('error', () => {});
	try {
		await connectWithin(client, url);
		await client.ping();
		return undefined;
	} catch (error) {
		return messageOf(error);
	} finally {
		await closeRedisClient(client);
	}
}

/**
 * For a before() hook of a Redis suite. In CI a missing Redis is a broken pipeline and must fail the
 * run; on a developer machine it skips the suite, loudly, so a green run is never mistaken for one
 * that exercised Redis.
 */
export async function requireRedisOrSkip(context: Mocha.Context): Promise<string> {
	const reason = await unavailabilityReason(TEST_REDIS_URL);
	if (reason === undefined) return TEST_REDIS_URL;
	if (isCi()) throw new Error(`CI is set but Redis at ${TEST_REDIS_URL} is unavailable: ${reason}`);
	console.warn(
		`\n  SKIPPING Redis tests: Redis at ${TEST_REDIS_URL} is unavailable (${reason}).\n` +
			'  Start Redis or set TEST_REDIS_URL to run them; with CI set, this fails instead of skipping.\n'
	);
	context.skip();
}

function isCi(): boolean {
	const value = process.env.CI;
	return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
