import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { APIInteraction } from 'discord-api-types/v10';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { ClientApplication, type Client } from 'discord.js';
import jwt from 'jsonwebtoken';
import { GUILD_MANAGE_SCOPE, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../src/core/auth/api-tokens.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import {
	ADMIN,
	APPLICATION_ID,
	MEMBER,
	buttonInteraction,
	chatInputInteraction,
	dispatchInteraction,
	stringOption,
	type ActingMember
} from '../../helpers/raw-interactions.js';
import { prepareTestBot, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000009';

interface CallbackBody {
	type: number;
	data?: { content?: string; flags?: number; embeds?: { title?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[] };
}

describe('Core bot (Sapphire pipeline and HTTP API, no gateway)', () => {
	let recorder: RestRecorder;
	let bot: TestBot;

	before(async () => {
		recorder = await new RestRecorder().start();
		bot = await prepareTestBot(recorder);
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
	});

	/** Runs a raw interaction through discord.js and Sapphire and returns the bot's interaction callback. */
	async function run(raw: APIInteraction): Promise<CallbackBody> {
		dispatchInteraction(bot.client, raw);
		const callback = await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
		return callback.body as CallbackBody;
	}

	const slash = (member: ActingMember, name: string, subcommand?: string, options: ReturnType<typeof stringOption>[] = [], guildId = GUILD) =>
		run(chatInputInteraction({ guildId, member, name, ...(subcommand ? { subcommand } : {}), options }));

	const token = (guildId = GUILD, scope: string[] = [GUILD_MANAGE_SCOPE]) => container.apiTokens.issue({ userId: ADMIN.id, guildId, scope });

	describe('plugin loading', () => {
		it('GIVEN compatible plugins THEN they load in dependency order', () => {
			const names = bot.plugins.list().map(({ manifest }) => manifest.name);
			expect(names).to.deep.equal(['greeter', 'greeter-extras']);
		});

		it('GIVEN incompatible, broken or dependency-less plugins THEN each is refused with one clear log line', () => {
			const refused = Object.fromEntries(bot.plugins.refusals().map(({ name, reason }) => [name, reason]));
			expect(refused.future).to.equal('it supports core ^2.0.0 but this core is 1.4.0');
			expect(refused.orphan).to.equal('it requires "missing" ^1.0.0, which is not installed');
			expect(refused.broken).to.match(/explode\.ts failed to load: this piece fails on import/);
			expect(refused['needs-broken']).to.equal('it requires "broken", which was refused');
			expect(refused.misnamed).to.match(/manifest is invalid: .*version must be a semver version/);
			expect(refused['needs-members']).to.equal(
				'it needs the privileged gateway intent GuildMembers: turn on "Server Members Intent" for the bot in the Discord developer portal (Bot page), then add GuildMembers to DISCORD_PRIVILEGED_INTENTS and restart the bot'
			);
			expect(bot.client.options.intents.has('GuildMembers')).to.equal(false);
			for (const name of ['future', 'orphan', 'broken', 'needs-broken', 'misnamed']) {
				const lines = bot.log.lines.filter((line) => new RegExp(`Plugin "${name}" (was|is installed but) not loaded`).test(line));
				expect(lines, name).to.have.lengthOf(1);
			}
			// A privileged intent not granted is the operator's choice, not a fault: one warning with the fix, no error.
			const intentLines = bot.log.lines.filter((line) => line.includes('Plugin "needs-members"'));
			expect(intentLines).to.have.lengthOf(1);
			expect(intentLines[0]).to.match(/warn.*Plugin "needs-members" is installed but not loaded: .*DISCORD_PRIVILEGED_INTENTS/);
			expect(intentLines[0]).to.not.match(/error/);
		});

		it('GIVEN pieces of plugins THEN they are registered with plugin-prefixed names', () => {
			const commands = bot.client.stores.get('commands');
			expect(commands.has('greeter-greet')).to.equal(true);
			expect(commands.has('greeter-extras-wave')).to.equal(true);
			expect(commands.has('core-plugins')).to.equal(true);
			expect(bot.plugins.ownerOf('routes', 'greeter-greeting')).to.equal('greeter');
		});

		it('GIVEN a bad override file THEN it is reported with file and key and that guild uses the defaults', async () => {
			const text = bot.log.text();
			expect(text).to.match(/100000000000000002\.json: greeter\.volume .*guild 100000000000000002 uses the defaults/);
			expect(text).to.match(/not-a-guild\.json: is not named after a guild id/);
			const config = await bot.guildConfig.resolve('100000000000000002');
			expect((config.greeter as { volume: number }).volume).to.equal(3);
		});

		it('GIVEN a good override file with a placeholder THEN it is layered over the defaults, arrays replaced', async () => {
			const config = await bot.guildConfig.resolve(GUILD);
			expect(config.greeter).to.deep.equal({ greeting: 'Ahoy', volume: 3, channels: ['announcements'] });
			expect(config.plugins.greeter!.enabled).to.equal(true);
		});
	});

	describe('commands through the Sapphire pipeline', () => {
		it('GIVEN /plugins list THEN it answers privately with every plugin, version and state', async () => {
			const body = await slash(MEMBER, 'plugins', 'list');
			expect(body.type).to.equal(InteractionResponseType.ChannelMessageWithSource);
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			const fields = body.data!.embeds![0]!.fields!.map((field) => field.name);
			expect(fields).to.deep.equal(['greeter v1.2.0 — 🟢 on', 'greeter-extras v0.3.0 — ⚪ off']);
			expect(body.data!.embeds![0]!.footer!.text).to.include('broken');
		});

		it('GIVEN a plugin that is off in the guild THEN its command is denied with how to turn it on', async () => {
			const body = await slash(MEMBER, 'greet', undefined, [], OTHER_GUILD);
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(body.data!.content).to.include('The **greeter** plugin is turned off in this server');
			expect(body.data!.content).to.include('/plugins enable plugin:greeter');
		});

		it('GIVEN a plugin that is on THEN its command runs with the guild config', async () => {
			const body = await slash(MEMBER, 'greet');
			expect(body.data!.content).to.equal('Ahoy, member!');
		});

		it('GIVEN a member without Manage Server THEN /plugins enable is refused and nothing changes', async () => {
			const body = await slash(MEMBER, 'plugins', 'enable', [stringOption('plugin', 'greeter')], OTHER_GUILD);
			expect(body.data!.content).to.include('Manage Server');
			const config = await bot.guildConfig.resolve(OTHER_GUILD);
			expect(config.plugins.greeter!.enabled).to.equal(false);
		});

		it('GIVEN an admin THEN /plugins enable turns a plugin on, and its requirement must be on first', async () => {
			let body = await slash(ADMIN, 'plugins', 'enable', [stringOption('plugin', 'greeter-extras')], OTHER_GUILD);
			expect(body.data!.content).to.equal('"greeter-extras" needs "greeter" turned on first.');
			body = await slash(ADMIN, 'plugins', 'enable', [stringOption('plugin', 'greeter')], OTHER_GUILD);
			expect(body.data!.content).to.equal('The **greeter** plugin is now on in this server.');
			body = await slash(ADMIN, 'plugins', 'enable', [stringOption('plugin', 'greeter-extras')], OTHER_GUILD);
			expect(body.data!.content).to.equal('The **greeter-extras** plugin is now on in this server.');
		});

		it('GIVEN an enabled plugin requires another THEN /plugins disable of the required one is refused, naming it', async () => {
			const body = await slash(ADMIN, 'plugins', 'disable', [stringOption('plugin', 'greeter')], OTHER_GUILD);
			expect(body.data!.content).to.equal('"greeter" cannot be turned off while "greeter-extras" needs it; turn that off first.');
			expect((await bot.guildConfig.resolve(OTHER_GUILD)).plugins.greeter!.enabled).to.equal(true);
		});

		it('GIVEN a member without Manage Server THEN /config is denied by the permission precondition with a reply', async () => {
			const body = await slash(MEMBER, 'config', 'view');
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(body.data!.content).to.match(/missing .*permission/i);
		});

		it('GIVEN /config set with a valid value THEN it is stored and /config view shows it', async () => {
			let body = await slash(ADMIN, 'config', 'set', [stringOption('key', 'greeter.volume'), stringOption('value', '7')]);
			expect(body.data!.content).to.equal('`greeter.volume` is now `7`.');
			body = await slash(ADMIN, 'config', 'view', [stringOption('key', 'greeter')]);
			expect(body.data!.content).to.include('"volume": 7');
		});

		it('GIVEN /config set with an invalid value or unknown key THEN nothing changes and the path and reason are given', async () => {
			let body = await slash(ADMIN, 'config', 'set', [stringOption('key', 'greeter.volume'), stringOption('value', '11')]);
			expect(body.data!.content).to.match(/Nothing was changed.*`greeter\.volume`: must be at most 10 \(not 11\)/s);
			body = await slash(ADMIN, 'config', 'set', [stringOption('key', 'greeter.volumme'), stringOption('value', '2')]);
			expect(body.data!.content).to.include('`greeter.volumme`: is not a known setting');
			body = await slash(ADMIN, 'config', 'set', [stringOption('key', 'nope.x'), stringOption('value', '2')]);
			expect(body.data!.content).to.include('"nope" is not a config section');
			expect(((await bot.guildConfig.resolve(GUILD)).greeter as { volume: number }).volume).to.equal(7);
		});

		it('GIVEN /config reset of a key THEN the file override or default applies again', async () => {
			const body = await slash(ADMIN, 'config', 'reset', [stringOption('key', 'greeter.volume')]);
			expect(body.data!.content).to.equal('`greeter.volume` is back to its default: `7` → `3`.');
			expect(((await bot.guildConfig.resolve(GUILD)).greeter as { volume: number }).volume).to.equal(3);
		});

		it('GIVEN /about THEN plugin and command versions are listed', async () => {
			const body = await slash(MEMBER, 'about');
			const fields = body.data!.embeds![0]!.fields!;
			expect(fields.find((field) => field.name === 'Plugins')!.value).to.include('**greeter** v1.2.0');
			expect(fields.find((field) => field.name === 'Commands')!.value)
				.to.include('/greet v1.0.0')
				.and.include('Wave at v2.0.0');
		});
	});

	describe('interaction handlers', () => {
		it('GIVEN a plugin button in a guild where the plugin is on THEN its handler answers', async () => {
			const body = await run(buttonInteraction({ guildId: GUILD, member: MEMBER, customId: 'greeter:wave:everyone' }));
			expect(body.data!.content).to.equal('👋 everyone');
		});

		it('GIVEN the same button where the plugin is off THEN the member is told why instead', async () => {
			const body = await run(buttonInteraction({ guildId: '100000000000000005', member: MEMBER, customId: 'greeter:wave:everyone' }));
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(body.data!.content).to.include('The **greeter** plugin is turned off in this server');
		});
	});

	describe('command registration', () => {
		it('GIVEN unchanged command versions THEN a restart sends nothing; a version bump sends one bulk overwrite', async () => {
			const { client } = bot;
			Reflect.set(client, 'application', Reflect.construct(ClientApplication, [client, { id: APPLICATION_ID }]));
			const commands = client.stores.get('commands');
			const registrar = container.commandRegistrar;
			const puts = () => recorder.find('PUT', /^\/applications\/\d+\/commands$/);

			const first = await registrar.synchronize(client as Client<true>, commands);
			expect(first).to.deep.equal({ action: 'registered', count: 8 });
			const sent = (puts()[0]!.body as { name: string }[]).map((command) => command.name);
			expect(sent).to.have.members(['about', 'api-token', 'audit', 'config', 'kaltura-user', 'plugins', 'greet', 'Wave at']);
			expect(await registrar.synchronize(client as Client<true>, commands)).to.deep.equal({ action: 'unchanged' });
			expect(puts()).to.have.lengthOf(1);

			const greet = commands.get('greeter-greet')!;
			Reflect.set(greet, 'version', '1.1.0');
			try {
				expect(await registrar.synchronize(client as Client<true>, commands)).to.deep.equal({ action: 'registered', count: 8 });
				expect(puts()).to.have.lengthOf(2);
			} finally {
				Reflect.set(greet, 'version', '1.0.0');
			}
		});
	});

	describe('HTTP API', () => {
		const call = (path: string, init: RequestInit = {}, host?: string) => fetch(`${bot.apiUrl(host)}${path}`, init);

		it('GIVEN GET /health on a bare IP host THEN 200 (no cookie-middleware 500)', async () => {
			const response = await call('/health');
			expect(response.status).to.equal(200);
			expect(await response.json()).to.include({ status: 'ok' });
		});

		it('GIVEN GET /ready before the gateway connected THEN 503 naming the gateway, storage ok', async () => {
			const response = await call('/ready', {}, 'localhost');
			expect(response.status).to.equal(503);
			expect(await response.json()).to.deep.equal({ status: 'not_ready', checks: { gateway: false, discord_token: true, storage: true } });
		});

		it('GIVEN an unknown path or a wrong method THEN 404 / 405 in the JSON error envelope', async () => {
			const missing = await call('/nope');
			expect(missing.status).to.equal(404);
			expect(await missing.json()).to.deep.equal({ error: { code: 'not_found', message: 'No API route matches this path.' } });
			const wrong = await call('/health', { method: 'DELETE' });
			expect(wrong.status).to.equal(405);
			expect(wrong.headers.get('allow')).to.equal('GET');
			expect(((await wrong.json()) as { error: { code: string } }).error.code).to.equal('method_not_allowed');
		});

		it('GIVEN no token, a bad token, another guild or a missing scope THEN 401/401/403/403', async () => {
			expect((await call(`/guilds/${GUILD}/plugins`)).status).to.equal(401);
			expect((await call(`/guilds/${GUILD}/plugins`, { headers: { authorization: 'Bearer a.b.c' } })).status).to.equal(401);
			expect((await call(`/guilds/${GUILD}/plugins`, { headers: { authorization: `Bearer ${token(OTHER_GUILD)}` } })).status).to.equal(403);
			expect(
				(await call(`/guilds/${GUILD}/plugins`, { headers: { authorization: `Bearer ${token(GUILD, ['guild:read'])}` } })).status
			).to.equal(403);
		});

		it('GIVEN forged, expired or misdirected tokens THEN every one is refused with 401', async () => {
			const now = Math.floor(Date.now() / 1000);
			const claims = {
				sub: ADMIN.id,
				guild_id: GUILD,
				scope: [GUILD_MANAGE_SCOPE],
				jti: 'x',
				iss: TOKEN_ISSUER,
				aud: TOKEN_AUDIENCE,
				iat: now,
				exp: now + 60
			};
			const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
			const [header, , signature] = token().split('.');
			const forged = {
				'alg none': `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`,
				HS512: jwt.sign(claims, TEST_SECRETS.JWT_SECRET, { algorithm: 'HS512' }),
				expired: jwt.sign({ ...claims, exp: now - 5 }, TEST_SECRETS.JWT_SECRET, { algorithm: 'HS256' }),
				'not yet valid': jwt.sign({ ...claims, nbf: now + 600 }, TEST_SECRETS.JWT_SECRET, { algorithm: 'HS256' }),
				'wrong audience': jwt.sign({ ...claims, aud: 'elsewhere' }, TEST_SECRETS.JWT_SECRET, { algorithm: 'HS256' }),
				tampered: `${header}.${part({ ...claims, guild_id: OTHER_GUILD })}.${signature}`
			};
			for (const [name, value] of Object.entries(forged)) {
				const response = await call(`/guilds/${GUILD}/plugins`, { headers: { authorization: `Bearer ${value}` } });
				expect(response.status, name).to.equal(401);
				expect(response.headers.get('www-authenticate'), name).to.equal('Bearer');
			}
		});

		it('GIVEN a valid token THEN GET plugins lists them with their state', async () => {
			const response = await call(`/guilds/${GUILD}/plugins`, { headers: { authorization: `Bearer ${token()}` } });
			expect(response.status).to.equal(200);
			const body = (await response.json()) as { plugins: { name: string; enabled: boolean }[] };
			expect(body.plugins.map(({ name, enabled }) => [name, enabled])).to.deep.equal([
				['greeter', true],
				['greeter-extras', false]
			]);
		});

		it('GIVEN PUT plugins/:name THEN it switches the plugin with the same dependency rules', async () => {
			const put = (name: string, body: string) =>
				call(`/guilds/${GUILD}/plugins/${name}`, {
					method: 'PUT',
					body,
					headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' }
				});
			expect((await put('greeter-extras', '{"enabled":true}')).status).to.equal(200);
			const refused = await put('greeter', '{"enabled":false}');
			expect(refused.status).to.equal(409);
			expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal('required_by_enabled');
			expect((await put('nothing', '{"enabled":true}')).status).to.equal(404);
			expect((await put('greeter', '{"enabled":"yes"}')).status).to.equal(400);
			expect((await put('greeter', '{"enabled":')).status).to.equal(400);
			expect((await put('greeter-extras', '{"enabled":false}')).status).to.equal(200);
		});

		it('GIVEN PATCH config THEN a valid merge patch applies and an invalid one is refused whole with paths', async () => {
			const patch = (body: string) =>
				call(`/guilds/${GUILD}/config`, {
					method: 'PATCH',
					body,
					headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' }
				});
			const ok = await patch('{"greeter":{"greeting":"Hi there"}}');
			expect(ok.status).to.equal(200);
			expect(((await ok.json()) as { config: { greeter: { greeting: string } } }).config.greeter.greeting).to.equal('Hi there');
			const bad = await patch('{"greeter":{"greeting":"","volume":0}}');
			expect(bad.status).to.equal(422);
			const details = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((issue) => issue.path);
			expect(details).to.have.members(['greeter.greeting', 'greeter.volume']);
			const removed = await patch('{"greeter":{"greeting":null}}');
			expect(((await removed.json()) as { config: { greeter: { greeting: string } } }).config.greeter.greeting).to.equal('Ahoy');
		});

		it('GIVEN a body over the limit THEN 413, declared or streamed', async () => {
			const headers = { authorization: `Bearer ${token()}`, 'content-type': 'application/json' };
			const big = JSON.stringify({ greeter: { greeting: 'x'.repeat(70 * 1024) } });
			const declared = await call(`/guilds/${GUILD}/config`, { method: 'PATCH', body: big, headers });
			expect(declared.status).to.equal(413);
			const stream = new ReadableStream({
				start(controller) {
					controller.enqueue(new TextEncoder().encode(big));
					controller.close();
				}
			});
			const streamed = await call(`/guilds/${GUILD}/config`, { method: 'PATCH', body: stream, headers, duplex: 'half' } as RequestInit);
			expect(streamed.status).to.equal(413);
		});

		it('GIVEN a plugin route in a guild where the plugin is off THEN 403 plugin_disabled', async () => {
			const on = await call(`/guilds/${GUILD}/greeting`, { headers: { authorization: `Bearer ${token()}` } });
			expect(on.status).to.equal(200);
			const other = await call(`/guilds/100000000000000003/greeting`, { headers: { authorization: `Bearer ${token('100000000000000003')}` } });
			expect(other.status).to.equal(403);
			expect(((await other.json()) as { error: { code: string } }).error.code).to.equal('plugin_disabled');
		});
	});

	describe('secrets', () => {
		it('GIVEN everything this suite did THEN no configured secret appears in the log', () => {
			const text = bot.log.text();
			for (const secret of Object.values(TEST_SECRETS)) expect(text).to.not.include(secret);
		});
	});
});
