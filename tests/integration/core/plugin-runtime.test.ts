import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { ApplicationCommandType, PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { installPluginPackages } from '../../helpers/plugin-packages.js';
import { createTestBot, FIXTURES, startTestBot, type TestBot } from '../../helpers/test-bot.js';

const OPERATOR_TOKEN = 'operator-secret-for-the-runtime-switch-tests';
const TSX = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const CLI = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'plugins.ts');
const COMMAND_PUT = { method: 'PUT', path: /^\/applications\/\d+\/commands$/ } as const;

interface ErrorBody {
	error: { code: string; message: string };
}

/**
 * The operator's runtime switch: `POST /api/v1/operator/plugins/<name>/load|unload|reload` (and
 * `npm run plugins`) takes a plugin's pieces out of the running bot and puts them back, new code included,
 * re-registering application commands with Discord only when their set changed.
 */
describe('Plugin runtime switch: unload, load and reload a plugin in the running bot', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let bot: TestBot;
	let guildId: string;
	let adminId: string;
	let memberId: string;
	let installed: string;

	before(async () => {
		const packagesDirectory = await installPluginPackages(['hello']);
		installed = join(packagesDirectory, 'node_modules', 'kaltura-discord-hello');
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Runtime' });
		guildId = guild.id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
		adminId = discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id;
		memberId = discord.addMember(guildId, { user: { username: 'max' } }).user!.id;
		bot = await startTestBot({
			env: {
				DISCORD_TOKEN: discord.token,
				DISCORD_API_URL: discord.restUrl,
				PLUGIN_PACKAGES: 'kaltura-discord-hello',
				PLUGIN_PACKAGES_DIR: packagesDirectory,
				OPERATOR_API_TOKEN: OPERATOR_TOKEN
			},
			pluginRoots: [join(FIXTURES, 'plugins')],
			configDirectory: join(FIXTURES, 'config')
		});
		// The first registration happens on ready; the tests count what comes after it.
		await discord.waitForRequest(COMMAND_PUT);
	});

	after(async () => {
		await bot?.stop();
		await discord?.stop();
	});

	const operator = (path: string, init: { method?: string; token?: string } = {}) =>
		fetch(`${bot.apiUrl()}/operator/plugins${path}`, {
			method: init.method ?? 'POST',
			headers: init.token === undefined ? {} : { authorization: `Bearer ${init.token}` }
		});
	const adminToken = () => container.apiTokens.issue({ userId: adminId, guildId, scope: [GUILD_MANAGE_SCOPE] });
	const helloRoute = () => fetch(`${bot.apiUrl()}/guilds/${guildId}/hello`, { headers: { authorization: `Bearer ${adminToken()}` } });
	const hello = async () => (await discord.runSlashCommand({ guildId, memberId, name: 'hello' }).waitForReply(10_000)).content;
	const commandPuts = () => discord.requestsMatching(COMMAND_PUT).length;
	const editInstalled = (file: string, from: string, to: string) => {
		const path = join(installed, file);
		const text = readFileSync(path, 'utf8');
		expect(text, `${file} holds ${from}`).to.include(from);
		writeFileSync(path, text.replace(from, to));
	};

	describe('the operator route', () => {
		it('GIVEN no token, a wrong one or a guild admin’s API token THEN 401, and nothing changes', async () => {
			for (const token of [undefined, 'not-the-operator-token', OPERATOR_TOKEN.slice(0, -1), adminToken()]) {
				const response = await operator('/hello/unload', token === undefined ? {} : { token });
				expect(response.status, String(token)).to.equal(401);
				expect(((await response.json()) as ErrorBody).error.code).to.equal('unauthorized');
			}
			expect(bot.plugins.has('hello')).to.equal(true);
		});

		it('GIVEN the operator token THEN it lists loaded and not-loaded plugins with the operator’s reasons', async () => {
			const response = await operator('', { method: 'GET', token: OPERATOR_TOKEN });
			expect(response.status).to.equal(200);
			const body = (await response.json()) as { loaded: { name: string; package?: string; running: boolean }[]; notLoaded: { name: string }[] };
			expect(body.loaded.find((plugin) => plugin.name === 'hello')).to.deep.include({ package: 'kaltura-discord-hello', running: true });
			expect(body.notLoaded.map((plugin) => plugin.name)).to.include('broken');
		});

		it('GIVEN an unknown plugin or action THEN 404 naming it', async () => {
			const unknown = await operator('/nobody/load', { token: OPERATOR_TOKEN });
			expect(unknown.status).to.equal(404);
			expect(((await unknown.json()) as ErrorBody).error.message).to.match(/^There is no plugin named "nobody"/);
			expect((await operator('/hello/explode', { token: OPERATOR_TOKEN })).status).to.equal(404);
		});
	});

	describe('unload', () => {
		it('GIVEN a plugin others require THEN it is refused, naming them', async () => {
			const response = await operator('/greeter/unload', { token: OPERATOR_TOKEN });
			expect(response.status).to.equal(409);
			expect(((await response.json()) as ErrorBody).error.message).to.include('"greeter-extras" requires it');
			expect(bot.plugins.has('greeter')).to.equal(true);
		});

		it('GIVEN the packaged plugin THEN its command leaves Discord and the stores, its route 404s, its hooks stop', async () => {
			const before = commandPuts();
			const response = await operator('/hello/unload', { token: OPERATOR_TOKEN });
			expect(response.status).to.equal(200);
			expect(await response.json()).to.deep.equal({ name: 'hello', action: 'unload', version: '1.0.0', commands: 'registered' });
			expect(commandPuts()).to.equal(before + 1);
			expect(discord.state.findCommand('hello', ApplicationCommandType.ChatInput)).to.equal(undefined);
			const commands = bot.client.stores.get('commands');
			expect(commands.get('hello')).to.equal(undefined);
			expect(commands.has('hello-hello')).to.equal(false);
			expect(bot.plugins.ownerOf('commands', 'hello-hello')).to.equal(undefined);
			expect(bot.pluginLifecycle.isRunning('hello')).to.equal(false);
			expect((await helloRoute()).status).to.equal(404);
			// Sapphire finds no command for it any more, so a late interaction gets no answer.
			const late = discord.runSlashCommand({ guildId, memberId, name: 'hello' });
			await new Promise((done) => setTimeout(done, 1000));
			expect(late.callback).to.equal(undefined);
		});

		it('GIVEN it is unloaded THEN admins see it as not loaded, with why, and its settings refuse writes saying so', async () => {
			const response = await fetch(`${bot.apiUrl()}/guilds/${guildId}/plugins`, { headers: { authorization: `Bearer ${adminToken()}` } });
			const { plugins, notLoaded } = (await response.json()) as { plugins: { name: string }[]; notLoaded: { name: string; reason: string }[] };
			expect(plugins.map((plugin) => plugin.name)).to.not.include('hello');
			expect(notLoaded.find((plugin) => plugin.name === 'hello')?.reason).to.equal(
				'The "hello" plugin is installed on this bot but not loaded: whoever runs the bot unloaded it for now. Ask them if you need it back.'
			);
			let refusal: unknown;
			await bot.guildConfig.set(guildId, 'hello.greeting', 'Hi').catch((error: unknown) => (refusal = error));
			expect(refusal).to.be.instanceOf(Error);
			expect((refusal as Error).message).to.include('whoever runs the bot unloaded it');
			// Other settings keep working.
			await bot.guildConfig.set(guildId, 'greeter.volume', 5);
			expect(((await bot.guildConfig.resolve(guildId)).greeter as { volume: number }).volume).to.equal(5);
		});

		it('GIVEN it is unloaded already THEN unloading again is refused with 409', async () => {
			const response = await operator('/hello/unload', { token: OPERATOR_TOKEN });
			expect(response.status).to.equal(409);
			expect(((await response.json()) as ErrorBody).error.code).to.equal('not_loaded');
		});
	});

	describe('load and reload', () => {
		it('GIVEN load THEN the command is registered again and answers, its route works, its hooks run', async () => {
			const before = commandPuts();
			const response = await operator('/hello/load', { token: OPERATOR_TOKEN });
			expect(await response.json()).to.deep.equal({ name: 'hello', action: 'load', version: '1.0.0', commands: 'registered' });
			expect(commandPuts()).to.equal(before + 1);
			expect(discord.state.findCommand('hello', ApplicationCommandType.ChatInput)).to.not.equal(undefined);
			expect(await hello()).to.equal('Hello, max! (hello v1.0.0, running)');
			expect((await helloRoute()).status).to.equal(200);
			expect(bot.pluginLifecycle.isRunning('hello')).to.equal(true);
		});

		it('GIVEN new code with the same command versions THEN reload runs it everywhere and sends nothing to Discord', async () => {
			editInstalled('plugin.js', "version: '1.0.0'", "version: '1.0.1'");
			editInstalled('commands/hello.js', '(hello v', '(new code, hello v');
			const before = commandPuts();
			const response = await operator('/hello/reload', { token: OPERATOR_TOKEN });
			expect(await response.json()).to.deep.equal({ name: 'hello', action: 'reload', version: '1.0.1', commands: 'unchanged' });
			// The command imports plugin.js itself: it sees the new manifest, not the one cached at start-up.
			expect(await hello()).to.equal('Hello, max! (new code, hello v1.0.1, running)');
			expect(await (await helloRoute()).json()).to.deep.equal({ greeting: 'Hello', version: '1.0.1' });
			expect(commandPuts()).to.equal(before);
			expect(bot.plugins.get('hello')?.manifest.version).to.equal('1.0.1');
		});

		it('GIVEN a command version bump THEN reload registers the commands once', async () => {
			editInstalled('commands/hello.js', "version: '1.0.0'", "version: '1.1.0'");
			const before = commandPuts();
			const response = await operator('/hello/reload', { token: OPERATOR_TOKEN });
			expect(((await response.json()) as { commands: string }).commands).to.equal('registered');
			expect(commandPuts()).to.equal(before + 1);
			expect(await hello()).to.equal('Hello, max! (new code, hello v1.0.1, running)');
		});

		it('GIVEN new code that does not load THEN reload is refused with the reason and the running version stays', async () => {
			editInstalled('commands/hello.js', '/** `/hello`', 'throw new Error("broken on purpose");\n/** `/hello`');
			const response = await operator('/hello/reload', { token: OPERATOR_TOKEN });
			expect(response.status).to.equal(422);
			expect(((await response.json()) as ErrorBody).error.message).to.equal(
				`The plugin "hello" was not loaded: ${join(installed, 'commands', 'hello.js')} failed to load: broken on purpose; version 1.0.1 keeps running.`
			);
			expect(await hello()).to.equal('Hello, max! (new code, hello v1.0.1, running)');
			expect(bot.plugins.get('hello')?.manifest.version).to.equal('1.0.1');
			editInstalled('commands/hello.js', 'throw new Error("broken on purpose");\n', '');
		});
	});

	describe('npm run plugins', () => {
		const cli = (args: string[], token = OPERATOR_TOKEN) =>
			promisify(execFile)(TSX, [CLI, ...args], {
				// A directory without .env: the CLI sees only these variables.
				cwd: mkdtempSync(join(tmpdir(), 'kaltura-discord-cli-')),
				env: { PATH: process.env.PATH, HOME: process.env.HOME, BOT_API_URL: bot.apiUrl(), OPERATOR_API_TOKEN: token }
			}).then(
				({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
				(error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr })
			);

		it('GIVEN reload through the CLI THEN it reports what happened to the commands', async () => {
			const { code, stdout } = await cli(['reload', 'hello']);
			expect(code).to.equal(0);
			expect(stdout).to.equal('hello v1.0.1: reload done; application commands unchanged, nothing sent to Discord.\n');
		});

		it('GIVEN a wrong token or a bad action THEN it says so with a non-zero exit code', async () => {
			const refused = await cli(['unload', 'hello'], 'not-the-operator-token');
			expect(refused.code).to.equal(1);
			expect(refused.stderr).to.equal('The bearer token is not the operator token.\n');
			expect(bot.plugins.has('hello')).to.equal(true);
			const usage = await cli(['restart', 'hello']);
			expect(usage.code).to.equal(2);
			expect(usage.stderr).to.match(/^Usage: npm run plugins/);
		});
	});

	describe('secrets', () => {
		it('GIVEN everything this suite did THEN the operator token never reached the log and is redacted', () => {
			expect(bot.log.text()).to.not.include(OPERATOR_TOKEN);
			expect(container.redactor.redact(`token ${OPERATOR_TOKEN}`)).to.equal('token [REDACTED]');
		});
	});
});

describe('Plugin runtime switch without OPERATOR_API_TOKEN', () => {
	let bot: TestBot;

	before(async () => {
		bot = await createTestBot();
		await bot.prepare();
	});

	after(async () => {
		await bot?.stop();
	});

	it('GIVEN no operator token configured THEN the operator routes answer as paths that do not exist', async () => {
		const expected = await (await fetch(`${bot.apiUrl()}/nope`)).json();
		for (const [path, method] of [
			['/operator/plugins', 'GET'],
			['/operator/plugins/greeter/unload', 'POST']
		] as const) {
			const response = await fetch(`${bot.apiUrl()}${path}`, { method, headers: { authorization: 'Bearer anything-at-all' } });
			expect(response.status, path).to.equal(404);
			expect(await response.json(), path).to.deep.equal(expected);
		}
		expect(bot.plugins.has('greeter')).to.equal(true);
	});
});
