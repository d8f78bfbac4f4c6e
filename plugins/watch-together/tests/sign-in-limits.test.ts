import { expect } from 'chai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordActivityApi, DiscordUnreachableError } from '../lib/discord-activity-api.js';
import { SIGN_IN_RATE } from '../lib/sign-in-limits.js';
import { ActivityFixture } from './activity-fixture.js';

/** Counts the bot's calls to Discord's token endpoint (the bot runs in this process). */
function countTokenCalls(): { readonly count: () => number; readonly restore: () => void } {
	const original = globalThis.fetch;
	let calls = 0;
	globalThis.fetch = (input, init) => {
		const url = input instanceof Request ? input.url : String(input);
		if (url.endsWith('/oauth2/token')) calls += 1;
		return original(input, init);
	};
	return { count: () => calls, restore: () => void (globalThis.fetch = original) };
}

/**
 * The sign-in route is public and each sign-in costs a Discord call with the bot's credentials: a flood must not turn
 * into Discord calls (Discord restricts an IP after 10,000 invalid requests in 10 minutes, all of the bot with it).
 */
describe('watch-together: sign-in limits', function () {
	this.timeout(60_000);

	describe('the route', () => {
		let fixture: ActivityFixture;
		let instanceId: string;
		before(async () => {
			fixture = await ActivityFixture.start();
			instanceId = fixture.discord.activities.startActivity({
				guildId: fixture.guildId,
				channelId: fixture.voiceChannelId,
				userIds: [fixture.members.alice]
			}).instanceId;
		});
		after(async () => {
			await fixture?.stop();
		});

		it('ATTACK: malformed codes and instance ids THEN 400 and Discord is not asked', async () => {
			const counter = countTokenCalls();
			try {
				for (const [code, instance] of [
					['a code with spaces', instanceId],
					['x'.repeat(600), instanceId],
					['valid-code', '../../users/@me'],
					['valid-code', 'i-1/../2']
				]) {
					const response = await fetch(`${fixture.api}/activity/token`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ code, instanceId: instance })
					});
					expect(response.status, `${code} ${instance}`).to.equal(400);
				}
				expect(counter.count()).to.equal(0);
			} finally {
				counter.restore();
			}
		});

		it('GIVEN Discord answers about another instance than the one asked THEN 404 unknown_instance, no session token', async () => {
			const original = globalThis.fetch;
			// Discord's answer, as if it named another instance (a proxy's mix-up, or a path Discord read otherwise).
			globalThis.fetch = async (input, init) => {
				const response = await original(input, init);
				const url = input instanceof Request ? input.url : String(input);
				if (!url.includes('/activity-instances/') || !response.ok) return response;
				const body = (await response.json()) as Record<string, unknown>;
				return Response.json({ ...body, instance_id: `${String(body.instance_id)}0` });
			};
			try {
				const { status, body } = await fixture.signIn(fixture.members.alice, instanceId);
				expect(status).to.equal(404);
				expect(body.error?.code).to.equal('unknown_instance');
				expect(body.sessionToken).to.equal(undefined);
			} finally {
				globalThis.fetch = original;
			}
		});

		it('ATTACK: a burst of sign-ins beyond the limit THEN 429 with Retry-After, and those never reach Discord', async () => {
			const counter = countTokenCalls();
			try {
				const burst = SIGN_IN_RATE.perAddress.burst * 3;
				const responses = await Promise.all(
					Array.from({ length: burst }, (_, i) =>
						fetch(`${fixture.api}/activity/token`, {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ code: `guessed-code-${i}`, instanceId })
						})
					)
				);
				const limited = responses.filter((response) => response.status === 429);
				expect(limited.length).to.be.at.least(burst - SIGN_IN_RATE.perAddress.burst - 2);
				for (const response of limited) expect(Number(response.headers.get('retry-after'))).to.be.greaterThan(0);
				expect(counter.count()).to.equal(burst - limited.length);
			} finally {
				counter.restore();
			}
		});
	});

	describe('Discord answering 429', () => {
		it('GIVEN Discord answers 429 THEN Discord is not asked again until its Retry-After has passed', async () => {
			let calls = 0;
			const discord = createServer((_request, response) => {
				calls += 1;
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
				response.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 1, global: false }));
			});
			await new Promise<void>((resolve) => discord.listen(0, '127.0.0.1', resolve));
			try {
				const api = new DiscordActivityApi({
					apiUrl: `http://127.0.0.1:${(discord.address() as AddressInfo).port}/api`,
					clientId: '123456789012345678',
					clientSecret: 'secret',
					botToken: 'token'
				});
				for (let i = 0; i < 5; i += 1) {
					const error = await api.exchangeCode('some-code').catch((caught: unknown) => caught);
					expect(error).to.be.instanceOf(DiscordUnreachableError);
				}
				expect(calls).to.equal(1);
				await new Promise((resolve) => setTimeout(resolve, 1_100));
				await api.exchangeCode('some-code').catch(() => undefined);
				expect(calls).to.equal(2);
			} finally {
				await new Promise<void>((resolve) => discord.close(() => resolve()));
			}
		});
	});
});
