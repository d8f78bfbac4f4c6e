import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import {
	chromiumInstalled,
	control,
	probe,
	SCENE_JWT_SECRET,
	waitForProbe,
	WatchTogetherScene,
	type ActivityProbe,
	type DiscordClient
} from '../harness/discord-client/index.js';

const ARTIFACTS = resolve(import.meta.dirname, '..', '..', 'test-artifacts', 'watch-together');

/** Seconds between two members' players, read in the same instant (both frames evaluated together). */
async function skew(a: DiscordClient, b: DiscordClient): Promise<{ skew: number; a: ActivityProbe; b: ActivityProbe }> {
	const [first, second] = await Promise.all([probe(a), probe(b)]);
	if (first === undefined || second === undefined) throw new Error('An Activity has no state');
	return { skew: Math.abs(first.currentTime - second.currentTime), a: first, b: second };
}

const playingAt = (position: number, tolerance: number) => (state: ActivityProbe) =>
	!state.paused && state.readyState >= 2 && Math.abs(state.currentTime - position) <= tolerance;

/** The first message the bot sends on the room socket after a hello with this token. */
function socketFirstMessage(origin: string, token: string): Promise<{ type: string }> {
	return new Promise((done, fail) => {
		const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/v1/activity/socket`);
		const timer = setTimeout(() => fail(new Error('No message')), 10_000);
		socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token })));
		socket.on('message', (data: Buffer) => {
			clearTimeout(timer);
			socket.close();
			done(JSON.parse(data.toString('utf8')) as { type: string });
		});
		socket.on('error', fail);
	});
}

/** The bot's answer on the room socket to a hello with this token: the close code. */
function socketCloseCode(origin: string, token: string): Promise<number> {
	return new Promise((done, fail) => {
		const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/v1/activity/socket`);
		const timer = setTimeout(() => fail(new Error('The socket stayed open')), 10_000);
		socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token })));
		socket.on('close', (code) => {
			clearTimeout(timer);
			done(code);
		});
		socket.on('error', () => undefined);
	});
}

/**
 * Watching a Kaltura video together, in real Chromium: each member's Discord client is a host page speaking the
 * Embedded App SDK's postMessage protocol to the built Activity in its frame, the bot serves the Activity and its
 * room socket, and the Kaltura stand-in serves the video through its play manifest.
 */
