import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { ChannelType, PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import type { SearchableAuditLog } from '../../../src/core/audit/audit-log.js';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn, type InteractionHandle } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { maskedLinkTargets } from '../../helpers/markdown-links.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 5151;
/** On the partner's own KAF host, so the host check passes; its path closes the bot's link and opens one to evil.example. */
const SMUGGLING_KAF_URL = 'https://{partnerId}.kaf.kaltura.com/x)[Open_the_meeting](https://evil.example/steal';
const PHISHING_TITLE = '[Audit: re-verify here](https://evil.example/x)';

/** Every masked link of a message: its content, and its embeds' titles, descriptions and field values. */
function linksOf(message: Pick<APIMessage, 'content' | 'embeds'>): string[] {
	const texts = [
		message.content,
		...message.embeds.flatMap((embed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).map((field) => field.value)])
	];
	return texts.flatMap((text) => maskedLinkTargets(text));
}

/**
 * What a server admin, a member or someone with access to the Kaltura partner can write, and the bot later
 * puts into markdown (a link setting, a meeting title, an event's tags), in-process on the real core and
 * plugins against the Discord and Kaltura stand-ins: none of it becomes a link of its own.
 */
describe('Links in the bot’s markdown: settings, titles and Kaltura tags make no links of their own', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let channelId: string;
	let logChannelId: string;
	let adminId: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Linked' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		logChannelId = discord.addChannel(guildId, { name: 'audit-log', type: ChannelType.GuildText }).id;
		const admins = discord.addRole(guildId, {
			name: 'Admins',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 2
		});
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;

		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		// The meetings plugin is off until an admin turns it on.
		const enabled = await discord
			.runSlashCommand({ guildId, memberId: adminId, name: 'plugins', subcommand: 'enable', options: { plugin: 'meetings' } })
			.waitForReply();
		expect(enabled.content).to.include('meetings');
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const slash = (name: string, subcommand: string, options: Record<string, string | number> = {}, subcommandGroup?: string): InteractionHandle =>
		discord.runSlashCommand({
			guildId,
			memberId: adminId,
			name,
			subcommand,
			options,
			...(subcommandGroup === undefined ? {} : { subcommandGroup })
		});

	const api = (path: string, init: RequestInit = {}) => {
		const token = container.apiTokens.issue({ userId: adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl()}/guilds/${guildId}${path}`, {
			...init,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
		});
	};

	const kafBaseUrl = async () => ((await container.guildConfig.resolve(guildId)).meetings as { kafBaseUrl: string }).kafBaseUrl;

	it('GIVEN /config set of a kafBaseUrl on the partner’s host whose path opens a second link THEN it is refused, naming the character, and join links stay on KAF', async () => {
		const reply = await slash('config', 'set', { key: 'meetings.kafBaseUrl', value: SMUGGLING_KAF_URL }).waitForReply();
		expect(reply.content).to.include('meetings.kafBaseUrl').and.include('it contains ")"');
		expect(await kafBaseUrl()).to.equal('https://{partnerId}.kaf.kaltura.com');

		const start = await slash('meeting', 'start', { type: 'meeting', title: 'Weekly' }).waitForReply(15_000);
		const id = /Kaltura meeting `(\d+)`/.exec(start.content)?.[1];
		expect(id, start.content).to.be.a('string');
		const join = await slash('meeting', 'join', { meeting: id! }).waitForReply(15_000);
		expect(maskedLinkTargets(join.content).map((target) => new URL(target).hostname)).to.deep.equal([`${PARTNER_ID}.kaf.kaltura.com`]);
	});

	it('GIVEN the same value in a config PATCH through the API THEN it is refused and nothing changes', async () => {
		const response = await api('/config', { method: 'PATCH', body: JSON.stringify({ meetings: { kafBaseUrl: SMUGGLING_KAF_URL } }) });
		expect(response.status).to.equal(422);
		expect(JSON.stringify(await response.json())).to.include('it contains \\")\\"');
		expect(await kafBaseUrl()).to.equal('https://{partnerId}.kaf.kaltura.com');
	});

	it('GIVEN a meeting titled like a masked link, ended THEN neither /audit list nor the audit log channel links anywhere', async () => {
		await slash('audit', 'set', { channel: logChannelId }, 'channel').waitForReply();
		const start = await slash('meeting', 'start', { type: 'meeting', title: PHISHING_TITLE }).waitForReply(15_000);
		const id = /Kaltura meeting `(\d+)`/.exec(start.content)?.[1] ?? '';
		expect(id, start.content).to.not.equal('');
		const confirmation = await slash('meeting', 'end', { meeting: id }).waitForReply();
		expect(
			(await discord.pressButton({ messageId: confirmation.id, customId: `meetings:end:${id}`, memberId: adminId }).waitForReply()).content
		).to.include('has ended');
		await (container.audit as SearchableAuditLog & { settled(): Promise<void> }).settled();

		const list = await slash('audit', 'list', { action: 'meeting.end' }).waitForReply();
		const line = list.embeds[0]!.description!.split('\n').find((text) => text.includes(id))!;
		expect(line, list.embeds[0]!.description).to.include('Audit: re-verify here');
		expect(linksOf(list)).to.deep.equal([]);

		const posted = await discord.waitForMessage({ channelId: logChannelId, content: 'meeting.end' });
		expect(posted.message.content).to.include('Audit: re-verify here');
		expect(maskedLinkTargets(posted.message.content)).to.deep.equal([]);
	});

	it('GIVEN a schedule event of this server whose host tag holds `1>[Join here](https://evil.example)<@1` THEN /meeting list does not show it and links nowhere', async () => {
		const now = kaltura.state.now();
		kaltura.state.addScheduleEvent({
			summary: 'Edited on Kaltura',
			startDate: now + 3600,
			endDate: now + 7200,
			referenceId: `discord_guild_${guildId}`,
			tags: `discord_guild:${guildId},discord_channel:${channelId},discord_host:1>[Join here](https://evil.example)<@1,discord_meeting_type:meeting`
		});
		const start = await slash('meeting', 'start', { type: 'meeting', title: 'Planning' }).waitForReply(15_000);
		expect(start.content).to.include('Planning');
		const list = await slash('meeting', 'list').waitForReply(15_000);
		expect(linksOf(list)).to.deep.equal([]);
		// The list is there, with the bot's own meeting and without the edited event.
		expect(list.embeds[0]!.description).to.include('Planning').and.not.include('Edited on Kaltura');
	});
});
