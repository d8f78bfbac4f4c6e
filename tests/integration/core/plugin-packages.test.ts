import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { ApplicationCommandType, PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { installPluginPackages } from '../../helpers/plugin-packages.js';
import { FIXTURES, startTestBot, type TestBot } from '../../helpers/test-bot.js';

/**
 * Plugins installed as npm packages (PLUGIN_PACKAGES): packed and installed with npm, found in the
 * node_modules of PLUGIN_PACKAGES_DIR, checked and loaded like the plugins of the plugin folders, on the
 * bot's own SDK and Sapphire (the packages bring no copy of their own).
 */
describe('Plugin packages: an npm-installed plugin loads and answers, a broken one is refused', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let bot: TestBot;
	let guildId: string;
	let adminId: string;
	let memberId: string;
	let packagesDirectory: string;

	before(async () => {
		packagesDirectory = await installPluginPackages(['hello', 'broken-manifest']);
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Packages' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;
		memberId = discord.addMember(guildId, { user: { username: 'max' } }).user!.id;
		bot = await startTestBot({
			env: {
				DISCORD_TOKEN: discord.token,
				DISCORD_API_URL: discord.restUrl,
				PLUGIN_PACKAGES: 'kaltura-discord-hello, kaltura-discord-broken, kaltura-discord-absent',
				PLUGIN_PACKAGES_DIR: packagesDirectory
			},
			pluginRoots: [join(FIXTURES, 'plugins')],
			configDirectory: join(FIXTURES, 'config')
		});
	});

	after(async () => {
		await bot?.stop();
		await discord?.stop();
	});

	it('GIVEN the installed package THEN it is loaded from node_modules, beside the plugin folders', () => {
		const hello = bot.plugins.get('hello');
		expect(hello?.manifest.version).to.equal('1.0.0');
		expect(hello?.packageName).to.equal('kaltura-discord-hello');
		expect(hello?.directory).to.equal(join(packagesDirectory, 'node_modules', 'kaltura-discord-hello'));
		expect(bot.plugins.has('greeter')).to.equal(true);
		expect(bot.plugins.ownerOf('commands', 'hello-hello')).to.equal('hello');
		expect(bot.plugins.ownerOf('routes', 'hello-hello')).to.equal('hello');
	});

	it('GIVEN its slash command THEN it is registered with Discord and answers through the stand-in with the guild setting', async () => {
		expect(discord.state.findCommand('hello', ApplicationCommandType.ChatInput)).to.not.equal(undefined);
		const handle = discord.runSlashCommand({ guildId, memberId, name: 'hello' });
		const reply = await handle.waitForReply(10_000);
		expect(reply.content).to.equal('Hello, max! (hello v1.0.0, running)');

		await bot.guildConfig.set(guildId, 'hello.greeting', 'Ahoy');
		const again = await discord.runSlashCommand({ guildId, memberId, name: 'hello' }).waitForReply(10_000);
		expect(again.content).to.equal('Ahoy, max! (hello v1.0.0, running)');
		await bot.guildConfig.reset(guildId, 'hello.greeting');
	});

	it('GIVEN its guild API route THEN an admin of the guild gets the greeting and nobody else does', async () => {
		const url = `${bot.apiUrl()}/guilds/${guildId}/hello`;
		const admin = container.apiTokens.issue({ userId: adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		const response = await fetch(url, { headers: { authorization: `Bearer ${admin}` } });
		expect(response.status).to.equal(200);
		expect(await response.json()).to.deep.equal({ greeting: 'Hello', version: '1.0.0' });

		expect((await fetch(url)).status).to.equal(401);
		const member = container.apiTokens.issue({ userId: memberId, guildId, scope: [GUILD_MANAGE_SCOPE] });
		expect((await fetch(url, { headers: { authorization: `Bearer ${member}` } })).status).to.equal(403);
	});

	it('GIVEN a package with an invalid manifest or one not installed THEN each is refused with its reason and the rest load', () => {
		const refused = Object.fromEntries(bot.plugins.refusals().map(({ name, kind, reason }) => [name, { kind, reason }]));
		expect(refused['kaltura-discord-broken']?.kind).to.equal('broken');
		expect(refused['kaltura-discord-broken']?.reason).to.match(/^its manifest is invalid: version must be a semver version/);
		expect(refused['kaltura-discord-absent']?.reason).to.equal(
			`the package "kaltura-discord-absent" is not installed in ${join(packagesDirectory, 'node_modules', 'kaltura-discord-absent')} (run "npm install kaltura-discord-absent" in the bot's directory or PLUGIN_PACKAGES_DIR)`
		);
		for (const name of ['kaltura-discord-broken', 'kaltura-discord-absent']) {
			expect(
				bot.log.lines.filter((line) => line.includes(`Plugin "${name}" was not loaded`)),
				name
			).to.have.lengthOf(1);
		}
		expect(bot.plugins.list().map(({ manifest }) => manifest.name)).to.include.members(['greeter', 'greeter-extras', 'hello']);
	});

	it('GIVEN a named package still not installed THEN loading it at run time is refused with the same reason', async () => {
		const outcome = await container.pluginRuntime.load('kaltura-discord-absent');
		expect(outcome).to.deep.equal({
			ok: false,
			code: 'refused',
			message: `The plugin "kaltura-discord-absent" was not loaded: the package "kaltura-discord-absent" is not installed in ${join(packagesDirectory, 'node_modules', 'kaltura-discord-absent')} (run "npm install kaltura-discord-absent" in the bot's directory or PLUGIN_PACKAGES_DIR).`
		});
	});
});
