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
import type { AuditEntryInput } from '../../../src/core/audit/audit-log.js';
import type { VersionedCommand } from '../../../src/core/commands/versioned-command.js';
import { REDACTED } from '../../../src/core/redactor.js';
import { ADMIN, MEMBER, chatInputInteraction, dispatchInteraction, stringOption } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000009';

interface CallbackBody {
	type: number;
	data?: { content?: string; flags?: number };
}

const minutesOption = (value: number): APIApplicationCommandInteractionDataOption => ({
	type: ApplicationCommandOptionType.Integer,
	name: 'minutes',
	value
});

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
	const audited: AuditEntryInput[] = [];

	before(async () => {
		recorder = await new RestRecorder().start();
		bot = await prepareTestBot(recorder);
		// What the commands and routes hand to the audit log, whichever store keeps it.
		container.audit = { record: async (entry) => void audited.push(entry) };
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
		const body = await run(chatInputInteraction({ guildId, member, name: 'api-token', subcommand: 'issue', options }));
		const content = body.data?.content ?? '';
		const match = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.exec(content);
		if (match) issued.push(match[0]);
		return body;
	};

	const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

	describe('the command', () => {
		it('GIVEN its definition THEN it is guild-only, Manage Server by default, issue with a 5-1440 minutes option and revoke with a token id, v2.0.0', () => {
			const command = bot.client.stores.get('commands').get('core-api-token') as VersionedCommand;
			expect(command.version).to.equal('2.0.0');
			const [definition] = command.applicationCommands as RESTPostAPIChatInputApplicationCommandsJSONBody[];
			expect(definition).to.include({ name: 'api-token', default_member_permissions: '32' });
			expect(definition!.contexts).to.deep.equal([0]);
			const [issue, revoke] = definition!.options as { type: number; name: string; options: unknown[] }[];
			expect(issue).to.include({ type: ApplicationCommandOptionType.Subcommand, name: 'issue' });
			expect(issue!.options).to.have.lengthOf(1);
			expect(issue!.options[0]).to.deep.include({
				type: ApplicationCommandOptionType.Integer,
				name: 'minutes',
				required: false,
				min_value: 5,
				max_value: 1440
			});
			expect(revoke).to.include({ type: ApplicationCommandOptionType.Subcommand, name: 'revoke' });
			expect(revoke!.options).to.have.lengthOf(1);
			expect(revoke!.options[0]).to.deep.include({ type: ApplicationCommandOptionType.String, name: 'token-id', required: false });
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

	describe('revocation', () => {
		const revokeCommand = async (member = ADMIN, tokenId?: string, guildId = GUILD) => {
			const body = await run(
				chatInputInteraction({
					guildId,
					member,
					name: 'api-token',
					subcommand: 'revoke',
					options: tokenId === undefined ? [] : [stringOption('token-id', tokenId)]
				})
			);
			return body.data?.content ?? '';
		};
		const issue = async (guildId = GUILD) => {
			const content = (await apiToken(ADMIN, [], guildId)).data!.content!;
			const token = tokenIn(content);
			const verification = container.apiTokens.verify(token);
			if (!verification.ok) return expect.fail(verification.reason);
			return { token, jti: verification.claims.jti, content };
		};
		const plugins = (token: string, guildId = GUILD) => get(`${bot.apiUrl()}/guilds/${guildId}/plugins`, token);
		const revokeRoute = (token: string, body: unknown, guildId = GUILD) =>
			fetch(`${bot.apiUrl()}/guilds/${guildId}/api-tokens/revoke`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

		it('GIVEN a token THEN the reply shows its id and how to revoke it; the audit log has the issue with the id, never the token', async () => {
			const { token, jti, content } = await issue();
			expect(content).to.include(`Its id is \`${jti}\``).and.include(`/api-token revoke token-id:${jti}`);
			const entry = audited.find((candidate) => candidate.action === 'api-token.issue' && candidate.target === jti);
			expect(entry).to.deep.include({ guildId: GUILD, actorId: ADMIN.id, source: 'command' });
			expect(JSON.stringify(audited)).to.not.include(token).and.not.include(token.split('.')[2]!);
		});

		it('GIVEN /api-token revoke token-id THEN that token is refused (401) and another token of the server still works', async () => {
			const first = await issue();
			const second = await issue();
			expect((await plugins(first.token)).status).to.equal(200);
			expect(await revokeCommand(ADMIN, first.jti)).to.equal(`API token \`${first.jti}\` (issued to <@${ADMIN.id}>) is revoked.`);
			const refused = await plugins(first.token);
			expect(refused.status).to.equal(401);
			expect((await errorOf(refused)).message).to.equal('The bearer token was refused (token revoked).');
			expect((await plugins(second.token)).status).to.equal(200);
			expect(audited.find((entry) => entry.action === 'api-token.revoke' && entry.target === first.jti)).to.deep.include({
				guildId: GUILD,
				actorId: ADMIN.id,
				source: 'command'
			});
		});

		it('GIVEN /api-token revoke THEN every earlier token of the server is refused, one issued right after works, and other servers keep theirs', async () => {
			const earlier = [await issue(), await issue()];
			const elsewhere = await issue(OTHER_GUILD);
			expect(await revokeCommand()).to.match(/^Every API token of this server issued until now is revoked/);
			for (const { token } of earlier) expect((await plugins(token)).status).to.equal(401);
			expect((await plugins(elsewhere.token, OTHER_GUILD)).status).to.equal(200);
			// Issued in the same second as the revocation: the command waits for the next second so it is not revoked too.
			const after = await issue();
			expect((await plugins(after.token)).status).to.equal(200);
			expect(audited.find((entry) => entry.action === 'api-token.revoke' && entry.target === 'all')).to.deep.include({
				guildId: GUILD,
				actorId: ADMIN.id
			});
		});

		it('GIVEN an unknown id, another server’s token id or a pasted token THEN nothing is revoked and the reply says why without echoing a token', async () => {
			const elsewhere = await issue(OTHER_GUILD);
			const unknown = '123e4567-e89b-42d3-a456-426614174000';
			expect(await revokeCommand(ADMIN, unknown)).to.equal(`No unexpired API token with the id \`${unknown}\` was issued for this server.`);
			expect(await revokeCommand(ADMIN, elsewhere.jti)).to.equal(
				`No unexpired API token with the id \`${elsewhere.jti}\` was issued for this server.`
			);
			expect((await plugins(elsewhere.token, OTHER_GUILD)).status).to.equal(200);
			const pasted = await revokeCommand(ADMIN, elsewhere.token);
			expect(pasted).to.match(/^`token-id` must be a token’s id/);
			expect(pasted).to.not.include(elsewhere.token.split('.')[1]!);
		});

		it('GIVEN a member without Manage Server THEN /api-token revoke is denied and revokes nothing', async () => {
			const { token } = await issue();
			expect(await revokeCommand(MEMBER)).to.match(/missing .*permission/i);
			expect((await plugins(token)).status).to.equal(200);
		});

		it('GIVEN POST api-tokens/revoke THEN { jti } revokes that token, {} every token (the caller’s too), with 400 and 404 for bad and unknown ids', async () => {
			const caller = await issue();
			const target = await issue();
			const bad = await revokeRoute(caller.token, { jti: 'not-an-id' });
			expect(bad.status).to.equal(400);
			expect((await errorOf(bad)).code).to.equal('invalid_body');
			const unknown = await revokeRoute(caller.token, { jti: '123e4567-e89b-42d3-a456-426614174000' });
			expect(unknown.status).to.equal(404);
			expect((await errorOf(unknown)).code).to.equal('unknown_token');

			const one = await revokeRoute(caller.token, { jti: target.jti });
			expect(one.status).to.equal(200);
			expect(await one.json()).to.include({ revoked: target.jti, issuedTo: ADMIN.id });
			expect((await plugins(target.token)).status).to.equal(401);
			expect((await plugins(caller.token)).status).to.equal(200);
			expect(audited.find((entry) => entry.action === 'api-token.revoke' && entry.target === target.jti)).to.deep.include({
				source: 'api',
				actorId: ADMIN.id
			});

			const all = await revokeRoute(caller.token, {});
			expect(all.status).to.equal(200);
			expect(((await all.json()) as { revoked: string }).revoked).to.equal('all');
			expect((await plugins(caller.token)).status).to.equal(401);
			expect((await revokeRoute(caller.token, {})).status).to.equal(401);
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
				expect(line).to.include(verification.claims.jti).and.include(`user ${ADMIN.id}`).and.include(`guild ${verification.claims.guild_id}`);
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
