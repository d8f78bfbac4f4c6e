import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { ButtonStyle, ComponentType, PermissionFlagsBits, type APIButtonComponentWithCustomId, type APIMessage } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

/**
 * `/config`, `/plugins` and the config API on the project's own plugins and config, against the Discord
 * and Kaltura stand-ins: every door refuses what breaks a plugin's requirement, destructive resets ask
 * first and say what they did, the whole configuration can be seen, and a plugin that is installed but
 * not loaded says why.
 */
describe('Config and plugin commands: same rules at every door, replies that say what happened', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let admin: string;
	let member: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		guildId = discord.addGuild({ name: 'Config school' }).id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
		admin = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins] }).user!.id;
		member = discord.addMember(guildId, { user: { username: 'max' } }).user!.id;
		kaltura = await KalturaStandIn.start({ partnerId: 7373, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		// No privileged intent granted: user-sync (which needs Server Members) is installed but not loaded, as on a default start.
		bot = await startBotOnStandIns({ discord, kaltura }, { env: { DISCORD_PRIVILEGED_INTENTS: '' } });
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const slash = async (as: string, name: string, subcommand: string, options: Record<string, string> = {}): Promise<APIMessage> =>
		discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options }).waitForReply();
	const api = (path: string, init: RequestInit = {}) => {
		const token = container.apiTokens.issue({ userId: admin, guildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl()}/guilds/${guildId}${path}`, {
			...init,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
		});
	};
	const enabled = async (plugin: string) => (await bot.guildConfig.resolve(guildId)).plugins[plugin]?.enabled;
	const buttonsOf = (message: APIMessage): APIButtonComponentWithCustomId[] =>
		(message.components ?? [])
			.flatMap((row): unknown[] => (row.type === ComponentType.ActionRow ? row.components : []))
			.filter((component): component is APIButtonComponentWithCustomId => (component as { type: number }).type === ComponentType.Button);

	describe('plugin requirements hold at every door', () => {
		it('GIVEN role-mapping off THEN /config set of plugins.meetings.enabled is refused as /plugins enable refuses it', async () => {
			expect(await enabled('meetings')).to.equal(false);
			expect((await slash(admin, 'plugins', 'disable', { plugin: 'role-mapping' })).content).to.equal(
				'The **role-mapping** plugin is now off in this server.'
			);

			const viaConfig = await slash(admin, 'config', 'set', { key: 'plugins.meetings.enabled', value: 'true' });
			expect(viaConfig.content).to.equal('Nothing was changed: `plugins.meetings.enabled`: "meetings" needs "role-mapping" turned on first.');
			const viaPlugins = await slash(admin, 'plugins', 'enable', { plugin: 'meetings' });
			expect(viaPlugins.content).to.equal('"meetings" needs "role-mapping" turned on first.');
			const viaApi = await api('/config', { method: 'PATCH', body: JSON.stringify({ plugins: { meetings: { enabled: true } } }) });
			expect(viaApi.status).to.equal(409);
			expect(((await viaApi.json()) as { error: { code: string } }).error.code).to.equal('requires_disabled');
			expect(await enabled('meetings')).to.equal(false);
		});

		it('GIVEN meetings on THEN /config set turning role-mapping off is refused, naming meetings', async () => {
			await slash(admin, 'plugins', 'enable', { plugin: 'role-mapping' });
			await slash(admin, 'plugins', 'enable', { plugin: 'meetings' });
			const reply = await slash(admin, 'config', 'set', { key: 'plugins.role-mapping.enabled', value: 'false' });
			expect(reply.content).to.equal(
				'Nothing was changed: `plugins.role-mapping.enabled`: "role-mapping" cannot be turned off while "meetings" needs it; turn that off first.'
			);
			expect(await enabled('role-mapping')).to.equal(true);
		});
	});

	describe('validation messages in one voice', () => {
		it('GIVEN an over-long template title THEN /config set names the key, the limit and the length', async () => {
			const reply = await slash(admin, 'config', 'set', { key: 'notifications.templates.user.created.title', value: 'x'.repeat(300) });
			expect(reply.content).to.equal(
				'Nothing was changed: `notifications.templates.user.created.title`: at most 256 characters (this one has 300).'
			);
		});

		it('GIVEN role mappings through the API with a bad key or a 300-character role THEN each is refused for what is wrong with it', async () => {
			const badKey = await api('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { 'not-a-role': 'viewer' } }) });
			expect(badKey.status).to.equal(400);
			const keyError = ((await badKey.json()) as { error: { message: string; details: { path: string; message: string }[] } }).error;
			expect(keyError.details).to.deep.equal([
				{ path: 'mappings.not-a-role', message: 'the key "not-a-role" is not allowed: must be a Discord role id' }
			]);
			expect(keyError.message).to.include('mappings.not-a-role: the key "not-a-role" is not allowed').and.not.include('Invalid key in record');

			const roleId = discord.addRole(guildId, { name: 'Teachers' }).id;
			const longRole = await api('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { [roleId]: 'a'.repeat(300) } }) });
			const longError = ((await longRole.json()) as { error: { details: { path: string; message: string }[] } }).error;
			expect(longError.details).to.deep.equal([{ path: `mappings.${roleId}`, message: 'at most 64 characters (this one has 300)' }]);
		});
	});

	describe('/config view and /config reset', () => {
		it('GIVEN /config view with no key THEN all of it is shown, as a JSON file when longer than a message, saying so', async () => {
			const reply = await slash(admin, 'config', 'view');
			expect(reply.content).to.match(
				/^Configuration in effect: [\d,]+ characters, more than a message holds, so the whole of it is attached as `config\.json` \(nothing left out\)\.$/
			);
			expect(reply.attachments).to.have.lengthOf(1);
			const file = JSON.parse(await (await fetch(reply.attachments[0]!.url)).text()) as Record<string, unknown>;
			expect(file).to.have.keys(Object.keys(await bot.guildConfig.resolve(guildId)));
			expect(file).to.have.property('meetings');
		});

		it('GIVEN an unknown key THEN view and reset say it does not exist and list the keys that do', async () => {
			const viewed = await slash(admin, 'config', 'view', { key: 'meetings.nothing' });
			expect(viewed.content).to.match(/^There is no setting `meetings\.nothing`\. Settings under `meetings`: .*`defaultDurationMinutes`/);
			expect(viewed.content).to.not.include('/config view');
			const reset = await slash(admin, 'config', 'reset', { key: 'nope.nothing' });
			expect(reset.content).to.match(/^There is no setting `nope\.nothing`\. Top-level sections: .*`meetings`/);
			expect(reset.content).to.not.include('back to its default');
		});

		it('GIVEN /config reset with no key THEN it asks first, changes nothing until confirmed, then reports each key it reset', async () => {
			await slash(admin, 'config', 'set', { key: 'meetings.defaultDurationMinutes', value: '45' });
			const asked = await slash(admin, 'config', 'reset');
			expect(asked.content).to.match(/^Reset every setting this server changed \(\d+\) back to the bot’s defaults\?/);
			expect(asked.content).to.include('`meetings.defaultDurationMinutes`: `45` →');
			const [button] = buttonsOf(asked);
			expect(button!.style).to.equal(ButtonStyle.Danger);
			// Asking changed nothing.
			expect(((await bot.guildConfig.resolve(guildId)).meetings as { defaultDurationMinutes: number }).defaultDurationMinutes).to.equal(45);

			const pressedByMember = await discord.pressButton({ messageId: asked.id, customId: button!.custom_id, memberId: member }).waitForReply();
			expect(pressedByMember.content).to.include('needs the **Manage Server** permission');
			expect(((await bot.guildConfig.resolve(guildId)).meetings as { defaultDurationMinutes: number }).defaultDurationMinutes).to.equal(45);

			const again = await slash(admin, 'config', 'reset');
			const done = await discord.pressButton({ messageId: again.id, customId: buttonsOf(again)[0]!.custom_id, memberId: admin }).waitForReply();
			expect(done.content).to.match(/^Reset \d+ settings? of this server to the bot’s defaults:/);
			expect(done.content).to.include('`meetings.defaultDurationMinutes`: `45` → `60`');
			expect(buttonsOf(done)).to.have.lengthOf(0);
			expect(await bot.guildConfig.runtimeOverride(guildId)).to.deep.equal({});
			expect((await slash(admin, 'config', 'reset')).content).to.include('nothing to reset');
		});
	});

	describe('a plugin installed but not loaded', () => {
		it('GIVEN /plugins enable plugin:user-sync THEN the admin is told why and who can fix it', async () => {
			const reply = await slash(admin, 'plugins', 'enable', { plugin: 'user-sync' });
			expect(reply.content).to.not.include('There is no plugin');
			expect(reply.content).to.equal(
				'The "user-sync" plugin is installed on this bot but not loaded: it needs Discord\'s "Server Members Intent" for the bot, which the bot\'s operator has not turned on. Ask whoever runs the bot to turn it on in the Discord developer portal and in the bot\'s settings, then restart it; after that, `/plugins enable plugin:user-sync` works here.'
			);
			const viaConfig = await slash(admin, 'config', 'set', { key: 'plugins.user-sync.enabled', value: 'true' });
			expect(viaConfig.content).to.equal(reply.content);
		});

		it('GIVEN /plugins list by a plain member THEN it says to ask an admin, never to read the bot’s log', async () => {
			const reply = await slash(member, 'plugins', 'list');
			const footer = reply.embeds[0]!.footer!.text;
			expect(footer).to.equal('Installed but not loaded on this bot: user-sync. If you need one, ask a server admin.');
			expect(footer).to.not.include('log');
		});

		it('GIVEN the start THEN the operator was told once, at warning level, with the fix', () => {
			const lines = bot.log.lines.filter((line) => line.includes('Plugin "user-sync"'));
			expect(lines).to.have.lengthOf(1);
			expect(lines[0]).to.match(/warn/);
			expect(lines[0]).to.include('turn on "Server Members Intent"').and.include('DISCORD_PRIVILEGED_INTENTS');
		});
	});
});
