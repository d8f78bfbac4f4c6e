import { expect } from 'chai';
import type { ActivitySocket } from './activity-client.js';
import { ActivityFixture } from './activity-fixture.js';

/** KalturaEntryModerationStatus PENDING_MODERATION. */
const PENDING_MODERATION = 1;

/** What a member's playback may reach, and who keeps control of a room. */
describe('watch-together: playback and control guards', function () {
	this.timeout(60_000);
	let fixture: ActivityFixture;
	let instanceId: string;
	let heldEntryId: string;
	const open: ActivitySocket[] = [];

	before(async () => {
		fixture = await ActivityFixture.start();
		instanceId = fixture.discord.activities.startActivity({
			guildId: fixture.guildId,
			channelId: fixture.voiceChannelId,
			userIds: [fixture.members.alice, fixture.members.bob]
		}).instanceId;
		heldEntryId = String(
			fixture.kaltura.state.addEntry({ name: 'Held film', duration: 60, userId: 'studio', moderationStatus: PENDING_MODERATION }).id
		);
	});
	after(async () => {
		for (const socket of open) socket.close();
		await fixture?.stop();
	});

	it('ATTACK: the playback KS is used to list the partner’s media THEN Kaltura refuses it, and it still plays its entry', async () => {
		const token = await fixture.sessionToken(fixture.members.alice, instanceId);
		const response = await fixture.get(`/activity/playback?entryId=${fixture.openEntryId}`, token);
		expect(response.status).to.equal(200);
		const { ks, playManifestUrl } = (await response.json()) as { ks: string; playManifestUrl: string };
		const listed = await fetch(`${fixture.kaltura.serviceUrl}/api_v3/service/media/action/list`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ ks, format: '1', 'filter:objectType': 'KalturaMediaEntryFilter' })
		});
		const answer = (await listed.json()) as { objectType?: string; code?: string; objects?: unknown[] };
		expect(answer.objects, JSON.stringify(answer)).to.equal(undefined);
		expect(answer).to.include({ objectType: 'KalturaAPIException', code: 'SERVICE_FORBIDDEN' });
		const manifest = await fetch(playManifestUrl, { redirect: 'manual' });
		expect(manifest.status).to.be.oneOf([200, 302]);
	});

	it('ATTACK: playback and load of an entry held by moderation THEN 403 not_entitled and refused', async () => {
		const token = await fixture.sessionToken(fixture.members.alice, instanceId);
		const response = await fixture.get(`/activity/playback?entryId=${heldEntryId}`, token);
		expect(response.status).to.equal(403);
		expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('not_entitled');
		const { socket, welcome } = await fixture.join(fixture.members.alice, instanceId);
		open.push(socket);
		expect(welcome.you).to.include({ controls: true });
		socket.send({ type: 'control', id: 1, action: 'load', entryId: heldEntryId });
		expect(await socket.refusal(1)).to.deep.include({ reason: 'not_entitled' });
	});

	it('ATTACK: the controller is taken out of the voice channel and keeps sending controls THEN the socket closes 4003', async () => {
		const { socket } = await fixture.join(fixture.members.alice, instanceId);
		open.push(socket);
		socket.send({ type: 'control', id: 2, action: 'load', entryId: fixture.openEntryId });
		await socket.state((room) => room.entryId === fixture.openEntryId);
		fixture.discord.activities.leave(instanceId, fixture.members.alice);
		// Past every cache of who is in the instance (a few seconds).
		await new Promise((resolve) => setTimeout(resolve, 5_500));
		socket.send({ type: 'control', id: 3, action: 'play', position: 5 });
		expect((await socket.closedWithin()).code).to.equal(4003);
	});
});
