import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';
import { z } from 'zod';
import { buildGuildConfigSchema } from '../src/core/config/guild-config-schema.js';
import { GuildConfigService } from '../src/core/config/guild-config-service.js';
import type { JsonObject } from '../src/core/config/object-path.js';
import { RedisInvalidationBus } from '../src/core/storage/invalidation-bus.js';
import { closeKeyv, createKeyv } from '../src/core/storage/keyv-factory.js';
import { formatMs, nanosPerCall, nanosPerCallSync, percentile } from './stats.js';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A config about the size a real guild carries: a handful of plugins with a few settings each. */
const schema = buildGuildConfigSchema(
	['meetings', 'notifications', 'role-mapping', 'user-sync', 'videos', 'metrics'].map((name) => ({
		name,
		version: '1.0.0',
		description: name,
		core: '^1.0.0',
		enabledByDefault: true,
		configSchema: z.strictObject({
			channel: z.string().default('general'),
			limit: z.number().int().default(10),
			roles: z.array(z.string()).default(['viewer', 'moderator']),
			template: z.strictObject({ title: z.string().default('{title}'), colour: z.number().default(0x00_6e_ff) }).prefault({})
		})
	}))
);

export async function benchConfigResolution(): Promise<Record<string, string | number>> {
	const store = createKeyv<JsonObject>({ kind: 'redis', url: REDIS_URL }, `bench-config-${randomUUID().slice(0, 8)}`);
	const bus = await RedisInvalidationBus.connect(REDIS_URL);
	const service = await GuildConfigService.create({
		defaults: {},
		fileOverrides: new Map(),
		schema,
		store,
		bus,
		sections: new Set(['plugins', 'meetings', 'notifications', 'role-mapping', 'user-sync', 'videos', 'metrics']),
		pluginNames: new Set(['meetings'])
	});
	const guildId = '123456789012345678';
	try {
		await service.set(guildId, 'meetings.limit', 25);
		const prebuilt = new Map([[guildId, await service.resolve(guildId)]]);

		// Cached resolution: what every command's plugin check pays.
		const iterations = 1_000_000;
		const mapSync = nanosPerCallSync(() => prebuilt.get(guildId), iterations);
		const cachedSync = nanosPerCallSync(() => service.cached(guildId), iterations);
		const asyncIterations = 200_000;
		const mapAsync = await nanosPerCall(() => Promise.resolve(prebuilt.get(guildId)), asyncIterations);
		const cachedAsync = await nanosPerCall(() => service.resolve(guildId), asyncIterations);

		// Uncached resolution: a Redis read, three-layer merge and schema validation.
		const samples: number[] = [];
		for (let index = 0; index < 2_000; index++) {
			service.invalidate(guildId);
			const start = process.hrtime.bigint();
			await service.resolve(guildId);
			samples.push(Number(process.hrtime.bigint() - start));
		}
		samples.sort((a, b) => a - b);

		return {
			'cached cached() ns/op': cachedSync.toFixed(1),
			'plain Map.get ns/op': mapSync.toFixed(1),
			'ratio cached()/Map.get (goal <= 3)': (cachedSync / mapSync).toFixed(2),
			'cached await resolve() ns/op': cachedAsync.toFixed(1),
			'await Map.get ns/op': mapAsync.toFixed(1),
			'ratio await resolve()/await Map.get (goal <= 3)': (cachedAsync / mapAsync).toFixed(2),
			'uncached resolve via Redis p50': formatMs(percentile(samples, 50)),
			'uncached resolve via Redis p99': formatMs(percentile(samples, 99))
		};
	} finally {
		await service.reset(guildId);
		await bus.close();
		await closeKeyv(store as Keyv<unknown>);
	}
}
