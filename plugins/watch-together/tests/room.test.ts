import { expect } from 'chai';
import { parseKs } from '../../../tests/harness/kaltura/ks.js';
import { TEST_SECRETS } from '../../../tests/helpers/test-bot.js';
import type { ActivitySocket, RoomShape } from './activity-client.js';
import { ActivityFixture } from './activity-fixture.js';

/** A room of one Activity instance: who controls it, what everyone sees, and the playback each member gets. */
describe('watch-together: the room', function () {
	this.timeout(60_000);
	let fixture: ActivityFixture;
	let instanceId: string;
	let alice: ActivitySocket;
	let bob: ActivitySocket;
	const open: ActivitySocket[] = [];

	const join = async (userId: string) => {
		const joined = await fixture.join(userId, instanceId);
		open.push(joined.socket);
		return joined;
	};
	const control = (socket: ActivitySocket, id: number, message: Record<string, unknown>) => socket.send({ type: 'control', id, ...message });
	const roomOf = (welcome: Record<string, unknown>) => welcome.room as RoomShape;

	before(async () => {
		fixture = await ActivityFixture.start();
		const { members } = fixture;
		instanceId = fixture.discord.activities.startActivity({
			guildId: fixture.guildId,
			channelId: fixture.voiceChannelId,
			userIds: [members.alice, members.bob, members.carol, members.mod]
		}).instanceId;
		// No /watch stored a launch: the first member to say hello controls the room, which has no video yet.
		const first = await join(members.alice);
		expect(roomOf(first.welcome)).to.include({ controllerId: members.alice, entryId: null, playing: false });
		alice = first.socket;
		bob = (await join(members.bob)).socket;
		await alice.state((room) => room.participants.includes(members.bob));
	});
	after(async () => {
		for (const socket of open) socket.close();
		await fixture?.stop();
	});

	it('GIVEN the controller loads and plays a video THEN every participant gets the state', async () => {
		control(alice, 1, { action: 'load', entryId: fixture.openEntryId });
		await bob.state((room) => room.entryId === fixture.openEntryId);
		control(alice, 2, { action: 'play', position: 10 });
		const seen = await bob.state((room) => room.playing);
		expect(seen).to.include({ entryId: fixture.openEntryId, position: 10, controllerId: fixture.members.alice });
	});

	it('ATTACK: a participant who does not control sends controls THEN refused not_controller and the room is unchanged', async () => {
		const before = (await alice.state((room) => room.playing)).rev;
		const from = alice.messages.length;
		for (const [id, message] of [
			[11, { action: 'pause' }],
			[12, { action: 'seek', position: 99 }],
			[13, { action: 'load', entryId: fixture.openEntryId }],
			[14, { action: 'handoff', to: fixture.members.bob }]
		] as const) {
			control(bob, id, message);
			expect(await bob.refusal(id)).to.deep.include({ reason: 'not_controller' });
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(alice.messages.slice(from).filter((message) => message.type === 'state')).to.deep.equal([]);
		control(alice, 15, { action: 'seek', position: 20 });
		expect((await alice.state((room) => room.position === 20, from)).rev).to.equal(before + 1);
	});

	it('GIVEN a member who joins late THEN the welcome carries where the video is now', async () => {
		await new Promise((resolve) => setTimeout(resolve, 500));
		const { welcome } = await join(fixture.members.carol);
		const room = roomOf(welcome);
		expect(room.playing).to.equal(true);
		const expected = room.position + (Number(welcome.serverNow) - room.at) / 1000;
		expect(expected).to.be.greaterThan(20.4).and.lessThan(25);
		expect(welcome.you).to.deep.equal({ id: fixture.members.carol, controls: false });
	});

	it('GIVEN the controller hands off to a participant THEN the new controller controls and the old one is refused', async () => {
		control(alice, 21, { action: 'handoff', to: fixture.members.bob });
		await alice.state((room) => room.controllerId === fixture.members.bob);
		control(bob, 22, { action: 'pause', position: 30 });
		await alice.state((room) => !room.playing && room.position === 30);
		control(alice, 23, { action: 'play' });
		expect(await alice.refusal(23)).to.deep.include({ reason: 'not_controller' });
		// A handoff to someone not in the room is refused.
		control(bob, 24, { action: 'handoff', to: fixture.members.stranger });
		expect(await bob.refusal(24)).to.deep.include({ reason: 'not_participant' });
	});

	it('GIVEN a member mapped to the Kaltura moderator role THEN they may control, and lose it when moderatorsControl is off', async () => {
		const { socket: mod, welcome } = await join(fixture.members.mod);
		expect(welcome.you).to.deep.equal({ id: fixture.members.mod, controls: true });
		control(mod, 31, { action: 'seek', position: 42 });
		await alice.state((room) => room.position === 42);
		await fixture.bot!.guildConfig.set(fixture.guildId, 'watch-together.moderatorsControl', false);
		const { socket: again, welcome: second } = await join(fixture.members.mod);
		expect(second.you).to.deep.equal({ id: fixture.members.mod, controls: false });
		control(again, 32, { action: 'seek', position: 43 });
		expect(await again.refusal(32)).to.deep.include({ reason: 'not_controller' });
		await fixture.bot!.guildConfig.set(fixture.guildId, 'watch-together.moderatorsControl', true);
	});

	it('GIVEN a participant reconnects (a reload) THEN the new socket is welcomed with the current room', async () => {
		const current = await alice.state((room) => room.position === 42);
		bob.close();
		const { socket, welcome } = await join(fixture.members.bob);
		bob = socket;
		const room = roomOf(welcome);
		expect(room).to.include({ entryId: current.entryId, controllerId: fixture.members.bob, position: 42 });
		expect(room.participants).to.include(fixture.members.bob);
		expect(welcome.you).to.deep.equal({ id: fixture.members.bob, controls: true });
	});

	it('GIVEN the controller loads a video their own Kaltura session may not see THEN refused not_entitled, nothing changes', async () => {
		const from = alice.messages.length;
		control(bob, 41, { action: 'load', entryId: fixture.secretEntryId });
		expect(await bob.refusal(41)).to.deep.include({ reason: 'not_entitled' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(alice.messages.slice(from).filter((message) => message.type === 'state')).to.deep.equal([]);
	});

	it('GIVEN an entitled member asks for playback THEN a USER KS limited to that entry; GIVEN a member who may not see it THEN 403 not_entitled', async () => {
		const aliceToken = await fixture.sessionToken(fixture.members.alice, instanceId);
		const response = await fixture.get(`/activity/playback?entryId=${fixture.secretEntryId}`, aliceToken);
		expect(response.status).to.equal(200);
		const playback = (await response.json()) as {
			entryId: string;
			name: string;
			duration: number;
			ks: string;
			partnerId: number;
			playManifestUrl: string;
		};
		expect(playback).to.include({ entryId: fixture.secretEntryId, name: 'Secret film', duration: 300, partnerId: 8181 });
		const ks = parseKs(playback.ks, TEST_SECRETS.KALTURA_ADMIN_SECRET);
		expect(ks.type).to.equal(0);
		expect(ks.userId).to.equal(`discord_${fixture.members.alice}`);
		expect(ks.privileges.sview).to.equal(fixture.secretEntryId);
		expect(ks.privileges).to.have.property('enableentitlement');
		expect(ks.expiry - Math.floor(Date.now() / 1000)).to.be.within(3590, 3610);
		expect(playback.playManifestUrl).to.equal(
			`${fixture.kaltura.serviceUrl.replace(/\/+$/, '')}/p/8181/sp/818100/playManifest/entryId/${fixture.secretEntryId}/format/url/protocol/http/ks/${playback.ks}/a.mp4`
		);
		const bobToken = await fixture.sessionToken(fixture.members.bob, instanceId);
		const refused = await fixture.get(`/activity/playback?entryId=${fixture.secretEntryId}`, bobToken);
		expect(refused.status).to.equal(403);
		const body = (await refused.json()) as { error: { code: string; message: string } };
		expect(body.error.code).to.equal('not_entitled');
		expect(JSON.stringify(body)).to.not.contain('Secret film');
	});

	it('GIVEN the videos route THEN the catalogue /video search sees, in the contract’s shape', async () => {
		const token = await fixture.sessionToken(fixture.members.carol, instanceId);
		const response = await fixture.get('/activity/videos?q=film', token);
		const { videos } = (await response.json()) as { videos: { entryId: string; name: string; duration: number }[] };
		expect(videos.find((video) => video.entryId === fixture.openEntryId)).to.deep.include({ name: 'Open film', duration: 600 });
	});
});
