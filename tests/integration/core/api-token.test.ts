import { container } from '@sapphire/framework';
import { expect } from 'chai';
import {
	ApplicationCommandOptionType,
	MessageFlags,
	type APIApplicationCommandInteractionDataOption,
	type APIInteraction,
	type RESTPostAPIChatInputApplicationCommandsJSONBody
} from 'discord-api-types/v10';
import { API_HOST_PLACEHOLDER, apiBaseUrl } from '../../../src/commands/api-token.js';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import type { VersionedCommand } from '../../../src/core/commands/versioned-command.js';
import { REDACTED } from '../../../src/core/redactor.js';
import { ADMIN, MEMBER, chatInputInteraction, dispatchInteraction } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { createTestBot, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000009';

interface CallbackBody {
	type: number;
	data?: { content?: string; flags?: number };
}

const minutesOption = (value: number): APIApplicationCommandInteractionDataOption => ({ type: ApplicationCommandOptionType.Integer, name: 'minutes', value });

/** The token in a reply: the JWT alone in its own code block. */
function tokenIn(content: string): string {
	const match = /```\n(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)\n```/.exec(content);
	if (match === null) return expect.fail(`no token in the reply: ${content}`);
	return match[1]!;
}

describe('/api-token (Sapphire pipeline and HTTP API, no gateway)', () => {
	let recorder: RestRecorder;
	let bot: TestBot;
	const issued: string[] = [];

	before(async () => {
		recorder = await new RestRecorder().start();
		bot = await createTestBot({ env: { DISCORD_API_URL: recorder.apiUrl } });
		await bot.prepare();
		bot.client.rest.setToken(TEST_SECRETS.DISCORD_TOKEN);
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
	});

	async function run(raw: APIInteraction): Promise<CallbackBody> {
		dispatchInteraction(bot.client, raw);
		const callback = await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
		return callback.body as CallbackBody;
	}

	const apiToken = async (member = ADMIN, options: APIApplicationCommandInteractionDataOption[] = [], guildId = GUILD) => {
		const body = await run(chatInputInteraction({ guildId, member, name: 'api-token', options }));
		const content = body.data?.content ?? '';
		const match = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.exec(content);
		if (match) issued.push(match[0]);
		return body;
	};

	const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

	describe('the command', () => {
		it('GIVEN its definition THEN it is guild-only, Manage Server by default, with a 5-1440 minutes option, v1.0.0', () => {
			const command = bot.client.stores.get('commands').get('core-api-token') as VersionedCommand;
			expect(command.version).to.equal('1.0.0');
			const [definition] = command.applicationCommands as RESTPostAPIChatInputApplicationCommandsJSONBody[];
			expect(definition).to.include({ name: 'api-token', default_member_permissions: '32' });
			expect(definition!.contexts).to.deep.equal([0]);
			expect(definition!.options).to.have.lengthOf(1);
			expect(definition!.options![0]).to.deep.include({ type: ApplicationCommandOptionType.Integer, name: 'minutes', required: false, min_value: 5, max_value: 1440 });
		});

		it('GIVEN an admin THEN the ephemeral reply holds a 15-minute token for this guild and scope, its expiry and a curl example', async () => {
			const body = await apiToken();
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			const content = body.data!.content!;
			const token = tokenIn(content);

			const verification = container.apiTokens.verify(token);
			if (!verification.ok) return expect.fail(verification.reason);
			const { claims } = verification;
			expect(claims).to.include({ sub: ADMIN.id, guild_id: GUILD });
			expect(claims.scope).to.deep.equal([GUILD_MANAGE_SCOPE]);
			expect(claims.exp - claims.iat).to.equal(15 * 60);
			expect(content).to.include(`<t:${claims.exp}:R>`).and.include('valid for 15 minutes');

			const base = bot.apiUrl();
			expect(content).to.include(`curl -H "Authorization: Bearer $TOKEN" ${base}/guilds/${GUILD}/plugins`);
		});

		it('GIVEN the issued token THEN it works on GET /guilds/:guildId/plugins of its guild (200), the URL taken from the reply, and not on another (403)', async () => {
			const content = (await apiToken()).data!.content!;
			const token = tokenIn(content);
			const url = /curl .* (http:\/\/\S+)/.exec(content)![1]!;
			const own = await get(url, token);
			expect(own.status).to.equal(200);
			expect(((await own.json()) as { plugins: unknown[] }).plugins).to.have.length.greaterThan(0);
			const other = await get(`${bot.apiUrl()}/guilds/${OTHER_GUILD}/plugins`, token);
			expect(other.status).to.equal(403);
		});

		it('GIVEN minutes:60 THEN the token lives an hour, and the reply says so', async () => {
			const content = (await apiToken(ADMIN, [minutesOption(60)])).data!.content!;
			const verification = container.apiTokens.verify(tokenIn(content));
			if (!verification.ok) return expect.fail(verification.reason);
			expect(verification.claims.exp - verification.claims.iat).to.equal(3600);
			expect(content).to.include('valid for 60 minutes');
		});

		it('GIVEN minutes outside 5-1440 (a client that skips Discord’s check) THEN no token, the range is named', async () => {
			for (const minutes of [1, 1441]) {
				const content = (await apiToken(ADMIN, [minutesOption(minutes)])).data!.content!;
				expect(content).to.equal('`minutes` must be between 5 and 1440.');
			}
		});

		it('GIVEN a member without Manage Server THEN the command is denied privately and no token is issued', async () => {
			const before = issued.length;
			const body = await apiToken(MEMBER);
			expect(body.data!.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(body.data!.content).to.match(/missing .*permission/i);
			expect(body.data!.content).to.not.match(/eyJ/);
			expect(issued).to.have.lengthOf(before);
		});
	});

	describe('the log', () => {
		it('GIVEN tokens were issued THEN the command logged who got one, for which guild, with its id, and never the token', () => {
			expect(issued.length).to.be.at.least(3);
			const auditLines = bot.log.lines.filter((line) => line.includes('API token') && line.includes('issued to user'));
			expect(auditLines).to.have.lengthOf(issued.length);
			for (const [index, line] of auditLines.entries()) {
				const verification = container.apiTokens.verify(issued[index]!);
				if (!verification.ok) return expect.fail(verification.reason);
				expect(line).to.include(verification.claims.jti).and.include(`user ${ADMIN.id}`).and.include(`guild ${GUILD}`);
				// Not merely redacted by the logger: the command never handed the token to it.
				expect(line).to.not.include(REDACTED);
				expect(line).to.not.match(/eyJ/);
			}
		});

		it('GIVEN everything this suite did THEN no issued token and no configured secret appears anywhere in the log', () => {
			const text = bot.log.text();
			for (const token of issued) {
				expect(text).to.not.include(token);
				expect(text).to.not.include(token.split('.')[2]!);
			}
			for (const secret of Object.values(TEST_SECRETS)) expect(text).to.not.include(secret);
		});
	});

	describe('apiBaseUrl', () => {
		it('GIVEN a host and port THEN the v1 base URL; a wildcard host becomes a placeholder; IPv6 is bracketed', () => {
			expect(apiBaseUrl('127.0.0.1', 4000)).to.equal('http://127.0.0.1:4000/api/v1');
			expect(apiBaseUrl('bot.example.org', 8080)).to.equal('http://bot.example.org:8080/api/v1');
			expect(apiBaseUrl('0.0.0.0', 4000)).to.equal(`http://${API_HOST_PLACEHOLDER}:4000/api/v1`);
			expect(apiBaseUrl('::', 4000)).to.equal(`http://${API_HOST_PLACEHOLDER}:4000/api/v1`);
			expect(apiBaseUrl('::1', 4000)).to.equal('http://[::1]:4000/api/v1');
		});
	});
});
