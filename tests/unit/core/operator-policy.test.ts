import { expect } from 'chai';
import type Keyv from 'keyv';
import meetingsPlugin from '../../../plugins/meetings/plugin.js';
import roleMappingPlugin from '../../../plugins/role-mapping/plugin.js';
import videosPlugin from '../../../plugins/videos/plugin.js';
import { IdentityService, KalturaUserClaimedError, type IdentityLink } from '../../../src/core/auth/identity.js';
import { buildGuildConfigSchema, ConfigValidationError } from '../../../src/core/config/guild-config-schema.js';
import { GuildConfigService } from '../../../src/core/config/guild-config-service.js';
import type { JsonObject } from '../../../src/core/config/object-path.js';
import { parseEnvironment } from '../../../src/core/env.js';
import { hostAllowed, linkUrlProblem } from '../../../src/core/policy/link-url.js';
import { isGuildAllowed, operatorPolicyFrom, type OperatorPolicy } from '../../../src/core/policy/operator-policy.js';
import { ConfigPolicyError, runtimeConfigChecks } from '../../../src/core/policy/runtime-config-check.js';
import { validateManifest } from '../../../src/core/plugins/manifest.js';
import { createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { LocalInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';

const GUILD = '200000000000000001';
const OTHER_GUILD = '200000000000000002';

/** A plugin's settings schema, as its handle (the default export of its plugin.ts) gives it to the core. */
function settingsSchemaOf<Schema>(plugin: { readonly name: string; readonly configSchema?: Schema }): Schema {
	if (plugin.configSchema === undefined) throw new Error(`The ${plugin.name} plugin has no settings schema.`);
	return plugin.configSchema;
}

/** The policy an operator's environment gives, parsed as at start-up. */
function policyOf(variables: Record<string, string> = {}): OperatorPolicy {
	return operatorPolicyFrom(
		parseEnvironment({
			DISCORD_TOKEN: 'x',
			KALTURA_PARTNER_ID: '777',
			KALTURA_ADMIN_SECRET: 'secret-secret',
			JWT_SECRET: 'j'.repeat(40),
			...variables
		})
	);
}

async function configService(policy: OperatorPolicy, fileOverrides = new Map<string, JsonObject>()) {
	// The plugins' manifests pass the same check the core applies to every plugin it loads.
	const manifests = [meetingsPlugin, roleMappingPlugin, videosPlugin].map((plugin) => {
		const checked = validateManifest(plugin);
		if (!checked.ok) throw new Error(checked.problem);
		return checked.manifest;
	});
	return GuildConfigService.create({
		defaults: {},
		fileOverrides,
		schema: buildGuildConfigSchema(manifests),
		store: createKeyv<JsonObject>({ kind: 'memory' }, 'guild-config'),
		bus: new LocalInvalidationBus(),
		sections: new Set(['plugins', ...manifests.map((manifest) => manifest.name)]),
		pluginNames: new Set(manifests.map((manifest) => manifest.name)),
		runtimeChecks: runtimeConfigChecks(manifests, policy)
	});
}

async function refusal(write: Promise<unknown>): Promise<ConfigValidationError> {
	try {
		await write;
	} catch (error) {
		if (error instanceof ConfigValidationError) return error;
		throw error;
	}
	throw new Error('the write was accepted');
}

describe('Operator policy', () => {
	describe('join and watch links', () => {
		const policy = policyOf();

		it('GIVEN the default KALTURA_LINK_HOSTS THEN only the partner’s own KAF and MediaSpace hosts pass', () => {
			expect(policy.linkHosts).to.deep.equal(['777.kaf.kaltura.com', '777.mediaspace.kaltura.com']);
			expect(linkUrlProblem('https://777.kaf.kaltura.com/virtualEvent/launch', policy)).to.equal(undefined);
			expect(linkUrlProblem('https://778.kaf.kaltura.com', policy)).to.match(/not one the operator allows/);
		});

		it('GIVEN http, another host, a user name, a port or an encoded host THEN the link is refused with the reason', () => {
			expect(linkUrlProblem('http://777.kaf.kaltura.com', policy)).to.equal('links must use https://');
			expect(linkUrlProblem('https://evil.example', policy)).to.match(/host evil\.example is not one the operator allows/);
			expect(linkUrlProblem('https://kaf.kaltura.com@evil.example', policy)).to.match(/user name or password/);
			expect(linkUrlProblem('https://777.kaf.kaltura.com@evil.example', policy)).to.match(/user name or password/);
			expect(linkUrlProblem('https://777.kaf.kaltura.com:8443', policy)).to.match(/port/);
			expect(linkUrlProblem('https://777.kaf.kaltura.com:443', policy)).to.match(/port/);
			expect(linkUrlProblem('https://777.kaf.kaltura.com./x', policy)).to.match(/plain form/);
			expect(linkUrlProblem('https://777.kaf.kaltura.com\\@evil.example', policy)).to.match(/backslashes/);
		});

		it('GIVEN a wildcard host THEN subdomains pass and the bare or look-alike domain does not', () => {
			const patterns = policyOf({ KALTURA_LINK_HOSTS: '*.example.edu' }).linkHosts;
			expect(hostAllowed('video.example.edu', patterns)).to.equal(true);
			expect(hostAllowed('a.b.example.edu', patterns)).to.equal(true);
			expect(hostAllowed('example.edu', patterns)).to.equal(false);
			expect(hostAllowed('evilexample.edu', patterns)).to.equal(false);
		});

		it('GIVEN the meetings and videos settings THEN their schema refuses http and user names in any layer', () => {
			// The attacks of an admin's `/config set`: each was a valid setting before.
			for (const kafBaseUrl of [
				'http://{partnerId}.kaf.kaltura.com',
				'https://kaf.kaltura.com@evil.example',
				'https://{partnerId}.kaf.kaltura.com:8443'
			]) {
				expect(settingsSchemaOf(meetingsPlugin).safeParse({ kafBaseUrl }).success, kafBaseUrl).to.equal(false);
			}
			expect(
				settingsSchemaOf(videosPlugin).safeParse({ watchUrlTemplate: 'http://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}' }).success
			).to.equal(false);
			expect(settingsSchemaOf(videosPlugin).safeParse({ watchUrlTemplate: 'https://x@evil.example/{entryId}' }).success).to.equal(false);
			expect(settingsSchemaOf(videosPlugin).parse({}).watchUrlTemplate).to.equal(
				'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}'
			);
		});

		it('GIVEN an admin’s runtime write THEN a host outside KALTURA_LINK_HOSTS is refused with the key; the partner’s own host is accepted', async () => {
			const service = await configService(policy);
			const refused = await refusal(service.set(GUILD, 'meetings.kafBaseUrl', 'https://evil.example'));
			expect(refused).to.be.instanceOf(ConfigPolicyError);
			expect(refused.issues).to.deep.equal([
				{
					path: 'meetings.kafBaseUrl',
					message:
						'the host evil.example is not one the operator allows (KALTURA_LINK_HOSTS: 777.kaf.kaltura.com, 777.mediaspace.kaltura.com)'
				}
			]);
			const patched = await refusal(service.patch(GUILD, { videos: { watchUrlTemplate: 'https://evil.example/{entryId}' } }));
			expect(patched.issues[0]?.path).to.equal('videos.watchUrlTemplate');
			expect(await service.runtimeOverride(GUILD)).to.deep.equal({});
			await service.set(GUILD, 'meetings.kafBaseUrl', 'https://777.kaf.kaltura.com/');
			expect((await service.resolve(GUILD)).meetings).to.include({ kafBaseUrl: 'https://777.kaf.kaltura.com/' });
			service.close();
		});

		it('GIVEN KALTURA_LIVE_CATEGORY_IDS THEN an admin may put live streams only in a listed category; the operator’s files are not bound', async () => {
			const none = await configService(policyOf());
			const refusedByDefault = await refusal(none.set(GUILD, 'meetings.liveCategoryId', 41));
			expect(refusedByDefault.issues).to.deep.equal([
				{
					path: 'meetings.liveCategoryId',
					message: "the category 41 is not one this bot's operator lets servers put live streams in (KALTURA_LIVE_CATEGORY_IDS: none)"
				}
			]);
			none.close();
			const listed = policyOf({ KALTURA_LIVE_CATEGORY_IDS: '41, 42' });
			const service = await configService(listed, new Map([[OTHER_GUILD, { meetings: { liveCategoryId: '99' } }]]));
			expect((await refusal(service.set(GUILD, 'meetings.liveCategoryId', 43))).issues[0]?.path).to.equal('meetings.liveCategoryId');
			await service.set(GUILD, 'meetings.liveCategoryId', 42);
			expect((await service.resolve(GUILD)).meetings).to.include({ liveCategoryId: '42' });
			expect((await service.resolve(OTHER_GUILD)).meetings, 'an operator file').to.include({ liveCategoryId: '99' });
			service.close();
		});
	});

	describe('role mappings', () => {
		const ROLE = '300000000000000001';

		it('GIVEN the default KALTURA_MAPPABLE_ROLES THEN an admin cannot map to admin, by any path, and is told what is allowed', async () => {
			const service = await configService(policyOf());
			const mapped = await refusal(service.set(GUILD, `role-mapping.mappings.${ROLE}`, 'admin'));
			expect(mapped).to.be.instanceOf(ConfigPolicyError);
			expect(mapped.issues).to.deep.equal([
				{
					path: `role-mapping.mappings.${ROLE}`,
					message: 'the Kaltura role "admin" is not one this bot\'s operator lets servers map to (allowed: viewer, moderator)'
				}
			]);
			expect((await refusal(service.set(GUILD, 'role-mapping.defaultRole', 'Admin'))).issues[0]?.path).to.equal('role-mapping.defaultRole');
			expect((await refusal(service.set(GUILD, 'role-mapping', { mappings: { [ROLE]: 'admin' } }))).issues).to.have.lengthOf(1);
			expect((await refusal(service.patch(GUILD, { 'role-mapping': { mappings: { [ROLE]: 'publisher' } } }))).issues).to.have.lengthOf(1);
			await service.set(GUILD, `role-mapping.mappings.${ROLE}`, 'moderator');
			expect((await service.resolve(GUILD))['role-mapping']).to.deep.include({ mappings: { [ROLE]: 'moderator' } });
			service.close();
		});

		it('GIVEN admin in KALTURA_MAPPABLE_ROLES THEN the same mapping is accepted', async () => {
			const service = await configService(policyOf({ KALTURA_MAPPABLE_ROLES: 'viewer,moderator,admin' }));
			await service.set(GUILD, `role-mapping.mappings.${ROLE}`, 'admin');
			expect((await service.resolve(GUILD))['role-mapping']).to.deep.include({ mappings: { [ROLE]: 'admin' } });
			service.close();
		});

		it('GIVEN the operator’s file maps to admin THEN it applies, and admins’ other writes are not blocked by it', async () => {
			const files = new Map<string, JsonObject>([[GUILD, { 'role-mapping': { mappings: { Admins: 'admin' }, defaultRole: 'guest-viewer' } }]]);
			const service = await configService(policyOf(), files);
			await service.set(GUILD, `role-mapping.mappings.${ROLE}`, 'viewer');
			expect((await service.resolve(GUILD))['role-mapping']).to.deep.equal({
				defaultRole: 'guest-viewer',
				mappings: { Admins: 'admin', [ROLE]: 'viewer' }
			});
			service.close();
		});
	});

	describe('servers', () => {
		it('GIVEN ALLOWED_GUILD_IDS THEN only those servers are served; unset, every server is', () => {
			expect(isGuildAllowed(policyOf({ ALLOWED_GUILD_IDS: GUILD }), GUILD)).to.equal(true);
			expect(isGuildAllowed(policyOf({ ALLOWED_GUILD_IDS: GUILD }), OTHER_GUILD)).to.equal(false);
			expect(isGuildAllowed(policyOf(), OTHER_GUILD)).to.equal(true);
		});
	});

	describe('identity links', () => {
		const ALICE = '400000000000000001';
		const BOB = '400000000000000002';
		const ADMIN = '400000000000000009';
		const pattern = policyOf({ KALTURA_LINKABLE_USER_PATTERN: '[a-z.]+@school\\.example' });

		function identities(policy: Pick<OperatorPolicy, 'linkableUserPattern'> = pattern) {
			return new IdentityService(
				createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links') as Keyv<IdentityLink>,
				'discord_',
				() => policy
			);
		}

		it('GIVEN a Kaltura user linked to one Discord user THEN another Discord user cannot be linked to it in any server', async () => {
			const service = identities();
			await service.link(GUILD, ALICE, 'jane@school.example', ADMIN);
			let refused: unknown;
			await service.link(OTHER_GUILD, BOB, 'jane@school.example', ADMIN).catch((error: unknown) => (refused = error));
			expect(refused).to.be.instanceOf(KalturaUserClaimedError);
			expect(await service.kalturaUserIdOf(OTHER_GUILD, BOB)).to.equal(`discord_${BOB}`);
			// The same person, linked in a second server, is fine.
			await service.link(OTHER_GUILD, ALICE, 'jane@school.example', ADMIN);
			expect(await service.kalturaUserIdOf(OTHER_GUILD, ALICE)).to.equal('jane@school.example');
		});

		it('GIVEN the holder unlinks in every server, or relinks elsewhere THEN the Kaltura user is free again', async () => {
			const service = identities();
			await service.link(GUILD, ALICE, 'jane@school.example', ADMIN);
			await service.link(OTHER_GUILD, ALICE, 'jane@school.example', ADMIN);
			await service.unlink(GUILD, ALICE);
			expect((await service.claimOf('jane@school.example'))?.guildIds).to.deep.equal([OTHER_GUILD]);
			await service.link(OTHER_GUILD, ALICE, 'joe@school.example', ADMIN);
			expect(await service.claimOf('jane@school.example')).to.equal(undefined);
			await service.link(GUILD, BOB, 'jane@school.example', ADMIN);
			expect(await service.kalturaUserIdOf(GUILD, BOB)).to.equal('jane@school.example');
		});

		it('GIVEN concurrent links of one Kaltura user by two Discord users THEN exactly one wins', async () => {
			const service = identities();
			const outcomes = await Promise.allSettled([
				service.link(GUILD, ALICE, 'jane@school.example', ADMIN),
				service.link(OTHER_GUILD, BOB, 'jane@school.example', ADMIN)
			]);
			expect(outcomes.map((outcome) => outcome.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
		});

		it('GIVEN a stored link the operator’s pattern no longer allows THEN the member acts as their derived user', async () => {
			const store = createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links') as Keyv<IdentityLink>;
			await new IdentityService(store, 'discord_', () => pattern).link(GUILD, ALICE, 'jane@school.example', ADMIN);
			expect(await new IdentityService(store, 'discord_', () => pattern).kalturaUserIdOf(GUILD, ALICE)).to.equal('jane@school.example');
			expect(await new IdentityService(store, 'discord_', () => policyOf()).kalturaUserIdOf(GUILD, ALICE)).to.equal(`discord_${ALICE}`);
			expect(
				await new IdentityService(store, 'discord_', () => policyOf({ KALTURA_LINKABLE_USER_PATTERN: 'jane' })).kalturaUserIdOf(GUILD, ALICE)
			).to.equal(`discord_${ALICE}`);
		});

		it('GIVEN a link made before the reverse index (no claim) THEN it is not honoured', async () => {
			const store = createKeyv<IdentityLink>({ kind: 'memory' }, 'identity-links') as Keyv<IdentityLink>;
			await store.set(`${GUILD}.${ALICE}`, { kalturaUserId: 'jane@school.example', linkedBy: ADMIN, linkedAt: new Date(0).toISOString() });
			expect(await new IdentityService(store, 'discord_', () => pattern).kalturaUserIdOf(GUILD, ALICE)).to.equal(`discord_${ALICE}`);
		});

		it('GIVEN the pattern THEN it matches whole ids only', () => {
			expect(pattern.linkableUserPattern!.test('jane@school.example')).to.equal(true);
			expect(pattern.linkableUserPattern!.test('owner@school.example.evil')).to.equal(false);
			expect(policyOf({ KALTURA_LINKABLE_USER_PATTERN: 'a|b' }).linkableUserPattern!.test('admin')).to.equal(false);
		});
	});
});
