import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { ApiTokenService } from '../../../src/core/auth/api-tokens.js';
import { TEST_SECRETS } from '../../../tests/helpers/test-bot.js';
import { issueSessionToken, SESSION_AUDIENCE } from '../lib/session-token.js';
import { ActivityFixture } from './activity-fixture.js';
import { ActivitySocket } from './activity-client.js';

/**
 * The Activity's sign-in and its session token: who gets one (a member Discord counts in the instance, with a code
 * Discord issued), and that no other token passes for it, nor it for another: on every route and on the socket.
 */
describe('watch-together: sign-in and session tokens', function () {
	/** Guild API tokens as the bot issues them (the same JWT_SECRET). */
	const apiTokens = new ApiTokenService(TEST_SECRETS.JWT_SECRET);
	this.timeout(60_000);
	let fixture: ActivityFixture;
	let instanceId: string;

	before(async () => {
		fixture = await ActivityFixture.start();
		instanceId = fixture.discord.activities.startActivity({
			guildId: fixture.guildId,
			channelId: fixture.voiceChannelId,
			userIds: [fixture.members.alice, fixture.members.bob]
		}).instanceId;
	});
	after(async () => {
		await fixture?.stop();
	});

	const session = { instanceId: '', guildId: '', channelId: '' };
	const forgedTokens = () => {
		Object.assign(session, { instanceId, guildId: fixture.guildId, channelId: fixture.voiceChannelId });
		const claims = { ...session, userId: fixture.members.alice };
		return {
			'signed with another secret': issueSessionToken('another-secret-that-is-long-enough-for-hs256!!', claims),
			expired: issueSessionToken(TEST_SECRETS.JWT_SECRET, claims, -10),
			'a guild API token': apiTokens.issue({ userId: fixture.members.alice, guildId: fixture.guildId, scope: ['guild:manage'] }),
			'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
				JSON.stringify({
					sub: fixture.members.alice,
					ins: instanceId,
					gid: fixture.guildId,
					cid: fixture.voiceChannelId,
					typ: 'activity-session',
					aud: SESSION_AUDIENCE,
					iss: 'kaltura-discord-bot',
					exp: Math.floor(Date.now() / 1000) + 600
				})
			).toString('base64url')}.`
		};
	};

	it('GIVEN a code Discord issued to a member in the instance THEN 200 with Discord’s access token, a session token, the user and the instance', async () => {
		const { status, body } = await fixture.signIn(fixture.members.alice, instanceId);
		expect(status).to.equal(200);
		expect(body.accessToken).to.be.a('string').and.not.equal('');
		expect(fixture.discord.activities.userOfToken(String(body.accessToken))?.id).to.equal(fixture.members.alice);
		expect(body.expiresIn).to.equal(900);
		expect(body.user).to.deep.equal({ id: fixture.members.alice, username: 'alice' });
		expect(body.instance).to.deep.equal({ id: instanceId, guildId: fixture.guildId, channelId: fixture.voiceChannelId });
		const claims = jwt.verify(String(body.sessionToken), TEST_SECRETS.JWT_SECRET, { audience: SESSION_AUDIENCE }) as jwt.JwtPayload;
		expect([claims.sub, claims.ins, claims.gid, claims.cid]).to.deep.equal([
			fixture.members.alice,
			instanceId,
			fixture.guildId,
			fixture.voiceChannelId
		]);
		expect(Number(claims.exp) - Number(claims.iat)).to.equal(900);
	});

	it('GIVEN an invalid code, or a code used twice THEN 400 invalid_code', async () => {
		expect((await fixture.signIn(fixture.members.alice, instanceId, 'not-a-code')).body.error?.code).to.equal('invalid_code');
		const code = fixture.discord.activities.issueOAuthCode(fixture.members.alice);
		expect((await fixture.signIn(fixture.members.alice, instanceId, code)).status).to.equal(200);
		const again = await fixture.signIn(fixture.members.alice, instanceId, code);
		expect([again.status, again.body.error?.code]).to.deep.equal([400, 'invalid_code']);
	});

	it('ATTACK: a member of the server who is not in the instance asks a session for it THEN 403 not_in_instance', async () => {
		const { status, body } = await fixture.signIn(fixture.members.stranger, instanceId);
		expect([status, body.error?.code]).to.deep.equal([403, 'not_in_instance']);
		expect(body.sessionToken).to.equal(undefined);
	});

	it('GIVEN an instance Discord does not know THEN 404 unknown_instance; GIVEN a bad body THEN 400 invalid_body', async () => {
		const unknown = await fixture.signIn(fixture.members.alice, `i-1-gc-${fixture.guildId}-${fixture.voiceChannelId}`);
		expect([unknown.status, unknown.body.error?.code]).to.deep.equal([404, 'unknown_instance']);
		const response = await fetch(`${fixture.api}/activity/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"code":1}'
		});
		expect(response.status).to.equal(400);
		expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('invalid_body');
	});

	it('ATTACK: a forged, expired, alg-none or guild API token on the Activity routes THEN 401, and the real session token THEN 200', async () => {
		for (const [what, token] of Object.entries(forgedTokens())) {
			for (const path of [`/activity/playback?entryId=${fixture.openEntryId}`, '/activity/videos?q=film']) {
				const response = await fixture.get(path, token);
				expect(response.status, `${what} on ${path}`).to.equal(401);
			}
		}
		const good = await fixture.sessionToken(fixture.members.alice, instanceId);
		expect((await fixture.get('/activity/videos?q=film', good)).status).to.equal(200);
	});

	it('ATTACK: the Activity’s session token on a guild API route THEN 401', async () => {
		const token = await fixture.sessionToken(fixture.members.alice, instanceId);
		for (const path of [`/guilds/${fixture.guildId}/config`, `/guilds/${fixture.guildId}/plugins`]) {
			expect((await fixture.get(path, token)).status, path).to.equal(401);
		}
		// The same route takes a guild API token: the refusal is the token's kind, not the route.
		const apiToken = apiTokens.issue({ userId: fixture.members.admin, guildId: fixture.guildId, scope: ['guild:manage'] });
		expect((await fixture.get(`/guilds/${fixture.guildId}/plugins`, apiToken)).status).to.equal(200);
	});

	it('ATTACK: a forged, expired, alg-none or guild API token in the socket’s hello THEN close 4001', async () => {
		for (const [what, token] of Object.entries(forgedTokens())) {
			const socket = await ActivitySocket.open(fixture.socketUrl);
			socket.hello(token);
			expect((await socket.closedWithin()).code, what).to.equal(4001);
			expect(
				socket.messages.filter((message) => message.type === 'welcome'),
				what
			).to.deep.equal([]);
		}
	});

	it('GIVEN a session token that expires while connected THEN the socket closes 4004 at expiry', async () => {
		const socket = await ActivitySocket.open(fixture.socketUrl);
		const claims = { userId: fixture.members.bob, instanceId, guildId: fixture.guildId, channelId: fixture.voiceChannelId };
		socket.hello(issueSessionToken(TEST_SECRETS.JWT_SECRET, claims, 2));
		await socket.next('welcome');
		const started = Date.now();
		expect((await socket.closedWithin(5_000)).code).to.equal(4004);
		expect(Date.now() - started).to.be.greaterThan(500);
	});

	it('ATTACK: a member who left the instance says hello with a still valid token THEN close 4003', async () => {
		const token = await fixture.sessionToken(fixture.members.bob, instanceId);
		fixture.discord.activities.leave(instanceId, fixture.members.bob);
		// Discord's answer about the instance is reused for up to 5 s.
		await new Promise((resolve) => setTimeout(resolve, 5_200));
		const socket = await ActivitySocket.open(fixture.socketUrl);
		socket.hello(token);
		expect((await socket.closedWithin()).code).to.equal(4003);
		expect((await fixture.get('/activity/videos?q=film', token)).status).to.equal(403);
	});

	it('GIVEN no hello within 5 s THEN close 4001; GIVEN bad JSON THEN an error message and the socket stays open', async () => {
		const socket = await ActivitySocket.open(fixture.socketUrl);
		socket.send('{not json');
		expect((await socket.next('error')).reason).to.equal('invalid_json');
		socket.send({ type: 'control', id: 1, action: 'play' });
		expect((await socket.next('error', 1)).reason).to.equal('hello_first');
		expect(socket.isOpen).to.equal(true);
		expect((await socket.closedWithin(7_000)).code).to.equal(4001);
	});
});
