import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { ChannelType, PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type SearchableAuditLog } from '../../../src/core/audit/audit-log.js';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { REDACTED } from '../../../src/core/redactor.js';
import { DiscordStandIn, type InteractionHandle } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { searchableAuditLog } from '../../helpers/audit-log.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 4321;
/** Shaped like a KS v2 and like a JWT: the bot knows neither value, only what such credentials look like. */
const KS = 'djJ8NDMyMXxhLXNlc3Npb24tYW4tYWRtaW4tcGFzdGVkLWJ5LW1pc3Rha2U=';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzb21lb25lIn0.bm90LWEtcmVhbC1zaWduYXR1cmUtYnV0LWNsb3Nl';

interface ApiPage {
	entries: (Omit<AuditEntry, 'at' | 'guildId'> & { at: string })[];
	next: string | null;
}

/**
 * The audit log in-process, on the real core and plugins, logged in to the Discord stand-in's gateway and
 * talking to the Kaltura stand-in: every admin action, driven as an admin drives it (a slash command, a
 * button, an API call), leaves exactly one entry, with no secret in it; `/audit` and the API read them.
 */
describe('Audit log: admin actions recorded once each, read back by /audit and the API', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let audit: SearchableAuditLog;
	let guildId: string;
	let channelId: string;
	let logChannelId: string;
	let adminId: string;
	let otherAdminId: string;
	let memberId: string;
	let teachersRoleId: string;
	const recorded = new Set<AuditAction>();

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Audited' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		logChannelId = discord.addChannel(guildId, { name: 'audit-log', type: ChannelType.GuildText }).id;
		// Manage Events too, so the admins may start and end meetings.
		const admins = discord.addRole(guildId, {
			name: 'Admins',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 3
		});
		teachersRoleId = discord.addRole(guildId, { name: 'Teachers', position: 2 }).id;
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;
		otherAdminId = discord.addMember(guildId, { user: { username: 'kim' }, roles: [admins.id] }).user!.id;
		memberId = discord.addMember(guildId, { user: { username: 'max' } }).user!.id;

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		audit = searchableAuditLog();
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const slash = (
		as: string,
		name: string,
		subcommand: string,
		options: Record<string, string | number> = {},
		subcommandGroup?: string
	): InteractionHandle =>
		discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options, ...(subcommandGroup === undefined ? {} : { subcommandGroup }) });

	const api = (path: string, init: RequestInit & { as?: string } = {}) => {
		const token = container.apiTokens.issue({ userId: init.as ?? adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl()}/guilds/${guildId}${path}`, {
			...init,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
		});
	};

	const all = () => audit.list({ guildId, limit: 1000 });

	/**
	 * Runs an admin action and returns the entries it added: the test then checks there is exactly one,
	 * of the expected action, so an action recorded twice (a command and a route sharing code) fails.
	 */
	async function entriesOf(act: () => Promise<unknown>): Promise<AuditEntry[]> {
		const before = new Set((await all()).map((entry) => entry.id));
		await act();
		const added = (await all()).filter((entry) => !before.has(entry.id));
		for (const entry of added) recorded.add(entry.action);
		return added;
	}

	async function onlyEntry(act: () => Promise<unknown>, expected: Partial<AuditEntry>): Promise<AuditEntry> {
		const added = await entriesOf(act);
		expect(
			added.map((entry) => entry.action),
			'entries added'
		).to.deep.equal([expected.action]);
		expect(added[0]).to.deep.include({ guildId, outcome: 'ok', ...expected });
		return added[0]!;
	}

	async function startMeeting(title: string): Promise<string> {
		const reply = await slash(adminId, 'meeting', 'start', { type: 'meeting', title }).waitForReply(15_000);
		const id = /Kaltura meeting `(\d+)`/.exec(reply.content)?.[1];
		expect(id, reply.content).to.be.a('string');
		return id!;
	}

	describe('recording', () => {
		it('GIVEN /plugins enable and the API turning plugins on and off THEN one entry each, with its source; a switch already in place adds none', async () => {
			const enabled = await onlyEntry(() => slash(adminId, 'plugins', 'enable', { plugin: 'meetings' }).waitForReply(), {
				action: 'plugin.enable',
				actorId: adminId,
				source: 'command',
				target: 'meetings'
			});
			expect(enabled.changes).to.deep.equal({ before: false, after: true });
			expect(await entriesOf(() => slash(adminId, 'plugins', 'enable', { plugin: 'meetings' }).waitForReply())).to.deep.equal([]);
			await onlyEntry(
				async () =>
					expect(
						(await api('/plugins/videos', { method: 'PUT', body: JSON.stringify({ enabled: true }), as: otherAdminId })).status
					).to.equal(200),
				{ action: 'plugin.enable', actorId: otherAdminId, source: 'api', target: 'videos' }
			);
			await onlyEntry(
				async () => expect((await api('/plugins/videos', { method: 'PUT', body: JSON.stringify({ enabled: false }) })).status).to.equal(200),
				{ action: 'plugin.disable', source: 'api', target: 'videos', changes: { before: true, after: false } }
			);
			await onlyEntry(() => slash(adminId, 'plugins', 'enable', { plugin: 'notifications' }).waitForReply(), {
				action: 'plugin.enable',
				target: 'notifications'
			});
		});

		it('GIVEN /config set with a KS- and a JWT-shaped value THEN one entry with the key and both values, both credentials redacted', async () => {
			const key = 'notifications.templates.entry.ready.title';
			const entry = await onlyEntry(
				async () =>
					expect((await slash(adminId, 'config', 'set', { key, value: `Ready ${KS} ${JWT}` }).waitForReply()).content).to.include('is now'),
				{ action: 'config.set', source: 'command', target: key }
			);
			expect(entry.changes).to.deep.equal({ [key]: { before: null, after: `Ready ${REDACTED} ${REDACTED}` } });
		});

		it('GIVEN /config reset of that key THEN one config.reset entry with the value it had, still redacted', async () => {
			const key = 'notifications.templates.entry.ready.title';
			const entry = await onlyEntry(() => slash(adminId, 'config', 'reset', { key }).waitForReply(), { action: 'config.reset', target: key });
			expect(entry.changes).to.deep.equal({ [key]: { before: `Ready ${REDACTED} ${REDACTED}`, after: null } });
		});

		it('GIVEN a PATCH of the config through the API THEN one config.set entry listing each key changed with before and after', async () => {
			const patch = { notifications: { templates: { entry: { added: { title: `Added ${JWT}` }, ready: { description: 'Fresh' } } } } };
			const entry = await onlyEntry(
				async () => expect((await api('/config', { method: 'PATCH', body: JSON.stringify(patch) })).status).to.equal(200),
				{ action: 'config.set', source: 'api', target: 'notifications' }
			);
			expect(entry.changes).to.deep.equal({
				'notifications.templates.entry.added.title': { before: null, after: `Added ${REDACTED}` },
				'notifications.templates.entry.ready.description': { before: null, after: 'Fresh' }
			});
		});

		it('GIVEN /roles map, default and unmap, and a PUT of the role mappings THEN one entry each', async () => {
			await onlyEntry(() => slash(adminId, 'roles', 'map', { role: teachersRoleId, 'kaltura-role': 'moderator' }).waitForReply(), {
				action: 'role-mapping.set',
				target: teachersRoleId,
				changes: { before: null, after: 'moderator' }
			});
			await onlyEntry(() => slash(adminId, 'roles', 'default', { 'kaltura-role': 'viewer' }).waitForReply(), {
				action: 'role-mapping.default'
			});
			await onlyEntry(() => slash(adminId, 'roles', 'unmap', { role: teachersRoleId }).waitForReply(), {
				action: 'role-mapping.remove',
				target: teachersRoleId
			});
			await onlyEntry(
				async () =>
					expect(
						(await api('/role-mappings', { method: 'PUT', body: JSON.stringify({ mappings: { [teachersRoleId]: 'moderator' } }) })).status
					).to.equal(200),
				{ action: 'role-mapping.set', source: 'api' }
			);
		});

		it('GIVEN a meeting ended with the confirm button and another through the API THEN one meeting.end entry each', async () => {
			const first = await startMeeting('Ended by button');
			const confirmation = await slash(adminId, 'meeting', 'end', { meeting: first }).waitForReply();
			await onlyEntry(
				async () =>
					expect(
						(
							await discord
								.pressButton({ messageId: confirmation.id, customId: `meetings:end:${first}`, memberId: adminId })
								.waitForReply()
						).content
					).to.include('has ended'),
				{ action: 'meeting.end', source: 'component', actorId: adminId, target: first }
			);
			const second = await startMeeting('Ended through the API');
			await onlyEntry(async () => expect((await api(`/meetings/${second}`, { method: 'DELETE', as: otherAdminId })).status).to.equal(200), {
				action: 'meeting.end',
				source: 'api',
				actorId: otherAdminId,
				target: second
			});
		});

		it('GIVEN /notifications subscribe, unsubscribe, template set and reset THEN one entry each; unsubscribing a channel with none adds nothing', async () => {
			await onlyEntry(() => slash(adminId, 'notifications', 'subscribe', { channel: channelId, events: 'entry.ready' }).waitForReply(), {
				action: 'notifications.subscribe',
				target: channelId,
				changes: { events: ['entry.ready'], categoryId: null, roleId: null, replaced: null }
			});
			await onlyEntry(() => slash(adminId, 'notifications', 'unsubscribe', { channel: channelId }).waitForReply(), {
				action: 'notifications.unsubscribe',
				target: channelId
			});
			expect(await entriesOf(() => slash(adminId, 'notifications', 'unsubscribe', { channel: channelId }).waitForReply())).to.deep.equal([]);
			const set = await onlyEntry(
				() => slash(adminId, 'notifications', 'set', { event: 'entry.ready', title: `New: {title} ${KS}` }, 'template').waitForReply(),
				{
					action: 'notifications.template-set',
					target: 'entry.ready'
				}
			);
			expect(set.changes).to.deep.equal({ title: `New: {title} ${REDACTED}` });
			await onlyEntry(() => slash(adminId, 'notifications', 'reset', { event: 'entry.ready' }, 'template').waitForReply(), {
				action: 'notifications.template-reset',
				target: 'entry.ready'
			});
		});

		it('GIVEN /audit channel set THEN the change is recorded and every new entry is posted there, pinging no one', async () => {
			const entry = await onlyEntry(() => slash(adminId, 'audit', 'set', { channel: logChannelId }, 'channel').waitForReply(), {
				action: 'audit.channel-set',
				target: logChannelId,
				changes: { before: null, after: logChannelId }
			});
			const first = await discord.waitForMessage({ channelId: logChannelId, content: 'audit.channel-set' });
			expect(first.message.content)
				.to.include(`<@${adminId}>`)
				.and.include(`<t:${Math.floor(entry.at / 1000)}:f>`);
			const posts = discord
				.requestsMatching({ method: 'POST', route: '/channels/:channel_id/messages' })
				.filter((request) => request.path.includes(logChannelId));
			expect(posts.at(-1)!.body).to.deep.include({ allowed_mentions: { parse: [] } });

			await slash(adminId, 'config', 'set', { key: 'notifications.templates.entry.added.title', value: `Posted ${KS}` }).waitForReply();
			const posted = await discord.waitForMessage({ channelId: logChannelId, content: 'config.set' });
			expect(posted.message.content).to.not.include(KS);
			// Values are escaped in the line (`\[REDACTED\]`, which Discord shows as `[REDACTED]`).
			expect(posted.message.content).to.include(REDACTED.replaceAll(/[[\]]/g, '\\$&'));
		});

		it('GIVEN /audit channel clear THEN it is recorded and nothing more is posted there', async () => {
			await onlyEntry(() => slash(adminId, 'audit', 'clear', {}, 'channel').waitForReply(), {
				action: 'audit.channel-set',
				target: logChannelId,
				changes: { before: logChannelId, after: null }
			});
			await (audit as SearchableAuditLog & { settled(): Promise<void> }).settled();
			const count = discord.channelMessages(logChannelId).length;
			await slash(adminId, 'plugins', 'disable', { plugin: 'videos' }).waitForReply();
			await slash(adminId, 'config', 'set', { key: 'notifications.templates.entry.added.title', value: 'Quiet' }).waitForReply();
			await (audit as SearchableAuditLog & { settled(): Promise<void> }).settled();
			expect(discord.channelMessages(logChannelId)).to.have.lengthOf(count);
		});

		it('GIVEN everything above THEN each admin action this suite drives was recorded, and no entry holds a secret', async () => {
			const driven: AuditAction[] = [
				'plugin.enable',
				'plugin.disable',
				'config.set',
				'config.reset',
				'role-mapping.set',
				'role-mapping.remove',
				'role-mapping.default',
				'meeting.end',
				'notifications.subscribe',
				'notifications.unsubscribe',
				'notifications.template-set',
				'notifications.template-reset',
				'audit.channel-set'
			];
			expect(driven.every((action) => (AUDIT_ACTIONS as readonly string[]).includes(action))).to.equal(true);
			expect([...recorded].sort()).to.include.members(driven);
			const stored = JSON.stringify(await all());
			for (const secret of [KS, JWT, TEST_SECRETS.KALTURA_ADMIN_SECRET, TEST_SECRETS.JWT_SECRET, discord.token])
				expect(stored).to.not.include(secret);
			expect(stored).to.not.match(/djJ8|eyJ[\w-]+\.eyJ/);
		});
	});

	describe('reading', () => {
		const lineCount = (reply: APIMessage) => reply.embeds[0]!.description!.split('\n').filter((line) => line.startsWith('<t:')).length;

		it('GIVEN /audit list THEN ten entries a page, newest first, and the pages follow each other', async () => {
			const entries = await all();
			expect(entries.length).to.be.greaterThan(20);
			const first = await slash(adminId, 'audit', 'list').waitForReply();
			expect(lineCount(first)).to.equal(10);
			expect(first.embeds[0]!.description!.split('\n')[0]).to.include(`\`${entries[0]!.action}\``);
			expect(first.embeds[0]!.footer!.text).to.equal('Page 1, newest first · older entries: /audit list page:2');
			const second = await slash(adminId, 'audit', 'list', { page: 2 }).waitForReply();
			expect(second.embeds[0]!.description!.split('\n')[0])
				.to.include(`\`${entries[10]!.action}\``)
				.and.include(`<t:${Math.floor(entries[10]!.at / 1000)}:R>`);
			const last = Math.ceil(entries.length / 10);
			const end = await slash(adminId, 'audit', 'list', { page: last }).waitForReply();
			expect(lineCount(end)).to.equal(entries.length - (last - 1) * 10);
			expect(end.embeds[0]!.footer!.text).to.equal(`Page ${last}, newest first`);
		});

		it('GIVEN /audit list by member or by action THEN only those entries are listed', async () => {
			const byOther = await slash(adminId, 'audit', 'list', { member: otherAdminId }).waitForReply();
			const expected = (await all()).filter((entry) => entry.actorId === otherAdminId);
			expect(expected.length).to.be.greaterThan(0);
			expect(lineCount(byOther)).to.equal(expected.length);
			for (const line of byOther.embeds[0]!.description!.split('\n').filter((text) => text.startsWith('<t:')))
				expect(line).to.include(`<@${otherAdminId}>`);

			const ends = await slash(adminId, 'audit', 'list', { action: 'meeting.end' }).waitForReply();
			expect(lineCount(ends)).to.equal(2);
			expect(ends.embeds[0]!.description).to.not.include('plugin.enable');
		});

		it('GIVEN a member without Manage Server THEN Discord hides /audit from them', () => {
			expect(() => slash(memberId, 'audit', 'list')).to.throw(/permission/i);
		});

		it('GIVEN the API THEN pages follow the cursor, newest first, with filters; bad parameters are refused', async () => {
			const entries = await all();
			const seen: string[] = [];
			let before: string | null = '';
			while (before !== null) {
				const response = await api(`/audit?limit=7${before === '' ? '' : `&before=${before}`}`);
				expect(response.status).to.equal(200);
				const page = (await response.json()) as ApiPage;
				expect(page.entries.length).to.be.at.most(7);
				seen.push(...page.entries.map((entry) => entry.id));
				before = page.next;
			}
			expect(seen).to.deep.equal(entries.map((entry) => entry.id));

			const byAction = (await (await api('/audit?action=plugin.enable')).json()) as ApiPage;
			expect(byAction.entries.map((entry) => entry.action)).to.deep.equal(
				entries.filter((entry) => entry.action === 'plugin.enable').map(() => 'plugin.enable')
			);
			const byActor = (await (await api(`/audit?actor=${otherAdminId}&limit=100`)).json()) as ApiPage;
			expect(byActor.entries.map((entry) => entry.id)).to.deep.equal(
				entries.filter((entry) => entry.actorId === otherAdminId).map((entry) => entry.id)
			);
			expect(byActor.next).to.equal(null);
			const byTime = (await (await api(`/audit?before=${entries[3]!.at}&limit=100`)).json()) as ApiPage;
			expect(byTime.entries.every((entry) => Date.parse(entry.at) < entries[3]!.at)).to.equal(true);

			for (const query of ['limit=0', 'limit=101', 'action=nope', 'actor=ada', 'before=yesterday'])
				expect((await api(`/audit?${query}`)).status, query).to.equal(400);
			expect((await fetch(`${bot.apiUrl()}/guilds/${guildId}/audit`)).status).to.equal(401);
		});
	});
});
