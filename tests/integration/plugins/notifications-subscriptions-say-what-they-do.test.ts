import { expect } from 'chai';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';
import { waitUntil } from '../../helpers/wait-until.js';

const PARTNER_ID = 4321;

/**
 * `/notifications` as a new server admin meets it, on the Discord and Kaltura stand-ins with the bot in process:
 * what a subscription takes and says, the category it is limited to, and the posts it brings (samples and real
 * events) reading as their event.
 */
describe('notifications: subscriptions say what they do, and posts fit their event (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let ownerId: string;
	let roleId: string;
	let webhook: string;

	const slash = (subcommand: string, options: Record<string, string> = {}) =>
		discord.runSlashCommand({ guildId, memberId: ownerId, name: 'notifications', subcommand, options }).waitForReply();
	const titles = (channelId: string) => discord.channelMessages(channelId).map((message) => message.embeds[0]?.title);

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Notified' });
		guildId = guild.id;
		ownerId = guild.ownerId;
		roleId = discord.addRole(guildId, { name: 'Video fans', mentionable: true }).id;
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET,
			notifications: { attempts: 1, retryIntervalMs: 20, autoDispatch: false }
		});
		bot = await startBotOnStandIns({ discord, kaltura });
		await bot.guildConfig.set(guildId, 'plugins.notifications.enabled', true);
		webhook = `${bot.apiUrl()}/webhooks/kaltura`;
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	it('GIVEN events: made only of commas or spaces THEN nothing is subscribed and the reply says to name types or `all`', async () => {
		const channel = discord.addChannel(guildId, { name: 'commas' }).id;
		for (const events of [',', ' , ,']) {
			const reply = await slash('subscribe', { channel, events });
			expect(reply.content, events).to.equal(
				'Nothing was changed: no event type was given. Use `all` for every event, or a comma list of types such as `entry.ready,live_stream.started`.'
			);
		}
		expect((await slash('list')).embeds?.[0]?.description ?? '').to.not.include(`<#${channel}>`);
		expect((await slash('subscribe', { channel, events: 'all' })).content).to.equal(`<#${channel}> now gets every Kaltura event.`);
	});

	it('GIVEN a channel subscribed again THEN the reply names what the new subscription replaced; the same one again is said to be the same', async () => {
		const channel = discord.addChannel(guildId, { name: 'again' }).id;
		expect((await slash('subscribe', { channel, events: 'all', 'mention-role': roleId })).content).to.equal(
			`<#${channel}> now gets every Kaltura event, mentioning <@&${roleId}>.`
		);
		expect((await slash('subscribe', { channel, events: 'entry.ready', category: '7' })).content).to.equal(
			`<#${channel}> now gets \`entry.ready\` in category 7. This replaces its earlier subscription: every Kaltura event, mentioning <@&${roleId}>.`
		);
		expect((await slash('subscribe', { channel, events: 'Entry-Ready', category: '7' })).content).to.equal(
			`<#${channel}> now gets \`entry.ready\` in category 7. That is the subscription it had already.`
		);
	});

	it('GIVEN a subscription limited to a category THEN an event of an entry outside it is not posted there, one inside it is', async () => {
		const lectures = String(kaltura.state.addCategory({ name: 'Lectures' }).id);
		const other = String(kaltura.state.addCategory({ name: 'Other' }).id);
		const limited = discord.addChannel(guildId, { name: 'lectures' }).id;
		const everything = discord.addChannel(guildId, { name: 'all-entries' }).id;
		expect((await slash('subscribe', { channel: limited, events: 'entry.ready', category: lectures })).content).to.include(
			`in category ${lectures}`
		);
		expect((await slash('subscribe', { channel: everything, events: 'entry.ready' })).content).to.include(`<#${everything}> now gets`);
		const outside = kaltura.state.addEntry({ name: 'Not a lecture', categoriesIds: other });
		const inside = kaltura.state.addEntry({ name: 'A lecture', categoriesIds: `${other},${lectures}` });
		expect(outside.categoriesIds).to.equal(other);
		// Outside first: a channel is sent in the order its deliveries were queued, so once the inside post is there, an outside one would be too.
		for (const entry of [outside, inside])
			expect((await kaltura.notifications.sendEvent({ url: webhook, event: 'entryReady', object: String(entry.id) })).statuses).to.deep.equal([
				200
			]);
		await waitUntil(() => titles(everything).length === 2 && titles(limited).length >= 1, 'the posts');
		expect(titles(everything), 'the event outside the category did arrive').to.deep.equal([
			'New video ready: Not a lecture',
			'New video ready: A lecture'
		]);
		expect(titles(limited)).to.deep.equal(['New video ready: A lecture']);
	});

	it('GIVEN /notifications test of a new Kaltura user and of a meeting THEN the user sample is a user, the meeting sample has its time', async () => {
		const channel = discord.addChannel(guildId, { name: 'samples' }).id;
		expect((await slash('test', { channel, event: 'user.created' })).content).to.equal(
			`A sample \`user.created\` post was sent to <#${channel}>.`
		);
		expect(titles(channel)).to.deep.equal(['New Kaltura user: Sample user']);
		expect(discord.channelMessages(channel)[0]!.components ?? [], 'no Watch button: a user is no video').to.deep.equal([]);
		await slash('test', { channel, event: 'meeting.scheduled' });
		const meeting = discord.channelMessages(channel)[1]!.embeds[0]!;
		expect(meeting.title).to.equal('Meeting scheduled: Sample meeting');
		expect(meeting.fields?.map((field) => field.name)).to.deep.equal(['Starts', 'Ends']);
		expect(meeting.fields?.[0]?.value).to.match(/^<t:\d+:F> \(<t:\d+:R>\)$/);
	});

	it('GIVEN a meeting scheduled on Kaltura THEN its post shows when it starts and ends as Discord timestamps', async () => {
		const channel = discord.addChannel(guildId, { name: 'meetings' }).id;
		await slash('subscribe', { channel, events: 'meeting.scheduled' });
		const start = Math.floor(Date.now() / 1000) + 86_400;
		const meeting = kaltura.state.addScheduleEvent({ summary: 'Quarterly review', startDate: start, endDate: start + 3600 });
		const payload = kaltura.notifications.buildNotification({
			eventType: 5,
			eventObjectType: 'scheduleEventNotifications.ScheduleEvent',
			object: meeting,
			jobId: kaltura.notifications.nextJobId()
		});
		expect((await kaltura.notifications.send({ url: webhook, payload })).statuses).to.deep.equal([200]);
		const [post] = await waitUntil(() => discord.channelMessages(channel).length === 1 && discord.channelMessages(channel), 'the meeting post');
		expect(post!.embeds[0]!.title).to.equal('Meeting scheduled: Quarterly review');
		expect(post!.embeds[0]!.fields).to.deep.equal([
			{ name: 'Starts', value: `<t:${start}:F> (<t:${start}:R>)`, inline: true },
			{ name: 'Ends', value: `<t:${start + 3600}:F>`, inline: true }
		]);
	});
});
