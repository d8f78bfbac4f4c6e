import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { createKalturaClient, kaltura as kalturaClient, KalturaStandIn } from '../harness/kaltura/index.js';
import { rejectionOf } from '../helpers/rejection-of.js';

const PARTNER_ID = 4343;
const JWT_SECRET = 'member-sessions-e2e-jwt-secret-long-enough';

const ksIn = (reply: APIMessage) => {
	const url = /\((https?:\/\/[^)\s]+\/virtualEvent\/launch\?ks=[^)\s]+)\)/.exec(reply.content)?.[1];
	expect(url, reply.content).to.be.a('string');
	return new URL(url!).searchParams.get('ks')!;
};

/**
 * The bot on app tokens, as production runs it: a member who ends the KS in their join link
 * (`session.end`, which Kaltura lets any USER session call) must not lock the bot, or anyone else, out.
 */
describe('End to end: members’ Kaltura sessions on app tokens', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let guildId: string;
	let ids: { admin: string; host: string; viewer: string; other: string };
	const handles: InteractionHandle[] = [];
	const track = (handle: InteractionHandle) => (handles.push(handle), handle);
	const slash = (as: string, subcommand: string, options: Record<string, string | number> = {}) =>
		track(discord.runSlashCommand({ guildId, memberId: as, name: 'meeting', subcommand, options }));
	const sessionOf = (ks: string) => {
		const client = createKalturaClient(kaltura.serviceUrl);
		client.setKs(ks);
		return client;
	};

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Token school' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 3 });
		const planners = discord.addRole(guildId, { name: 'Planners', permissions: PermissionFlagsBits.ManageEvents, position: 2 });
		ids = {
			admin: discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id,
			host: discord.addMember(guildId, { user: { username: 'pat' }, roles: [planners.id] }).user!.id,
			viewer: discord.addMember(guildId, { user: { username: 'max' } }).user!.id,
			other: discord.addMember(guildId, { user: { username: 'zoe' } }).user!.id
		};
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: 'member-sessions-e2e-admin-secret' });
		// The two tokens as docs/kaltura-sessions.md tells the operator to create them.
		const own = kaltura.state.addAppToken({ hashType: 'SHA256', sessionPrivileges: 'list:*,urirestrict:*', sessionDuration: 86_400 });
		const members = kaltura.state.addAppToken({ hashType: 'SHA256', sessionType: 0, sessionPrivileges: 'sessionid:*', sessionDuration: 86_400 });
		const { KALTURA_ADMIN_SECRET: _secret, ...withoutSecret } = standInEnvironment({ discord, kaltura });
		bot = await BotProcess.start({
			env: {
				...withoutSecret,
				KALTURA_SESSION_SOURCE: 'app-token',
				KALTURA_APP_TOKEN_ID: String(own.id),
				KALTURA_APP_TOKEN: String(own.token),
				KALTURA_APP_TOKEN_HASH_TYPE: 'SHA256',
				KALTURA_MEMBER_APP_TOKEN_ID: String(members.id),
				KALTURA_MEMBER_APP_TOKEN: String(members.token),
				KALTURA_MEMBER_APP_TOKEN_HASH_TYPE: 'SHA256',
				JWT_SECRET,
				NODE_ENV: 'production'
			}
		});
		const enabled = await track(
			discord.runSlashCommand({ guildId, memberId: ids.admin, name: 'plugins', subcommand: 'enable', options: { plugin: 'meetings' } })
		).waitForReply();
		expect(enabled.content).to.equal('The **meetings** plugin is now on in this server.');
	});

	after(async () => {
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	it('GIVEN a member ends their join-link KS THEN the bot still lists and starts meetings, and other members’ links still work', async () => {
		const started = await slash(ids.host, 'start', { type: 'meeting', title: 'Token standup', duration: 30 }).waitForReply(15_000);
		const meetingId = /Kaltura meeting `(\d+)`/.exec(started.content)?.[1];
		expect(meetingId, started.content).to.be.a('string');
		const mine = ksIn(await slash(ids.viewer, 'join', { meeting: meetingId! }).waitForReply());
		const theirs = ksIn(await slash(ids.other, 'join', { meeting: meetingId! }).waitForReply());

		// The member ends the session in their link: allowed to any USER session.
		expect(await kalturaClient.services.session.end().execute(sessionOf(mine))).to.equal(null);
		expect((await rejectionOf(kalturaClient.services.session.get().execute(sessionOf(mine)))).args).to.deep.include({ KSID: 'LOGOUT' });

		// The bot's own sessions are untouched: listing (ADMIN, schedule) and starting still work.
		const list = await slash(ids.viewer, 'list').waitForReply();
		expect(list.embeds[0]?.description, list.content).to.include('**Token standup**');
		const next = await slash(ids.host, 'start', { type: 'meeting', title: 'After the logout', duration: 30 }).waitForReply(15_000);
		expect(next.content).to.include('**After the logout** is ready');
		// The other member's link still works, and the member who ended theirs gets a working one again.
		expect((await kalturaClient.services.session.get().execute(sessionOf(theirs))).userId).to.equal(`discord_${ids.other}`);
		const again = ksIn(await slash(ids.viewer, 'join', { meeting: meetingId! }).waitForReply());
		expect((await kalturaClient.services.session.get().execute(sessionOf(again))).userId).to.equal(`discord_${ids.viewer}`);

		// Every join link came from the members' token; every bot call from the bot's.
		for (const ks of [mine, theirs, again])
			expect(kaltura.parseKs(ks).privileges.apptoken).to.not.equal(
				kaltura.parseKs(kaltura.stats.callsTo('schedule_scheduleevent', 'list').at(-1)!.ks!).privileges.apptoken
			);
		expect(kaltura.stats.log.filter((call) => call.errorCode === 'INVALID_KS' && call.service !== 'session')).to.deep.equal([]);
	});
});
