import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

interface MeetingAnswer {
	id: string;
	channelId: string | null;
	announced?: boolean;
}

/** A meeting started through the HTTP API without a channel is announced nowhere, and the API says so with `null`. */
describe('meetings API: a meeting without a channel has channelId null (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let channelId: string;
	let token: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Meetings by API' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		const hosts = discord.addRole(guildId, {
			name: 'Hosts',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 1
		}).id;
		const hostId = discord.addMember(guildId, { user: { username: 'host' }, roles: [hosts] }).user.id;
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		for (const plugin of ['role-mapping', 'meetings']) await bot.guildConfig.set(guildId, `plugins.${plugin}.enabled`, true);
		token = container.apiTokens.issue({ userId: hostId, guildId, scope: [GUILD_MANAGE_SCOPE] });
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const api = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${bot.apiUrl()}/guilds/${guildId}${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			...(body === undefined ? {} : { body: JSON.stringify(body) })
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	it('GIVEN POST without channelId THEN 201 with channelId null, not announced; the list and the end say null too', async () => {
		const created = await api('POST', '/meetings', { type: 'meeting', title: 'No channel' });
		expect(created.status).to.equal(201);
		const meeting = created.body as unknown as MeetingAnswer;
		expect(meeting).to.include({ channelId: null, announced: false });
		const listed = ((await api('GET', '/meetings')).body.meetings as MeetingAnswer[]).find((each) => each.id === meeting.id);
		expect(listed?.channelId).to.equal(null);
		const ended = await api('DELETE', `/meetings/${meeting.id}`);
		expect(ended.status).to.equal(200);
		expect(ended.body.channelId).to.equal(null);
	});

	it('GIVEN POST with a channelId THEN that channel id is answered', async () => {
		const created = await api('POST', '/meetings', { type: 'meeting', title: 'In a channel', channelId });
		expect(created.status).to.equal(201);
		expect(created.body).to.include({ channelId, announced: true });
	});
});