describe('End to end: watching together in the Activity (Chromium)', function () {
	this.timeout(180_000);

	let scene: WatchTogetherScene;
	let instanceId: string;
	let alice: DiscordClient;
	let bob: DiscordClient;

	before(async function () {
		if (!chromiumInstalled()) {
			if (process.env.CI) throw new Error('Chromium is not installed (scripts/ci/checks.sh installs it)');
			this.skip();
		}
		mkdirSync(ARTIFACTS, { recursive: true });
		scene = await WatchTogetherScene.start();
		instanceId = scene.startInstance([scene.members.alice, scene.members.bob]);
		alice = await scene.open(instanceId, scene.members.alice);
		await waitForProbe(alice, (state) => state.connected, { timeoutMs: 20_000, what: "alice's Activity to join the room" });
		bob = await scene.open(instanceId, scene.members.bob);
		await waitForProbe(bob, (state) => state.connected, { timeoutMs: 20_000, what: "bob's Activity to join the room" });
	});

	/** Both members' screens in the same moment, kept for a person to compare (the timecode is drawn in the video). */
	const screenshots = (label: string) =>
		Promise.all([
			alice.page.screenshot({ path: join(ARTIFACTS, `alice-${label}.png`) }),
			bob.page.screenshot({ path: join(ARTIFACTS, `bob-${label}.png`) })
		]);

	after(async () => {
		if (scene) expect(await scene.stop()).to.equal(0);
	});

	it('GIVEN two members THEN the first to join controls the room and both are in it', async () => {
		const a = await waitForProbe(alice, (state) => state.room?.participants.length === 2, { what: 'two participants' });
		const b = await waitForProbe(bob, (state) => state.room?.participants.length === 2, { what: 'two participants' });
		expect(a.controls).to.equal(true);
		expect(b.controls).to.equal(false);
		expect(b.room?.controllerId).to.equal(scene.members.alice);
		expect([...(a.room?.participants ?? [])].sort()).to.deep.equal([scene.members.alice, scene.members.bob].sort());
		expect(await bob.frame.locator('#status').textContent()).to.match(/watching with 1 person · alice controls/);
		expect(alice.host.commands).to.include.members(['AUTHORIZE', 'AUTHENTICATE', 'GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS', 'SUBSCRIBE']);
		expect(alice.host.refusals).to.deep.equal([]);
		// The SDK reports a reply it cannot parse through console.error, which reaches Discord as CAPTURE_LOG.
		expect(alice.host.logs.filter((log) => log.level === 'error')).to.deep.equal([]);
	});

	it('GIVEN the controller loads and plays the video THEN the other is playing within 1 s at the same position', async () => {
		expect(await control(alice, 'load', { entryId: scene.entryId })).to.include({ ok: true });
		await waitForProbe(bob, (state) => state.room?.entryId === scene.entryId && state.readyState >= 1, { what: 'the video to load for bob' });
		await waitForProbe(alice, (state) => state.readyState >= 1, { what: 'the video to load for alice' });
		const pressed = Date.now();
		expect(await control(alice, 'play', { position: 0 })).to.include({ ok: true });
		await waitForProbe(bob, (state) => !state.paused && state.currentTime > 0, { timeoutMs: 1_000, what: 'bob to be playing within 1 s' });
		expect(Date.now() - pressed).to.be.below(1_000);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		const seen = await skew(alice, bob);
		expect(seen.a.paused || seen.b.paused, 'both playing').to.equal(false);
		expect(seen.b.currentTime).to.be.above(1);
		expect(seen.skew).to.be.below(0.5);
		await screenshots('playing');
	});

	it('GIVEN the controller seeks THEN the other follows to the same position', async () => {
		expect(await control(alice, 'seek', { position: 30 })).to.include({ ok: true });
		await waitForProbe(bob, playingAt(30.5, 1), { timeoutMs: 1_500, what: 'bob near 30 s' });
		await new Promise((resolve) => setTimeout(resolve, 500));
		const seen = await skew(alice, bob);
		expect(seen.b.currentTime).to.be.within(30, 33);
		expect(seen.skew).to.be.below(0.5);
		await screenshots('after-seek');
	});

	it('GIVEN the controller pauses THEN the other pauses at the same position', async () => {
		expect(await control(alice, 'pause', {})).to.include({ ok: true });
		const stopped = await waitForProbe(bob, (state) => state.paused, { timeoutMs: 1_000, what: 'bob paused' });
		const room = stopped.room;
		expect(room?.playing).to.equal(false);
		const a = await waitForProbe(alice, (state) => state.paused && Math.abs(state.currentTime - (room?.position ?? -1)) < 0.1, {
			what: 'alice at the room position'
		});
		const b = await waitForProbe(bob, (state) => Math.abs(state.currentTime - (room?.position ?? -1)) < 0.1, {
			what: 'bob at the room position'
		});
		expect(Math.abs(a.currentTime - b.currentTime)).to.be.below(0.2);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect((await probe(bob))?.currentTime).to.be.closeTo(b.currentTime, 0.05);
		expect(await control(alice, 'play', {})).to.include({ ok: true });
		await waitForProbe(bob, (state) => !state.paused, { timeoutMs: 1_000, what: 'bob playing again' });
	});

	it('GIVEN a member without control THEN they cannot move the room and see no controls', async () => {
		const before = await probe(alice);
		const refused = await control(bob, 'seek', { position: 5 });
		expect(refused).to.deep.equal({ ok: false, reason: 'not_controller' });
		expect(await control(bob, 'pause', {})).to.deep.equal({ ok: false, reason: 'not_controller' });
		await new Promise((resolve) => setTimeout(resolve, 500));
		const after = await probe(alice);
		expect(after?.room?.rev).to.equal(before?.room?.rev);
		expect(after?.paused).to.equal(false);
		expect(after?.currentTime).to.be.above(10);
		expect(await bob.frame.locator('#controls').isHidden()).to.equal(true);
		expect(await alice.frame.locator('#controls').isVisible()).to.equal(true);
	});

	it('GIVEN the controller uses the page buttons THEN the other follows', async () => {
		await alice.frame.locator('#pause').click();
		await waitForProbe(bob, (state) => state.paused, { timeoutMs: 1_000, what: 'bob paused by the Pause button' });
		await screenshots('paused');
		await alice.frame.locator('#play').click();
		await waitForProbe(bob, (state) => !state.paused, { timeoutMs: 1_000, what: 'bob playing after the Play button' });
		expect(await bob.frame.locator('#picker').isHidden()).to.equal(true);
		await alice.frame.locator('#search').fill('colour');
		await alice.frame.locator('#search-form button[type=submit]').click();
		const result = alice.frame.locator('#results button');
		await result.first().waitFor({ timeout: 5_000 });
		expect(await result.allTextContents()).to.deep.equal(['Sixty seconds of colour bars (1:00)']);
		const rev = (await probe(bob))?.room?.rev ?? Number.POSITIVE_INFINITY;
		await result.first().click();
		const loaded = await waitForProbe(bob, (state) => (state.room?.rev ?? 0) > rev, { timeoutMs: 2_000, what: 'the picked entry loaded' });
		expect(loaded.room?.entryId).to.equal(scene.entryId);
		if (!loaded.room?.playing) expect(await control(alice, 'play', { position: 15 })).to.include({ ok: true });
		else expect(await control(alice, 'seek', { position: 15 })).to.include({ ok: true });
		await waitForProbe(bob, playingAt(15.5, 1), { timeoutMs: 2_000, what: 'bob playing at 15 s' });
	});

	it('GIVEN a member joins late THEN their video starts at the room position', async () => {
		const carol = await scene.join(instanceId, scene.members.carol);
		const joined = Date.now();
		await waitForProbe(carol, (state) => state.connected && !state.paused && state.readyState >= 2, { timeoutMs: 15_000, what: 'carol playing' });
		const startedIn = Date.now() - joined;
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const seen = await skew(alice, carol);
		expect(seen.skew, `skew after a late join (started in ${startedIn} ms)`).to.be.below(0.5);
		expect(seen.b.currentTime).to.be.above(10);
		await waitForProbe(alice, (state) => state.room?.participants.length === 3, { what: 'three participants' });
		await carol.page.screenshot({ path: join(ARTIFACTS, 'carol-late-join.png') });
	});

	it('GIVEN a member reloads the Activity THEN they rejoin the room where it is', async () => {
		const rejoined = async () => {
			const back = await waitForProbe(bob, (state) => state.connected && !state.paused && state.readyState >= 2, {
				timeoutMs: 15_000,
				what: 'bob back'
			});
			expect(back.room?.entryId).to.equal(scene.entryId);
			expect(back.controls).to.equal(false);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect((await skew(alice, bob)).skew).to.be.below(0.5);
		};
		// The page inside the frame reloads (same frame id: the SDK handshakes again with the same Discord client).
		const authorizations = () => bob.host.commands.filter((command) => command === 'AUTHORIZE').length;
		const before = authorizations();
		await bob.frame.evaluate(() => (globalThis as unknown as { location: { reload(): void } }).location.reload());
		for (let waited = 0; authorizations() === before && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
		expect(authorizations(), 'the reloaded page signed in again').to.equal(before + 1);
		await rejoined();
		// The member closes and reopens the Activity: a new frame.
		await bob.load();
		await rejoined();
	});

	it('GIVEN the controller hands control over THEN the other member controls the room', async () => {
		expect(await control(alice, 'handoff', { to: scene.members.bob })).to.include({ ok: true });
		await waitForProbe(bob, (state) => state.controls, { timeoutMs: 2_000, what: 'bob controlling' });
		expect(await control(alice, 'seek', { position: 1 })).to.deep.equal({ ok: false, reason: 'not_controller' });
		expect(await control(bob, 'seek', { position: 10 })).to.include({ ok: true });
		await waitForProbe(alice, playingAt(10.5, 1), { timeoutMs: 1_500, what: 'alice following bob' });
		expect(await alice.frame.locator('#controls').isHidden()).to.equal(true);
	});

	it('GIVEN a page on another origin framing the Activity THEN the member is never signed in through it', async () => {
		// localhost and 127.0.0.1 are different origins for the same bot. The bot's frame-ancestors policy keeps the
		// Activity out of such a frame, and the SDK would ignore its messages anyway: either way no AUTHORIZE.
		const elsewhere = await scene.join(instanceId, scene.members.dave, scene.origin.replace('127.0.0.1', 'localhost'));
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(elsewhere.host.commands).to.deep.equal([]);
		expect(await probe(elsewhere)).to.equal(undefined);
		scene.discord.activities.leave(instanceId, scene.members.dave);
	});

	describe('tokens', () => {
		const signIn = async (userId: string) => {
			const code = scene.discord.activities.issueOAuthCode(userId, ['identify', 'guilds.members.read']);
			const response = await fetch(`${scene.origin}/api/v1/activity/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ code, instanceId })
			});
			expect(response.status).to.equal(200);
			return ((await response.json()) as { sessionToken: string }).sessionToken;
		};
		/** The same claims, signed the same way, but expired a minute ago. */
		const expire = (token: string) => {
			const claims = jwt.decode(token) as jwt.JwtPayload;
			return jwt.sign({ ...claims, iat: Math.floor(Date.now() / 1000) - 1_000, exp: Math.floor(Date.now() / 1000) - 60 }, SCENE_JWT_SECRET, {
				algorithm: 'HS256'
			});
		};
		const tamper = (token: string) => `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;

		it('GIVEN a code Discord never issued THEN the token route refuses it', async () => {
			const response = await fetch(`${scene.origin}/api/v1/activity/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ code: 'not-a-code-discord-issued', instanceId })
			});
			expect(response.status).to.equal(400);
			expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('invalid_code');
		});

		it('GIVEN a member who is not in the instance THEN the token route refuses them', async () => {
			const code = scene.discord.activities.issueOAuthCode(scene.members.dave, ['identify', 'guilds.members.read']);
			const response = await fetch(`${scene.origin}/api/v1/activity/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ code, instanceId })
			});
			expect(response.status).to.equal(403);
			expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('not_in_instance');
		});

		it('GIVEN a valid session THEN the socket welcomes it, and refuses it tampered or expired (4001)', async () => {
			const token = await signIn(scene.members.alice);
			const playback = await fetch(`${scene.origin}/api/v1/activity/playback?entryId=${scene.entryId}`, {
				headers: { authorization: `Bearer ${token}` }
			});
			expect(playback.status).to.equal(200);
			expect((await socketFirstMessage(scene.origin, token)).type).to.equal('welcome');
			for (const bad of [tamper(token), expire(token)]) {
				const refused = await fetch(`${scene.origin}/api/v1/activity/playback?entryId=${scene.entryId}`, {
					headers: { authorization: `Bearer ${bad}` }
				});
				expect(refused.status).to.equal(401);
				expect(await socketCloseCode(scene.origin, bad)).to.equal(4001);
			}
		});
	});
});
