import { expect } from 'chai';
import { setUsageListener, type UsageEvent } from '../../../src/core/metrics/usage.js';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../../tests/helpers/test-bot.js';

/** A share is counted in the server's usage report (recordUsage) once it is posted, and only then. */
describe('videos plugin: shares count in the server’s usage', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let channelId: string;
	let memberId: string;
	let entryId: string;
	let stopListening: () => void;
	const recorded: { guildId: string; event: UsageEvent }[] = [];

	const shareFrom = async (content: string) => {
		const message = discord.addMessage({ channelId, authorId: memberId, content });
		const handle = discord.runMessageContextMenu({ guildId, memberId, name: 'Share Kaltura video', targetMessageId: message.id });
		const reply = await handle.waitForReply(15_000);
		// A share's post follows its private reply, and is counted once posted.
		if (reply.content?.startsWith('Shared') === true) await handle.waitForFollowUp(1, 15_000);
		await new Promise((resolve) => setTimeout(resolve, 100));
		return reply;
	};
	const shares = () => recorded.filter((usage) => usage.event === 'video_shared' && usage.guildId === guildId).length;

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Usage club' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		memberId = discord.addMember(guildId, { user: { username: 'sam' } }).user!.id;
		kaltura = await KalturaStandIn.start({ partnerId: 7272, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		entryId = String(kaltura.state.addEntry({ name: 'Counted video', duration: 30 }).id);
		bot = await startBotOnStandIns({ discord, kaltura });
		await bot.guildConfig.set(guildId, 'plugins.videos.enabled', true);
		// Registered after the bot started, so it replaces the metrics plugin's store for this test.
		stopListening = setUsageListener((guild, event) => recorded.push({ guildId: guild, event }));
	});

	after(async () => {
		stopListening?.();
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	it('GIVEN a video shared THEN one video_shared is recorded for the server', async () => {
		const reply = await shareFrom(`look: ${entryId}`);
		expect(reply.content).to.equal('Shared “Counted video” in this channel.');
		expect(shares()).to.equal(1);
	});

	it('GIVEN a share refused (no such entry) or a message with no video THEN nothing is recorded', async () => {
		const before = shares();
		expect((await shareFrom('look: 0_zzzzzzzz')).content).to.match(/^You cannot share that video/);
		expect((await shareFrom('nothing to see')).content).to.match(/^No Kaltura video found/);
		expect(shares()).to.equal(before);
	});
});
