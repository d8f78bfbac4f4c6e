import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const PARTNER_ID = 4321;
/** Kaltura's answer to a meeting list, far beyond Discord's 3 s for an autocomplete. */
const KALTURA_LATENCY_MS = 5_000;

interface Choices {
	choices: { name: string; value: string }[];
}

/**
 * Discord's 3-second deadline for an autocomplete, on the real clock, against a Kaltura that takes 5 s to
 * list meetings: `/meeting join` still answers in time, first with an honest empty list while the list
 * loads in the background, then with the server's meetings from the cache.
 */
describe('meetings: autocomplete in time with a slow Kaltura (Discord and Kaltura stand-ins)', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	let guildId: string;
	let admin: string;
	let meetingId: string;

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Slow Kaltura' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, {
			name: 'Admins',
			permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
			position: 1
		}).id;
		admin = discord.addMember(guildId, { user: { username: 'host' }, roles: [admins] }).user.id;
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura });
		await bot.guildConfig.set(guildId, 'plugins.meetings.enabled', true);
		const started = await discord
			.runSlashCommand({ guildId, memberId: admin, name: 'meeting', subcommand: 'start', options: { type: 'meeting', title: 'Office hours' } })
			.waitForReply(15_000);
		meetingId = /Kaltura meeting `(\d+)`/.exec(started.content)?.[1] ?? '';
		expect(meetingId, started.content).to.match(/^\d+$/);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	/** Types `typed` in /meeting join's meeting option; the stand-in rejects an answer later than Discord's 3 s. */
	async function suggest(typed: string): Promise<{ choices: Choices['choices']; tookMs: number }> {
		const sentAt = Date.now();
		const handle = discord.autocomplete({
			guildId,
			memberId: admin,
			name: 'meeting',
			subcommand: 'join',
			options: { meeting: typed },
			focused: 'meeting'
		});
		const callback = await handle.waitForCallback();
		return { choices: (callback.data as Choices).choices, tookMs: Date.now() - sentAt };
	}

	it('GIVEN Kaltura takes 5 s to list meetings THEN the first autocomplete answers an empty list in time, and a later one the meetings from the cache', async () => {
		const slow = kaltura.faults.latency(KALTURA_LATENCY_MS, { match: { service: 'scheduleEvent', action: 'list' }, times: 'always' });
		try {
			const first = await suggest('office');
			expect(first.choices, 'nothing known yet: an honest empty list').to.deep.equal([]);
			expect(first.tookMs, 'inside Discord’s 3 s').to.be.below(3_000);
			// The list asked for by the first keystroke arrives in the background.
			await new Promise((done) => setTimeout(done, KALTURA_LATENCY_MS - first.tookMs + 500));
			expect(slow.hits, 'one load for the keystrokes so far').to.equal(1);
			const second = await suggest('office');
			expect(second.choices.map((choice) => choice.value)).to.deep.equal([meetingId]);
			expect(second.tookMs).to.be.below(3_000);
		} finally {
			slow.remove();
		}
	});

	it('GIVEN the suggestions were just loaded WHEN a meeting is started through the bot THEN the next suggestions show it at once', async () => {
		const loaded = await suggest('');
		expect(loaded.choices.map((choice) => choice.value)).to.include(meetingId);
		const started = await discord
			.runSlashCommand({ guildId, memberId: admin, name: 'meeting', subcommand: 'start', options: { type: 'meeting', title: 'Planning' } })
			.waitForReply(15_000);
		const planningId = /Kaltura meeting `(\d+)`/.exec(started.content)?.[1] ?? '';
		expect(planningId, started.content).to.match(/^\d+$/);
		// Still inside the cache's freshness: without forgetting, the list loaded above would be served.
		const after = await suggest('planning');
		expect(after.choices.map((choice) => choice.value)).to.deep.equal([planningId]);
	});
});
