import { expect } from 'chai';
import { z } from 'zod';
import { buildGuildConfigSchema, ConfigValidationError } from '../../../src/core/config/guild-config-schema.js';
import { GuildConfigService, type GuildConfigServiceOptions } from '../../../src/core/config/guild-config-service.js';
import { ConfigPathError, type JsonObject } from '../../../src/core/config/object-path.js';
import { createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { LocalInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';

const manifests = [
	{
		name: 'alpha',
		version: '1.0.0',
		description: 'a',
		core: '^1.0.0',
		enabledByDefault: true,
		configSchema: z.strictObject({ size: z.number().int().min(1).max(10).default(5), tags: z.array(z.string()).default(['x']) })
	},
	{ name: 'beta', version: '1.0.0', description: 'b', core: '^1.0.0', enabledByDefault: false }
];

async function createService(fileOverrides: Map<string, JsonObject> = new Map(), options: Partial<GuildConfigServiceOptions> = {}) {
	const store = options.store ?? createKeyv<JsonObject>({ kind: 'memory' }, 'guild-config');
	const service = await GuildConfigService.create({
		defaults: { alpha: { size: 4 } },
		fileOverrides,
		schema: buildGuildConfigSchema(manifests),
		store,
		bus: new LocalInvalidationBus(),
		sections: new Set(['plugins', 'alpha', 'beta']),
		pluginNames: new Set(['alpha', 'beta']),
		...options
	});
	return { service, store };
}

describe('GuildConfigService', () => {
	it('GIVEN no overrides THEN schema defaults fill what the defaults file leaves out', async () => {
		const { service } = await createService();
		expect(await service.resolve('1')).to.deep.equal({
			plugins: { alpha: { enabled: true }, beta: { enabled: false } },
			alpha: { size: 4, tags: ['x'] },
			beta: {}
		});
	});

	it('GIVEN a file override and a runtime write THEN runtime wins over file over defaults', async () => {
		const { service } = await createService(new Map([['1', { alpha: { size: 6, tags: ['file'] } }]]));
		expect(((await service.resolve('1')).alpha as { size: number }).size).to.equal(6);
		await service.set('1', 'alpha.size', 8);
		expect((await service.resolve('1')).alpha).to.deep.equal({ size: 8, tags: ['file'] });
		await service.reset('1', 'alpha.size');
		expect(((await service.resolve('1')).alpha as { size: number }).size).to.equal(6);
	});

	it('GIVEN an invalid write THEN it is refused with path and reason and nothing is stored', async () => {
		const { service, store } = await createService();
		const error = await service.set('1', 'alpha.size', 50).catch((caught: unknown) => caught);
		expect(error).to.be.instanceOf(ConfigValidationError);
		expect((error as ConfigValidationError).issues[0]!.path).to.equal('alpha.size');
		expect(await store.get('1')).to.equal(undefined);
		expect(await service.set('1', 'gamma.x', 1).catch((caught: unknown) => caught)).to.be.instanceOf(ConfigPathError);
		expect(await service.set('1', 'plugins.gamma.enabled', true).catch((caught: unknown) => caught)).to.be.instanceOf(ConfigPathError);
	});

	it('GIVEN a cached config THEN a write invalidates it at once', async () => {
		const { service } = await createService();
		await service.resolve('1');
		expect(service.cached('1')).to.not.equal(undefined);
		await service.set('1', 'plugins.beta.enabled', true);
		expect(service.cached('1')).to.equal(undefined);
		expect((await service.resolve('1')).plugins.beta!.enabled).to.equal(true);
	});

	it('GIVEN a maximum staleness THEN the cache is swept even if no invalidation arrives', async () => {
		const { service, store } = await createService(new Map(), { defaults: {}, maximumStalenessMs: 30 });
		try {
			await service.resolve('1');
			// A write by another instance whose invalidation message was lost:
			await store.set('1', { alpha: { size: 9 } });
			expect(((await service.resolve('1')).alpha as { size: number }).size).to.equal(5);
			await new Promise((resolve) => setTimeout(resolve, 60));
			expect(((await service.resolve('1')).alpha as { size: number }).size).to.equal(9);
		} finally {
			service.close();
		}
	});

	it('GIVEN concurrent writes to one guild THEN none is lost', async () => {
		const { service } = await createService();
		await Promise.all([
			service.set('1', 'alpha.size', 2),
			service.set('1', 'alpha.tags', ['a', 'b']),
			service.set('1', 'plugins.beta.enabled', true)
		]);
		expect(await service.runtimeOverride('1')).to.deep.equal({ alpha: { size: 2, tags: ['a', 'b'] }, plugins: { beta: { enabled: true } } });
	});

	it('GIVEN a merge patch THEN objects merge and null removes a runtime value', async () => {
		const { service } = await createService();
		await service.patch('1', { alpha: { size: 9, tags: ['p'] } });
		await service.patch('1', { alpha: { size: null } });
		expect(await service.runtimeOverride('1')).to.deep.equal({ alpha: { tags: ['p'] } });
	});

	it('GIVEN a stored override that no longer validates THEN the guild falls back to its files and the problem is reported', async () => {
		const reports: string[] = [];
		const store = createKeyv<JsonObject>({ kind: 'memory' }, 'guild-config');
		await store.set('1', { alpha: { size: 'big' } });
		const { service } = await createService(new Map(), { defaults: {}, store, onStoredOverrideInvalid: (guildId) => reports.push(guildId) });
		expect(((await service.resolve('1')).alpha as { size: number }).size).to.equal(5);
		expect(reports).to.deep.equal(['1']);
	});
});
