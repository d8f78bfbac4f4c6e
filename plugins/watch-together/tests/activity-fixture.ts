import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../../tests/harness/discord/index.js';
import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../../tests/helpers/test-bot.js';
import { ActivitySocket } from './activity-client.js';

/** KalturaPrivacyType MEMBERS_ONLY: an entry in such a category is seen only by those entitled to it. */
const PRIVACY_MEMBERS_ONLY = 3;

/**
 * A server with a voice channel and the watch-together plugin on, the bot on the Discord and Kaltura stand-ins with the
 * Activity's OAuth2 client set, and two videos: one every member may see, one only Alice's Kaltura user may see.
 */
export class ActivityFixture {
	public members = { admin: '', alice: '', bob: '', carol: '', mod: '', stranger: '' };
	public guildId = '';
	public textChannelId = '';
	public voiceChannelId = '';
	public openEntryId = '';
	public secretEntryId = '';
	public moderatorRoleId = '';

	private constructor(
		public readonly discord: DiscordStandIn,
		public readonly kaltura: KalturaStandIn,
		public bot: TestBot | undefined
	) {}

	public static async start(env: Record<string, string> = {}): Promise<ActivityFixture> {
		const discord = await DiscordStandIn.start();
		const kaltura = await KalturaStandIn.start({ partnerId: 8181, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		const fixture = new ActivityFixture(discord, kaltura, undefined);
		const guild = discord.addGuild({ name: 'Cinema club' });
		fixture.guildId = guild.id;
		fixture.textChannelId = guild.systemChannelId!;
		fixture.voiceChannelId = discord.addChannel(guild.id, { name: 'Screening room', type: ChannelType.GuildVoice }).id;
		const admins = discord.addRole(guild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 3 });
		fixture.moderatorRoleId = discord.addRole(guild.id, { name: 'Hosts', permissions: 0n, position: 2 }).id;
		const add = (username: string, roles: string[] = []) => discord.addMember(guild.id, { user: { username }, roles }).user!.id;
		fixture.members = {
			admin: add('ada', [admins.id]),
			alice: add('alice'),
			bob: add('bob'),
			carol: add('carol'),
			mod: add('morgan', [fixture.moderatorRoleId]),
			stranger: add('sam')
		};
		fixture.openEntryId = String(kaltura.state.addEntry({ name: 'Open film', duration: 600, userId: 'studio' }).id);
		const restricted = kaltura.state.addCategory({ name: 'Restricted', privacy: PRIVACY_MEMBERS_ONLY });
		fixture.secretEntryId = String(
			kaltura.state.addEntry({ name: 'Secret film', duration: 300, userId: 'studio', entitledUsersView: `discord_${fixture.members.alice}` }).id
		);
		kaltura.state.addCategoryEntry(fixture.secretEntryId, Number(restricted.id));
		fixture.bot = await startBotOnStandIns(
			{ discord, kaltura },
			{ env: { DISCORD_CLIENT_ID: discord.applicationId, DISCORD_CLIENT_SECRET: discord.activities.clientSecret, ...env } }
		);
		await fixture.bot.guildConfig.set(guild.id, 'plugins.videos.enabled', true);
		await fixture.bot.guildConfig.set(guild.id, 'plugins.watch-together.enabled', true);
		await fixture.bot.guildConfig.set(guild.id, 'role-mapping.mappings', { [fixture.moderatorRoleId]: 'moderator' });
		return fixture;
	}

	public get api(): string {
		return this.bot!.apiUrl();
	}

	public get socketUrl(): string {
		return `${this.api.replace(/^http/, 'ws')}/activity/socket`;
	}

	/** The Activity's sign-in: a code Discord issued to the member, exchanged at the bot. */
	public async signIn(userId: string, instanceId: string, code = this.discord.activities.issueOAuthCode(userId)) {
		const response = await fetch(`${this.api}/activity/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ code, instanceId })
		});
		return {
			status: response.status,
			body: (await response.json()) as Record<string, unknown> & { sessionToken?: string; error?: { code?: string } }
		};
	}

	public async sessionToken(userId: string, instanceId: string): Promise<string> {
		const { status, body } = await this.signIn(userId, instanceId);
		if (status !== 200 || typeof body.sessionToken !== 'string') throw new Error(`Sign-in failed: ${status} ${JSON.stringify(body)}`);
		return body.sessionToken;
	}

	/** A socket that has said hello and been welcomed. */
	public async join(userId: string, instanceId: string): Promise<{ socket: ActivitySocket; welcome: Record<string, unknown> }> {
		const socket = await ActivitySocket.open(this.socketUrl);
		socket.hello(await this.sessionToken(userId, instanceId));
		return { socket, welcome: await socket.next('welcome') };
	}

	public get(path: string, token: string | undefined) {
		return fetch(`${this.api}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
	}

	public async stop(): Promise<void> {
		await this.bot?.stop();
		await this.discord.stop();
		await this.kaltura.stop();
	}
}
