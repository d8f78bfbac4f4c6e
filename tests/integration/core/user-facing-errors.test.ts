import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type { APIInteraction } from 'discord-api-types/v10';
import { MessageFlags } from 'discord-api-types/v10';
import { join } from 'node:path';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { API_SENTENCE, INTERNAL_DETAIL, MEMBER_SENTENCE } from '../../fixtures/user-facing-errors/plugins/refusals/thrown.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { ADMIN, MEMBER, buttonInteraction, chatInputInteraction, dispatchInteraction } from '../../helpers/raw-interactions.js';
import { FIXTURES, prepareTestBot, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
const GENERIC = 'Something went wrong while running this command. The error was logged; please try again later.';

interface Answer {
	type?: number;
	content?: string;
	flags?: number;
	embeds?: unknown[];
	components?: unknown[];
	data?: { content?: string; flags?: number; embeds?: unknown[]; components?: unknown[] };
}

/**
 * What a piece throws is answered in one place per surface: a UserFacingError as its own sentence (privately on
 * Discord; its status, code and API sentence on the API), anything else as a generic answer, its message only in
 * the log. The pieces here (tests/fixtures/user-facing-errors) throw and never answer themselves.
 */
describe('Errors meant for users: one mapping for commands, buttons and routes', () => {
	let recorder: RestRecorder;
	let bot: TestBot;

	before(async () => {
		recorder = await new RestRecorder().start();
		const fixtures = join(FIXTURES, 'user-facing-errors');
		bot = await prepareTestBot(recorder, { pluginRoots: [join(fixtures, 'plugins')], configDirectory: join(fixtures, 'config') });
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
	});

	/** Runs a raw interaction through discord.js and Sapphire; the bot's first answer to it. */
	async function firstAnswer(raw: APIInteraction): Promise<Answer> {
		dispatchInteraction(bot.client, raw);
		return (await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`))).body as Answer;
	}

	const slash = (subcommand: string) => chatInputInteraction({ guildId: GUILD, member: MEMBER, name: 'refuse', subcommand });

	const api = (kind: string) =>
		fetch(`${bot.apiUrl()}/guilds/${GUILD}/refusal?kind=${kind}`, {
			headers: { authorization: `Bearer ${container.apiTokens.issue({ userId: ADMIN.id, guildId: GUILD, scope: [GUILD_MANAGE_SCOPE] })}` }
		});

	it('GIVEN a command throws a UserFacingError THEN the member gets its sentence, privately', async () => {
		const answer = await firstAnswer(slash('user'));
		expect(answer.data?.content).to.equal(MEMBER_SENTENCE);
		expect(answer.data?.flags ?? 0).to.equal(MessageFlags.Ephemeral);
	});

	it('GIVEN a command throws a UserFacingError after deferring THEN its sentence replaces the deferred answer', async () => {
		const raw = slash('deferred-user');
		const deferred = await firstAnswer(raw);
		expect(deferred.data?.flags ?? 0).to.equal(MessageFlags.Ephemeral);
		const edit = await recorder.waitFor('PATCH', new RegExp(`/webhooks/\\d+/${raw.token}/messages/(@|%40)original`));
		expect((edit.body as Answer).content).to.equal(MEMBER_SENTENCE);
	});

	it('GIVEN a button throws a UserFacingError THEN the member gets its sentence, privately', async () => {
		const answer = await firstAnswer(buttonInteraction({ guildId: GUILD, member: MEMBER, customId: 'refusals:user' }));
		expect(answer.data?.content).to.equal(MEMBER_SENTENCE);
		expect(answer.data?.flags ?? 0).to.equal(MessageFlags.Ephemeral);
	});

	it('GIVEN a route throws a UserFacingError THEN the client gets its status, code and API sentence', async () => {
		const response = await api('user');
		expect(response.status).to.equal(409);
		expect(await response.json()).to.deep.equal({ error: { code: 'refused_here', message: API_SENTENCE } });
	});

	it('GIVEN a command or a button fails with any other error THEN the member gets the generic answer, and its message only reaches the log', async () => {
		for (const raw of [slash('bug'), buttonInteraction({ guildId: GUILD, member: MEMBER, customId: 'refusals:bug' })]) {
			const answer = await firstAnswer(raw);
			expect(answer.data?.content).to.equal(GENERIC);
			expect(JSON.stringify(answer)).to.not.include('hunter2');
		}
		expect(bot.log.text()).to.include('Command refusals-refuse failed').and.include('Interaction handler');
	});

	it('GIVEN a route fails with any other error THEN 500 internal_error, its message nowhere in the body', async () => {
		const response = await api('bug');
		expect(response.status).to.equal(500);
		const body = await response.text();
		expect(JSON.parse(body)).to.deep.equal({ error: { code: 'internal_error', message: 'The server could not complete the request.' } });
		expect(body).to.not.include('hunter2');
		expect(INTERNAL_DETAIL).to.include('hunter2');
	});
});
