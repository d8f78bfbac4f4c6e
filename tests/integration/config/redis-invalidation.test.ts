import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type Keyv from 'keyv';
import { z } from 'zod';
import { buildGuildConfigSchema } from '../../../src/core/config/guild-config-schema.js';
import { GuildConfigService } from '../../../src/core/config/guild-config-service.js';
import type { JsonObject } from '../../../src/core/config/object-path.js';
import { RedisInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';
import { closeKeyv, createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { requireRedisOrSkip } from '../storage/redis-availability.js';

const schema = buildGuildConfigSchema([
	{
		name: 'alpha',
		version: '1.0.0',
		description: 'a',
		core: '^1.0.0',
		enabledByDefault: false,
		configSchema: z.strictObject({ size: z.number().default(1) })
	}
]);

/** One bot process's view of guild config: its own Keyv connection, bus connection and cache. */
async function instance(url: string, namespace: string) {
	const store = createKeyv<JsonObject>({ kind: 'redis', url }, namespace);
	const bus = await RedisInvalidationBus.connect(url);
	const service = await GuildConfigService.create({
		defaults: {},
		fileOverrides: new Map(),
		schema,
		store,
		bus,
		sections: new Set(['plugins', 'alpha']),
		pluginNames: new Set(['alpha'])
	});
	return { service, close: async () => Promise.all([bus.close(), closeKeyv(store as Keyv<unknown>)]) };
}

async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('Guild config across two instances on the real Redis', () => {
	let a: Awaited<ReturnType<typeof instance>>;
	let b: Awaited<ReturnType<typeof instance>>;
	const guild = `9${Date.now()}`;

	before(async function () {
		const url = await requireRedisOrSkip(this);
		const namespace = `test-config-${randomUUID().slice(0, 8)}`;
		a = await instance(url, namespace);
		b = await instance(url, namespace);
	});

	after(async () => {
		await a?.service.reset(guild);
		await Promise.all([a?.close(), b?.close()]);
	});

	it('GIVEN both instances cached a guild THEN a write on A is seen by B without a restart', async () => {
		expect(((await a.service.resolve(guild)).alpha as { size: number }).size).to.equal(1);
		expect(((await b.service.resolve(guild)).alpha as { size: number }).size).to.equal(1);
		expect(b.service.cached(guild)).to.not.equal(undefined);

		await a.service.set(guild, 'alpha.size', 42);
		await eventually(() => b.service.cached(guild) === undefined);
		expect(((await b.service.resolve(guild)).alpha as { size: number }).size).to.equal(42);
	});

	it('GIVEN a reset on B THEN A drops its cache and reads the default again', async () => {
		await a.service.resolve(guild);
		await b.service.reset(guild, 'alpha.size');
		await eventually(() => a.service.cached(guild) === undefined);
		expect(((await a.service.resolve(guild)).alpha as { size: number }).size).to.equal(1);
	});
});
