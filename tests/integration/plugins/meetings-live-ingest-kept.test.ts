import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 4345;

/**
 * A live stream's ingest details exist only in the answer to the command that made it: Kaltura shows them to no
 * one else the bot knows, and `/meeting join` gives even the host only the watch link. When the watch link cannot
 * be shown (the operator's KALTURA_LINK_HOSTS does not list the watch template's host), the stream is made and
 * announced all the same, so the host must still get the ingest details, and not be told that starting failed.
 */
describe('meetings: a live stream’s ingest details reach the host even when its watch link is refused (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let host: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Strict links' });
		guildId = guild.id;
		const hosts = discord.addRole(guildId, {
			name: 'Hosts',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 1
		}).id;
		host = discord.addMember(guildId, { user: { username: 'host' }, roles: [hosts] }).user.id;
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		// Join links only: the default watch template's host ({partnerId}.mediaspace.kaltura.com) is not listed.
		bot = await startBotOnStandIns({ discord, kaltura }, { env: { KALTURA_LINK_HOSTS: '{partnerId}.kaf.kaltura.com' } });
		await bot.guildConfig.set(guildId, 'plugins.meetings.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	it('GIVEN the watch link is refused WHEN the host starts a live stream THEN the private answer still has the stream key and RTMP URL', async () => {
		const handle = discord.runSlashCommand({
			guildId,
			memberId: host,
			name: 'meeting',
			subcommand: 'start',
			options: { type: 'live', title: 'Strict stream' }
		});
		const reply = await handle.waitForReply(15_000);
		expect(handle.callback!.ephemeral).to.equal(true);
		const entries = [...kaltura.state.entries.values()].filter((entry) => entry.objectType === 'KalturaLiveStreamEntry');
		expect(entries, 'the live entry was made on Kaltura').to.have.lengthOf(1);
		const entry = entries[0]!;
		expect(reply.content, 'the host is not told it failed: the stream exists').to.not.include('did not work');
		expect(reply.content).to.include(`Stream key: \`${String(entry.id)}_1\``);
		expect(reply.content).to.include(`RTMP URL: \`${String(entry.primaryBroadcastingUrl)}\``);
		expect(reply.content).to.include('meetings.watchUrlTemplate');
	});
});
