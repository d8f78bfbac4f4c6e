import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { AuditEntry, SearchableAuditLog } from '../../../src/core/audit/audit-log.js';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { searchableAuditLog } from '../../helpers/audit-log.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';
import { waitUntil } from '../../helpers/wait-until.js';

const PARTNER_ID = 4321;

/**
 * Two admin actions that change things on Kaltura are in the audit log, once each, whichever way they
 * were made: `/kaltura-sync` (which can create, update, block or delete Kaltura users) and starting a
 * meeting (`/meeting start`, the message context menu, `POST /guilds/:guildId/meetings`).
 */
describe('Audit log: /kaltura-sync and meeting starts recorded once each', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let audit: SearchableAuditLog;
	let guildId: string;
	let channelId: string;
	let adminId: string;
	let otherAdminId: string;

	before(async () => {
		discord = await DiscordStandIn.start({ privilegedIntents: { guildMembers: true } });
		const guild = discord.addGuild({ name: 'Audited' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		const admins = discord.addRole(guildId, {
			name: 'Admins',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 2
		}).id;
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins] }).user.id;
		otherAdminId = discord.addMember(guildId, { user: { username: 'kim' }, roles: [admins] }).user.id;
		for (let index = 0; index < 3; index++) discord.addMember(guildId, { user: { username: `member-${index}` } });

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura }, { env: { DISCORD_PRIVILEGED_INTENTS: 'GuildMembers' } });
		audit = searchableAuditLog();
		for (const plugin of ['user-sync', 'meetings']) await bot.guildConfig.set(guildId, `plugins.${plugin}.enabled`, true);
		await bot.guildConfig.set(guildId, 'user-sync.reconcileIntervalMinutes', 0);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const entries = () => audit.list({ guildId, limit: 1000 });

	/** The entries `act` added, once `settled` says every one it should add is there (then a moment more, for any extra). */
	async function entriesOf(act: () => Promise<unknown>, settled: (added: AuditEntry[]) => boolean): Promise<AuditEntry[]> {
		const before = new Set((await entries()).map((entry) => entry.id));
		await act();
		const added = async () => (await entries()).filter((entry) => !before.has(entry.id));
		const deadline = Date.now() + 10_000;
		while (!settled(await added()) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
		await new Promise((done) => setTimeout(done, 200));
		return added();
	}

	const meetingIdIn = (text: string) => {
		const id = /Kaltura meeting `(\d+)`/.exec(text)?.[1];
		expect(id, text).to.be.a('string');
		return id!;
	};

	it('GIVEN /kaltura-sync THEN one kaltura-sync.run entry, once the pass is over, with what it did', async () => {
		let summary = '';
		const added = await entriesOf(
			async () => {
				const handle = discord.runSlashCommand({ guildId, memberId: adminId, name: 'kaltura-sync' });
				summary = (await waitUntil(() => handle.edits.find((edit) => edit.content.startsWith('**Synced')), 'the summary', 20_000)).content;
			},
			(list) => list.length > 0
		);
		expect(summary).to.match(/^\*\*Synced 6 members to Kaltura\*\*/);
		expect(added.map((entry) => entry.action)).to.deep.equal(['kaltura-sync.run']);
		expect(added[0]).to.deep.include({ actorId: adminId, source: 'command', outcome: 'ok', target: '6 members' });
		expect(added[0]!.changes).to.deep.include({ total: 6, created: 6, updated: 0, failed: 0 });
	});

	it('GIVEN /meeting start THEN one meeting.start entry for the meeting it created', async () => {
		let id = '';
		const added = await entriesOf(
			async () => {
				const reply = await discord
					.runSlashCommand({
						guildId,
						memberId: adminId,
						name: 'meeting',
						subcommand: 'start',
						options: { type: 'webinar', title: 'Town hall' }
					})
					.waitForReply(15_000);
				id = meetingIdIn(reply.content);
			},
			(list) => list.length > 0
		);
		expect(added.map((entry) => entry.action)).to.deep.equal(['meeting.start']);
		expect(added[0]).to.deep.include({ actorId: adminId, source: 'command', target: id });
		expect(added[0]!.changes).to.deep.include({ title: 'Town hall', type: 'webinar', channelId });
	});

	it('GIVEN the message context menu THEN one meeting.start entry', async () => {
		const message = discord.postMessage({ channelId, authorId: otherAdminId, content: 'Can we talk about the roadmap?' });
		let id = '';
		const added = await entriesOf(
			async () => {
				const reply = await discord
					.runMessageContextMenu({ guildId, memberId: otherAdminId, name: 'Start Kaltura meeting', targetMessageId: message.id })
					.waitForReply(15_000);
				id = meetingIdIn(reply.content);
			},
			(list) => list.length > 0
		);
		expect(added.map((entry) => entry.action)).to.deep.equal(['meeting.start']);
		expect(added[0]).to.deep.include({ actorId: otherAdminId, source: 'command', target: id });
	});

	it('GIVEN POST /guilds/:guildId/meetings THEN one meeting.start entry from the API, by the token’s user; a refused start adds none', async () => {
		const token = container.apiTokens.issue({ userId: otherAdminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		const post = (body: unknown) =>
			fetch(`${bot.apiUrl()}/guilds/${guildId}/meetings`, {
				method: 'POST',
				body: JSON.stringify(body),
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
			});
		let id = '';
		const added = await entriesOf(
			async () => {
				const response = await post({ type: 'meeting', title: 'From the API' });
				expect(response.status).to.equal(201);
				id = ((await response.json()) as { id: string }).id;
			},
			(list) => list.length > 0
		);
		expect(added.map((entry) => entry.action)).to.deep.equal(['meeting.start']);
		expect(added[0]).to.deep.include({ actorId: otherAdminId, source: 'api', target: id });
		expect(added[0]!.changes).to.deep.include({ channelId: null });

		const refused = await entriesOf(
			async () => expect((await post({ type: 'meeting', title: '' })).status).to.equal(400),
			() => true
		);
		expect(refused).to.deep.equal([]);
	});
});
