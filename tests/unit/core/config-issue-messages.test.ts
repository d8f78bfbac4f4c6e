import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { z } from 'zod';
import meetings from '../../../plugins/meetings/plugin.js';
import notifications from '../../../plugins/notifications/plugin.js';
import roleMapping from '../../../plugins/role-mapping/plugin.js';
import { buildGuildConfigSchema, ConfigValidationError, validateGuildConfig } from '../../../src/core/config/guild-config-schema.js';
import { InvalidDefaultsError, loadConfigLayers } from '../../../src/core/config/load-config-layers.js';
import { createLogger } from '../../../src/core/logger.js';
import { SecretRedactor } from '../../../src/core/redactor.js';
import { CapturedLog } from '../../helpers/test-bot.js';

const schema = buildGuildConfigSchema([roleMapping, meetings, notifications]);

/** The sentences an admin (or an API user) reads for a value, as `key: problem`. */
function refusal(value: unknown): string[] {
	try {
		validateGuildConfig(schema, value);
	} catch (error) {
		if (error instanceof ConfigValidationError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
		throw error;
	}
	throw new Error('the value was accepted');
}

describe('Config validation messages: one voice, naming the key, the limit and the problem', () => {
	it('GIVEN a template title over its limit THEN the limit and the length are given, not zod’s wording', () => {
		const title = 'x'.repeat(300);
		expect(refusal({ notifications: { templates: { user: { created: { title } } } } })).to.deep.equal([
			'notifications.templates.user.created.title: at most 256 characters (this one has 300)'
		]);
	});

	it('GIVEN a role mapping whose key fails THEN the key and why are given', () => {
		const [message] = refusal({ 'role-mapping': { mappings: { ['r'.repeat(101)]: 'viewer' } } });
		expect(message).to.match(/^role-mapping\.mappings\.r+: the key "r+…" is not allowed: at most 100 characters \(this one has 101\)$/);
		expect(message).to.not.include('Invalid key in record');
	});

	it('GIVEN a 300-character Kaltura role of valid characters THEN it is refused for its length alone', () => {
		expect(refusal({ 'role-mapping': { defaultRole: 'a'.repeat(300) } })).to.deep.equal([
			'role-mapping.defaultRole: at most 64 characters (this one has 300)'
		]);
		expect(refusal({ 'role-mapping': { defaultRole: 'two words' } })[0]).to.match(
			/^role-mapping\.defaultRole: must be viewer, moderator, admin or a Kaltura role system name/
		);
	});

	it('GIVEN a value of the wrong type or a misspelt key THEN the sentence says what was expected, or the key meant', () => {
		expect(refusal({ plugins: { meetings: { enabled: 'yes' } } })).to.deep.equal([
			'plugins.meetings.enabled: must be true or false (this one is text)'
		]);
		expect(refusal({ meetings: { defaultDurationMinutess: 30 } })).to.deep.equal([
			'meetings.defaultDurationMinutess: is not a known setting (did you mean "defaultDurationMinutes"?)'
		]);
	});

	it('GIVEN a schema’s own message THEN it is kept (the plugin knows its value best)', () => {
		const own = buildGuildConfigSchema([
			{
				name: 'own',
				version: '1.0.0',
				description: 'o',
				core: '^1.0.0',
				enabledByDefault: true,
				configSchema: z.strictObject({ id: z.string().regex(/^\d+$/, { error: 'must be digits' }).optional() })
			}
		]);
		expect(() => validateGuildConfig(own, { own: { id: 'abc' } })).to.throw(ConfigValidationError, 'own.id: must be digits');
	});
});

describe('Top-level config sections are strict', () => {
	function configDirectory(defaults: object, overrides: Record<string, object> = {}): string {
		const directory = mkdtempSync(join(tmpdir(), 'config-sections-'));
		writeFileSync(join(directory, 'default_config.json'), JSON.stringify(defaults));
		mkdirSync(join(directory, 'overrides'));
		for (const [guildId, override] of Object.entries(overrides))
			writeFileSync(join(directory, 'overrides', `${guildId}.json`), JSON.stringify(override));
		return directory;
	}

	const load = (directory: string, log = new CapturedLog()) =>
		loadConfigLayers({
			directory,
			schema,
			inactiveSections: new Set(),
			environment: {},
			logger: createLogger({ level: 'debug', json: false, redactor: new SecretRedactor([]), transports: [log.transport] })
		});

	it('GIVEN a misspelt "meetngs" section in default_config.json THEN start-up stops naming it, with the section meant', async () => {
		const error = await load(configDirectory({ meetngs: { defaultDurationMinutes: 30 } })).catch((caught: unknown) => caught);
		expect(error).to.be.instanceOf(InvalidDefaultsError);
		expect((error as Error).message).to.include('meetngs: is not a known setting (did you mean "meetings"?)');
	});

	it('GIVEN a misspelt "meetngs" section in a guild’s override file THEN it is reported and that guild uses the defaults', async () => {
		const log = new CapturedLog();
		const layers = await load(configDirectory({}, { '100000000000000001': { meetngs: { defaultDurationMinutes: 30 } } }), log);
		expect(layers.fileOverrides.has('100000000000000001')).to.equal(false);
		expect(log.text()).to.match(
			/100000000000000001\.json: meetngs is not a known setting \(did you mean "meetings"\?\); guild 100000000000000001 uses the defaults/
		);
	});
});
