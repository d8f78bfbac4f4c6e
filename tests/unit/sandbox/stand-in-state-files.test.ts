import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { loadDiscordState, saveDiscordState } from '../../harness/discord/state-file.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { loadKalturaState, saveKalturaState } from '../../harness/kaltura/state-file.js';

describe('stand-in state saved and loaded', () => {
	const directory = mkdtempSync(join(tmpdir(), 'stand-in-state-'));

	it('GIVEN a guild saved by one Discord stand-in THEN a new one of the same application has its channels, roles, members and permissions', async () => {
		const first = await DiscordStandIn.start({ applicationId: '1100000000000000002' });
		const guild = first.addGuild({ name: 'Saved' });
		const channel = first.addChannel(guild.id, { name: 'news' });
		const role = first.addRole(guild.id, { name: 'Admins', permissions: 32n });
		const member = first.addMember(guild.id, { user: { username: 'ada' }, roles: [role.id] });
		first.addMessage({ channelId: channel.id, authorId: member.user!.id, content: 'hello' });
		saveDiscordState(first.state, join(directory, 'discord.json'));
		await first.stop();

		const second = await DiscordStandIn.start({ applicationId: '1100000000000000002' });
		try {
			loadDiscordState(second.state, join(directory, 'discord.json'));
			expect(second.state.guilds.get(guild.id)?.roles.get(role.id)?.name).to.equal('Admins');
			expect(second.state.guilds.get(guild.id)?.channelIds.has(channel.id)).to.equal(true);
			expect(second.channelMessages(channel.id).map((message) => message.content)).to.deep.equal(['hello']);
			expect(second.state.channelPermissions(guild.id, member.user!.id, channel.id) & 32n).to.equal(32n);
			// New ids go on after the loaded ones.
			expect(BigInt(second.addChannel(guild.id, { name: 'later' }).id) > BigInt(channel.id)).to.equal(true);
		} finally {
			await second.stop();
		}
	});

	it('GIVEN Kaltura objects saved THEN a new stand-in has them and numbers new schedule events and notification jobs after them', async () => {
		const first = await KalturaStandIn.start({ partnerId: 1000001, adminSecret: 'secret' });
		const entry = first.state.addEntry({ name: 'Kept' });
		const event = first.state.addScheduleEvent({ summary: 'Kept meeting', startDate: 1, endDate: 2 });
		const job = first.notifications.nextJobId();
		saveKalturaState(first.state, join(directory, 'kaltura.json'), first.notifications);
		await first.stop();

		const second = await KalturaStandIn.start({ partnerId: 1000001, adminSecret: 'secret' });
		try {
			loadKalturaState(second.state, join(directory, 'kaltura.json'), second.notifications);
			expect(second.state.entries.get(String(entry.id))?.name).to.equal('Kept');
			expect(second.state.scheduleEvents.get(event.id as number)?.summary).to.equal('Kept meeting');
			expect(second.state.addScheduleEvent({ summary: 'New', startDate: 1, endDate: 2 }).id).to.be.greaterThan(event.id as number);
			expect(second.notifications.nextJobId()).to.be.greaterThan(job);
		} finally {
			await second.stop();
		}
	});
});
