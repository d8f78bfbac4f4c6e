import type { ChatInputCommand, Precondition, UserError } from '@sapphire/framework';
import { expect } from 'chai';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { ChatInputCommandInteraction } from 'discord.js';
import { pluginDisabledMessage } from '../../../src/core/discord/command-denial.js';
import { GUILD_NOT_ALLOWED_MESSAGE } from '../../../src/core/policy/operator-policy.js';
import { DiscordStandIn, type InteractionHandle } from '../../harness/discord/index.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { startBotOnStandIns, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

/**
 * The two global preconditions (src/preconditions) on every command type a member can run: slash
 * commands and both kinds of context menu. A plugin's command answers only where the plugin is on; no
 * command, the core's included, runs in a server outside ALLOWED_GUILD_IDS.
 */
describe('Command preconditions: the plugin switch and the served servers, for slash commands and context menus', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: TestBot;
	/** Listed; meetings and role-mapping on. */
	let served: Server;
	/** Listed; meetings and role-mapping off. */
	let quiet: Server;
	/** Not listed, although its configuration turns both plugins on. */
	let outside: Server;

	interface Server {
		id: string;
		admin: string;
		channel: string;
		/** A message in `channel` for the "Start Kaltura meeting" menu. */
		message: string;
	}

	before(async () => {
		discord = await DiscordStandIn.start();
		const server = (name: string): Server => {
			const guild = discord.addGuild({ name });
			const admins = discord.addRole(guild.id, {
				name: 'Admins',
				permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents,
				position: 1
			}).id;
			const admin = discord.addMember(guild.id, { user: { username: `${name}-admin` }, roles: [admins] }).user!.id;
			const channel = guild.systemChannelId!;
			return {
				id: guild.id,
				admin,
				channel,
				message: discord.addMessage({ channelId: channel, authorId: admin, content: 'Weekly review' }).id
			};
		};
		served = server('served');
		quiet = server('quiet');
		outside = server('outside');
		kaltura = await KalturaStandIn.start({ partnerId: 5150, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		bot = await startBotOnStandIns({ discord, kaltura }, { env: { ALLOWED_GUILD_IDS: `${served.id},${quiet.id}` } });
		// Set in the store: the server outside the list may hold any configuration (set while it was listed).
		for (const guildId of [served.id, outside.id]) await bot.guildConfig.set(guildId, 'plugins.meetings.enabled', true);
		await bot.guildConfig.set(quiet.id, 'plugins.role-mapping.enabled', false);
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await discord?.stop();
	});

	const startMenu = (server: Server) =>
		discord.runMessageContextMenu({ guildId: server.id, memberId: server.admin, name: 'Start Kaltura meeting', targetMessageId: server.message });
	const profileMenu = (server: Server) =>
		discord.runUserContextMenu({ guildId: server.id, memberId: server.admin, name: 'Kaltura profile', targetUserId: server.admin });
	const slash = (server: Server, name: string, subcommand: string) =>
		discord.runSlashCommand({ guildId: server.id, memberId: server.admin, name, subcommand });
	/** The private answer to a command; a refusal is the first reply, a command that ran may defer first. */
	const privateAnswer = async (handle: InteractionHandle) => {
		const reply = await handle.waitForReply(15_000);
		expect(handle.callback?.ephemeral, 'a private answer').to.equal(true);
		return reply;
	};
	const meetingsCreated = () => kaltura.stats.count('scheduleevent', 'add');

	it('GIVEN meetings off THEN the "Start Kaltura meeting" menu is refused, naming the plugin, and nothing is created on Kaltura', async () => {
		const before = meetingsCreated();
		expect((await privateAnswer(startMenu(quiet))).content).to.equal(pluginDisabledMessage('meetings'));
		expect(meetingsCreated()).to.equal(before);
	});

	it('GIVEN meetings on THEN the same menu starts a meeting', async () => {
		const before = meetingsCreated();
		expect((await privateAnswer(startMenu(served))).content).to.include('**Weekly review** is ready');
		expect(meetingsCreated()).to.equal(before + 1);
	});

	it('GIVEN role-mapping off THEN the "Kaltura profile" menu is refused, naming the plugin; with it on the profile shows', async () => {
		const refused = await privateAnswer(profileMenu(quiet));
		expect(refused.content).to.equal(pluginDisabledMessage('role-mapping'));
		expect(refused.embeds).to.deep.equal([]);
		const shown = await privateAnswer(profileMenu(served));
		expect(shown.embeds[0]?.fields?.map((field) => field.name)).to.include('Kaltura user');
	});

	it('GIVEN meetings off THEN a /meeting slash command is refused the same way; a core command still answers', async () => {
		expect((await privateAnswer(slash(quiet, 'meeting', 'list'))).content).to.equal(pluginDisabledMessage('meetings'));
		const plugins = await slash(quiet, 'plugins', 'list').waitForReply(15_000);
		expect(plugins.content).to.not.equal(pluginDisabledMessage('meetings'));
		expect(JSON.stringify(plugins)).to.include('meetings');
	});

	it('GIVEN a server outside ALLOWED_GUILD_IDS THEN both menus and the core commands are refused, whatever its configuration turns on', async () => {
		const before = meetingsCreated();
		for (const handle of [startMenu(outside), profileMenu(outside), slash(outside, 'plugins', 'list'), slash(outside, 'meeting', 'list')]) {
			const reply = await privateAnswer(handle);
			expect(reply.content).to.equal(GUILD_NOT_ALLOWED_MESSAGE);
			expect(reply.embeds).to.deep.equal([]);
		}
		expect(meetingsCreated()).to.equal(before);
	});

	describe('each precondition on its own, as Sapphire calls it', () => {
		/** What a precondition piece (`core-<file>`) decides for the command piece `name` (`<plugin>-<file>`) run in `guildId`: 'ok', or the refusal. */
		async function verdict(precondition: string, guildId: string | null, name: string): Promise<'ok' | UserError> {
			const piece = bot.client.stores.get('preconditions').get(`core-${precondition}`) as Precondition | undefined;
			expect(piece, precondition).to.not.equal(undefined);
			const command = { name } as ChatInputCommand;
			const interaction = { guildId } as ChatInputCommandInteraction;
			const result = await piece!.chatInputRun!(interaction, command, {} as Precondition.Context);
			return result.isOk() ? 'ok' : result.unwrapErr();
		}

		it('GIVEN a plugin that is off THEN plugin-enabled refuses with its identifier and names the plugin in its context', async () => {
			const refused = await verdict('plugin-enabled', quiet.id, 'meetings-meeting');
			expect(refused).to.not.equal('ok');
			expect(refused).to.include({ identifier: 'pluginDisabled', message: pluginDisabledMessage('meetings') });
			expect((refused as UserError).context).to.deep.equal({ plugin: 'meetings' });
			expect(await verdict('plugin-enabled', served.id, 'meetings-meeting')).to.equal('ok');
		});

		it('GIVEN no server (a direct message), a core command or a command no plugin owns THEN plugin-enabled lets it through', async () => {
			expect(await verdict('plugin-enabled', null, 'meetings-meeting')).to.equal('ok');
			expect(await verdict('plugin-enabled', quiet.id, 'core-plugins')).to.equal('ok');
			expect(await verdict('plugin-enabled', quiet.id, 'no-such-command')).to.equal('ok');
		});

		it('GIVEN a server outside the list THEN guild-allowed refuses with its identifier and the server in its context; no server passes', async () => {
			const refused = await verdict('guild-allowed', outside.id, 'core-plugins');
			expect(refused).to.include({ identifier: 'guildNotAllowed', message: GUILD_NOT_ALLOWED_MESSAGE });
			expect((refused as UserError).context).to.deep.equal({ guildId: outside.id });
			expect(await verdict('guild-allowed', served.id, 'core-plugins')).to.equal('ok');
			expect(await verdict('guild-allowed', null, 'core-plugins')).to.equal('ok');
		});
	});
});
