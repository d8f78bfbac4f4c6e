import { expect } from 'chai';
import { buildGuildConfigSchema } from '../../../src/core/config/guild-config-schema.js';
import {
	ConfigChangedError,
	GuildConfigService,
	PluginNotLoadedError,
	UnknownConfigKeyError
} from '../../../src/core/config/guild-config-service.js';
import type { JsonObject } from '../../../src/core/config/object-path.js';
import { ConfigRequirementError } from '../../../src/core/config/plugin-requirements.js';
import { createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { LocalInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';

/** "meetings" requires "role-mapping", as the project's plugins do; both on by default. */
const manifests = [
	{ name: 'role-mapping', version: '1.0.0', description: 'r', core: '^1.0.0', enabledByDefault: true },
	{ name: 'meetings', version: '1.0.0', description: 'm', core: '^1.0.0', requires: { 'role-mapping': '^1.0.0' }, enabledByDefault: true }
];
const GUILD = '100000000000000001';

async function createService(fileOverrides = new Map<string, JsonObject>()) {
	const store = createKeyv<JsonObject>({ kind: 'memory' }, 'guild-config');
	const service = await GuildConfigService.create({
		defaults: {},
		fileOverrides,
		schema: buildGuildConfigSchema(manifests),
		store,
		bus: new LocalInvalidationBus(),
		sections: new Set(['plugins', 'role-mapping', 'meetings']),
		pluginNames: new Set(['role-mapping', 'meetings']),
		requirements: new Map([['meetings', ['role-mapping']]]),
		notLoaded: new Map([
			['user-sync', 'The "user-sync" plugin is installed on this bot but not loaded: it needs Discord\'s "Server Members Intent".']
		])
	});
	return { service, store };
}

const refusalOf = (promise: Promise<unknown>) =>
	promise.then(
		() => expect.fail('the write was accepted'),
		(error: unknown) => error
	);

describe('Guild config writes: the same rules whatever the door', () => {
	it('GIVEN a confirmed reset of everything WHEN another write lands between the read and the reset THEN nothing is reset and that write stays', async () => {
		const { service, store } = await createService();
		await service.set(GUILD, 'plugins.meetings.enabled', false);
		const shown = JSON.stringify(await service.runtimeOverride(GUILD));
		// Queued before the reset: it lands after the confirmation's read, before its write.
		const racing = service.set(GUILD, 'plugins.role-mapping.enabled', false);
		const error = await refusalOf(service.resetAll(GUILD, (current) => JSON.stringify(current) === shown));
		expect(error).to.be.instanceOf(ConfigChangedError);
		await racing;
		expect(await store.get(GUILD)).to.deep.equal({ plugins: { meetings: { enabled: false }, 'role-mapping': { enabled: false } } });
		// Unchanged since it was shown: reset.
		const now = JSON.stringify(await service.runtimeOverride(GUILD));
		await service.resetAll(GUILD, (current) => JSON.stringify(current) === now);
		expect(await store.get(GUILD)).to.equal(undefined);
	});

	it('GIVEN role-mapping off THEN turning meetings on by a plain key write is refused like /plugins enable, and nothing is stored', async () => {
		const { service, store } = await createService();
		await service.set(GUILD, 'plugins.meetings.enabled', false);
		await service.set(GUILD, 'plugins.role-mapping.enabled', false);
		const stored = await store.get(GUILD);
		const error = await refusalOf(service.set(GUILD, 'plugins.meetings.enabled', true));
		expect(error).to.be.instanceOf(ConfigRequirementError);
		expect((error as ConfigRequirementError).code).to.equal('requires_disabled');
		expect((error as ConfigRequirementError).issues).to.deep.equal([
			{ path: 'plugins.meetings.enabled', message: '"meetings" needs "role-mapping" turned on first' }
		]);
		expect(await store.get(GUILD)).to.deep.equal(stored);
	});

	it('GIVEN meetings on THEN turning role-mapping off, by a key or a merge patch, is refused naming meetings', async () => {
		const { service } = await createService();
		const byKey = await refusalOf(service.set(GUILD, 'plugins.role-mapping.enabled', false));
		expect((byKey as ConfigRequirementError).code).to.equal('required_by_enabled');
		expect((byKey as ConfigRequirementError).message).to.equal(
			'plugins.role-mapping.enabled: "role-mapping" cannot be turned off while "meetings" needs it; turn that off first'
		);
		const byPatch = await refusalOf(service.patch(GUILD, { plugins: { 'role-mapping': { enabled: false } } }));
		expect(byPatch).to.be.instanceOf(ConfigRequirementError);
		// Both at once is a consistent change and goes through.
		await service.patch(GUILD, { plugins: { 'role-mapping': { enabled: false }, meetings: { enabled: false } } });
		expect((await service.resolve(GUILD)).plugins).to.deep.equal({ 'role-mapping': { enabled: false }, meetings: { enabled: false } });
	});

	it('GIVEN an operator file that already breaks a requirement THEN unrelated writes still go through', async () => {
		const { service } = await createService(new Map([[GUILD, { plugins: { 'role-mapping': { enabled: false } } }]]));
		await service.set(GUILD, 'plugins.meetings.enabled', true);
		expect((await service.resolve(GUILD)).plugins.meetings!.enabled).to.equal(true);
	});

	it('GIVEN a reset of a key that is no setting THEN it is refused as unknown, not reported as back to its default', async () => {
		const { service } = await createService();
		expect(await refusalOf(service.reset(GUILD, 'nope.nothing'))).to.be.instanceOf(UnknownConfigKeyError);
		expect(await refusalOf(service.reset(GUILD, 'meetings.nothing'))).to.be.instanceOf(UnknownConfigKeyError);
		await service.reset(GUILD, 'plugins.meetings.enabled');
	});

	it('GIVEN a plugin installed but not loaded THEN a write to its switch or section says why', async () => {
		const { service } = await createService();
		for (const key of ['plugins.user-sync.enabled', 'user-sync.onLeave']) {
			const error = await refusalOf(service.set(GUILD, key, true));
			expect(error, key).to.be.instanceOf(PluginNotLoadedError);
			expect((error as Error).message).to.include('Server Members Intent');
		}
	});
});
