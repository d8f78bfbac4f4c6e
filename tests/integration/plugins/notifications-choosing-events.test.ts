import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

interface Choices {
	choices: { name: string; value: string }[];
}

/** `/notifications subscribe events:` as a new user tries it: picked by autocomplete, several, in any spelling. */
describe('notifications: choosing events in /notifications subscribe (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let on: { guildId: string; admin: string; channel: string };
	let off: { guildId: string; admin: string; channel: string };

	before(async () => {
		discord = await DiscordStandIn.start();
		const withAdmin = (name: string) => {
			const guildId = discord.addGuild({ name }).id;
			const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
			return {
				guildId,
				admin: discord.addMember(guildId, { user: { username: `${name}-admin` }, roles: [admins] }).user.id,
				channel: discord.addChannel(guildId, { name: 'news' }).id
			};
		};
		on = withAdmin('on');
		off = withAdmin('off');
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		await bot.guildConfig.set(on.guildId, 'plugins.notifications.enabled', true);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const suggest = async (where: { guildId: string; admin: string; channel: string }, typed: string) => {
		const handle = discord.autocomplete({
			guildId: where.guildId,
			memberId: where.admin,
			name: 'notifications',
			subcommand: 'subscribe',
			options: { channel: where.channel, events: typed },
			focused: 'events'
		});
		return ((await handle.waitForCallback()).data as Choices).choices.map((choice) => choice.value);
	};

	it('GIVEN events typed one after another THEN each completion keeps the types before the last comma', async () => {
		expect(await suggest(on, '')).to.include.members(['all', 'entry.ready', 'live_stream.started']);
		expect(await suggest(on, 'entry-rea')).to.deep.equal(['entry.ready']);
		expect(await suggest(on, 'entry.ready,live')).to.deep.equal(['entry.ready,live_stream.started', 'entry.ready,live_stream.ended']);
	});

	it('GIVEN the plugin off in the server THEN no suggestions', async () => {
		expect(await suggest(off, 'entry')).to.deep.equal([]);
	});

	it('GIVEN a picked list, or one typed as a new user would (entry-ready) THEN the subscription takes it, written as the bot writes types', async () => {
		const subscribe = (events: string) =>
			discord
				.runSlashCommand({
					guildId: on.guildId,
					memberId: on.admin,
					name: 'notifications',
					subcommand: 'subscribe',
					options: { channel: on.channel, events }
				})
				.waitForReply();
		expect((await subscribe('entry.ready,live_stream.started')).content).to.equal(
			`<#${on.channel}> now gets \`entry.ready\`, \`live_stream.started\`.`
		);
		expect((await subscribe('Entry-Ready, live-stream-ended')).content).to.equal(
			`<#${on.channel}> now gets \`entry.ready\`, \`live_stream.ended\`. This replaces its earlier subscription: \`entry.ready\`, \`live_stream.started\`.`
		);
		expect((await subscribe('entry-ready,video-exploded')).content).to.match(/^Nothing was changed: “video-exploded” is not an event type/);
	});
});
