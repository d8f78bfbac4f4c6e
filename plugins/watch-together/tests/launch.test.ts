import { expect } from 'chai';
import { ComponentType, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { ActivityFixture } from './activity-fixture.js';

/** `/watch` and the Watch together button: Discord's LAUNCH_ACTIVITY, and the room opening with the entry and the launcher in control. */
describe('watch-together: launching the Activity', function () {
	this.timeout(60_000);
	let fixture: ActivityFixture;

	before(async () => {
		fixture = await ActivityFixture.start();
	});
	after(async () => {
		await fixture?.stop();
	});

	const watch = (memberId: string, entry: string, channelId: string, options: Record<string, string> = {}) =>
		fixture.discord.runSlashCommand({ guildId: fixture.guildId, channelId, memberId, name: 'watch', options: { entry, ...options } });
	const instanceOfLauncher = (userId: string) =>
		[...fixture.discord.activities.instances.values()].find((instance) => instance.userIds.has(userId));

	it('GIVEN /watch in a voice channel THEN the bot answers LAUNCH_ACTIVITY (type 12, with_response) AND the room opens with the entry and the launcher in control', async () => {
		const handle = watch(fixture.members.alice, fixture.openEntryId, fixture.voiceChannelId);
		const callback = await handle.waitForCallback(10_000);
		expect(callback.type).to.equal(InteractionResponseType.LaunchActivity);
		expect(callback.withResponse).to.equal(true);
		const instance = instanceOfLauncher(fixture.members.alice);
		expect(instance?.channelId).to.equal(fixture.voiceChannelId);
		// The launch is stored after Discord's answer: the first hello may come a moment later.
		await new Promise((resolve) => setTimeout(resolve, 200));
		const { socket, welcome } = await fixture.join(fixture.members.alice, instance!.instanceId);
		const room = welcome.room as { entryId: string; controllerId: string; participants: string[] };
		expect(room.entryId).to.equal(fixture.openEntryId);
		expect(room.controllerId).to.equal(fixture.members.alice);
		expect(room.participants).to.deep.equal([fixture.members.alice]);
		expect(welcome.you).to.deep.equal({ id: fixture.members.alice, controls: true });
		socket.close();
	});

	it('GIVEN /watch of an entry the member’s Kaltura session may not see THEN a private refusal and no launch', async () => {
		const before = fixture.discord.activities.instances.size;
		const reply = await watch(fixture.members.bob, fixture.secretEntryId, fixture.voiceChannelId).waitForReply(10_000);
		expect(reply.content).to.equal('You cannot watch that video: it does not exist, or your Kaltura account may not see it.');
		expect((reply.flags ?? 0) & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
		expect(fixture.discord.activities.instances.size).to.equal(before);
	});

	it('GIVEN /watch in a text channel without channel: THEN a private answer naming the voice channel rule', async () => {
		const reply = await watch(fixture.members.carol, fixture.openEntryId, fixture.textChannelId).waitForReply(10_000);
		expect(reply.content).to.match(/^Watch together runs in a voice channel/);
	});

	it('GIVEN an application without Activities enabled THEN the launch refusal is answered privately with how to enable them', async () => {
		fixture.discord.activities.enabled = false;
		try {
			const reply = await watch(fixture.members.carol, fixture.openEntryId, fixture.voiceChannelId).waitForReply(10_000);
			expect(reply.content).to.contain('does not have Activities turned on');
			expect(reply.content).to.contain('**Activities**');
			expect((reply.flags ?? 0) & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
		} finally {
			fixture.discord.activities.enabled = true;
		}
	});

	it('GIVEN the Watch together button of a video pressed in a voice channel THEN it launches as /watch does, for the presser', async () => {
		const message = fixture.discord.addMessage({
			channelId: fixture.voiceChannelId,
			authorId: fixture.discord.botUser.id,
			content: 'results',
			components: [
				{
					type: ComponentType.ActionRow,
					components: [
						{ type: ComponentType.Button, style: 1, label: 'Watch together', custom_id: `watch-together:launch:${fixture.openEntryId}` }
					]
				}
			]
		});
		const handle = fixture.discord.pressButton({
			messageId: message.id,
			customId: `watch-together:launch:${fixture.openEntryId}`,
			memberId: fixture.members.carol
		});
		expect((await handle.waitForCallback(10_000)).type).to.equal(InteractionResponseType.LaunchActivity);
	});

	it('GIVEN autocomplete on entry THEN it lists the catalogue /video search sees, by entry id', async () => {
		const handle = fixture.discord.autocomplete({
			guildId: fixture.guildId,
			memberId: fixture.members.bob,
			name: 'watch',
			focused: 'entry',
			options: { entry: 'film' }
		});
		const callback = await handle.waitForCallback(10_000);
		const choices = (callback.data as { choices: { name: string; value: string }[] }).choices;
		expect(choices.map((choice) => choice.value)).to.include(fixture.openEntryId);
		expect(choices.find((choice) => choice.value === fixture.openEntryId)?.name).to.equal('Open film');
	});
});
