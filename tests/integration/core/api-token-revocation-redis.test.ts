import { container } from '@sapphire/framework';
import { expect } from 'chai';
import type Keyv from 'keyv';
import { GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { TokenRevocations } from '../../../src/core/auth/token-revocations.js';
import { RedisInvalidationBus } from '../../../src/core/storage/invalidation-bus.js';
import { closeKeyv, createKeyv } from '../../../src/core/storage/keyv-factory.js';
import { ADMIN } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, type TestBot } from '../../helpers/test-bot.js';
import { requireRedisOrSkip } from '../storage/redis-availability.js';

/**
 * Two instances of the bot on the real Redis: this process's bot (instance A, serving the API) and
 * instance B's revocation service, with its own Keyv and bus connections, as another bot process has.
 * A revocation made on B is refused by A at once, although A had just accepted (and cached) the token.
 */
describe('API token revocation across two instances on the real Redis', function () {
	this.timeout(20_000);

	// Fresh guild ids each run: revocations stay in Redis for a day.
	const guildId = `1${Date.now()}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`.slice(0, 19);
	let recorder: RestRecorder;
	let bot: TestBot;
	let otherStore: Keyv<unknown>;
	let otherBus: RedisInvalidationBus;
	let other: TokenRevocations;

	before(async function () {
		const url = await requireRedisOrSkip(this);
		recorder = await new RestRecorder().start();
		recorder.guildOfChannels = guildId;
		bot = await prepareTestBot(recorder, { keyvBackend: { kind: 'redis', url } });

		otherStore = createKeyv<unknown>({ kind: 'redis', url }, 'api-token-revocations');
		otherBus = await RedisInvalidationBus.connect(url);
		other = await TokenRevocations.create({ store: otherStore as Keyv<never>, bus: otherBus });
	});

	after(async () => {
		await bot?.stop();
		await recorder?.stop();
		await otherBus?.close();
		if (otherStore) await closeKeyv(otherStore);
	});

	/** A token issued and recorded as `/api-token issue` does on instance A. */
	async function issued() {
		const token = container.apiTokens.issue({ userId: ADMIN.id, guildId, scope: [GUILD_MANAGE_SCOPE] });
		const verification = container.apiTokens.verify(token);
		if (!verification.ok) return expect.fail(verification.reason);
		await container.tokenRevocations.recordIssued(verification.claims);
		return {
			jti: verification.claims.jti,
			call: () => fetch(`${bot.apiUrl()}/guilds/${guildId}/plugins`, { headers: { authorization: `Bearer ${token}` } })
		};
	}

	it('GIVEN a token accepted on A THEN revoking its id on B makes A refuse it (401), another token still works', async () => {
		const revoked = await issued();
		const kept = await issued();
		expect((await revoked.call()).status).to.equal(200);
		expect(await other.revoke(guildId, revoked.jti, ADMIN.id)).to.include({ userId: ADMIN.id, guildId });
		const refused = await eventually(revoked.call, 401);
		expect(((await refused.json()) as { error: { message: string } }).error.message).to.equal('The bearer token was refused (token revoked).');
		expect((await kept.call()).status).to.equal(200);
	});

	it('GIVEN tokens accepted on A THEN revoking all of the guild’s on B makes A refuse every one of them', async () => {
		const tokens = [await issued(), await issued()];
		for (const { call } of tokens) expect((await call()).status).to.equal(200);
		await other.revokeAll(guildId);
		for (const { call } of tokens) await eventually(call, 401);
	});
});

/** The response once it has `status`: the bus delivers the invalidation within milliseconds, not at once. */
async function eventually(call: () => Promise<Response>, status: number, timeoutMs = 2_000): Promise<Response> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await call();
		if (response.status === status || Date.now() > deadline) {
			expect(response.status).to.equal(status);
			return response;
		}
		await new Promise((done) => setTimeout(done, 20));
	}
}
