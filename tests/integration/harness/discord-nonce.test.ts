import { expect } from 'chai';
import { DiscordAPIError, REST } from 'discord.js';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import { DEFAULT_ENFORCED_NONCE_WINDOW_MS, DiscordStandIn } from '../../harness/discord/index.js';

describe('Discord stand-in: message nonces', function () {
	this.timeout(10_000);

	let discord: DiscordStandIn;
	let rest: REST;
	let channelId: string;
	let otherChannelId: string;

	beforeEach(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Nonces' });
		channelId = guild.systemChannelId!;
		otherChannelId = discord.addChannel(guild.id, { name: 'other' }).id;
		rest = new REST({ api: discord.clientOptions().rest.api }).setToken(discord.token);
	});

	afterEach(async () => {
		await discord.stop();
	});

	const create = async (channel: string, body: Record<string, unknown>) =>
		(await rest.post(Routes.channelMessages(channel), { body })) as APIMessage;

	it('GIVEN enforce_nonce and the same nonce twice in a channel THEN the second create returns the original message and posts nothing', async () => {
		const first = await create(channelId, { content: 'once', nonce: 'kdn-1', enforce_nonce: true });
		const second = await create(channelId, { content: 'once again', nonce: 'kdn-1', enforce_nonce: true });
		expect(second.id).to.equal(first.id);
		expect(second.content).to.equal('once');
		expect(discord.channelMessages(channelId).map((message) => message.content)).to.deep.equal(['once']);
	});

	it('GIVEN the same nonce without enforce_nonce THEN both are posted', async () => {
		await create(channelId, { content: 'a', nonce: 'kdn-2' });
		await create(channelId, { content: 'b', nonce: 'kdn-2' });
		expect(discord.channelMessages(channelId).map((message) => message.content)).to.deep.equal(['a', 'b']);
	});

	it('GIVEN the same enforced nonce in another channel THEN the earlier message is returned: Discord dedupes per author, not per channel', async () => {
		const first = await create(channelId, { content: 'here', nonce: 'kdn-3', enforce_nonce: true });
		const second = await create(otherChannelId, { content: 'there', nonce: 'kdn-3', enforce_nonce: true });
		expect(second.id).to.equal(first.id);
		expect(second.channel_id).to.equal(channelId);
		expect(discord.channelMessages(otherChannelId)).to.have.length(0);
	});

	it('GIVEN no window is set THEN nonces count for 2 minutes, the low end of Discord’s "a few minutes"', () => {
		expect(DEFAULT_ENFORCED_NONCE_WINDOW_MS).to.equal(2 * 60_000);
		expect(discord.timing.enforcedNonceWindowMs).to.equal(2 * 60_000);
	});

	it('GIVEN a resend inside the window THEN it is deduped; after the window THEN it posts a second time', async () => {
		const first = await create(channelId, { content: 'delivery', nonce: 'kdn-4', enforce_nonce: true });
		discord.clock.advance(2 * 60_000 - 1_000);
		const inside = await create(channelId, { content: 'delivery', nonce: 'kdn-4', enforce_nonce: true });
		expect(inside.id).to.equal(first.id);
		discord.clock.advance(1_001);
		const after = await create(channelId, { content: 'delivery', nonce: 'kdn-4', enforce_nonce: true });
		expect(after.id).to.not.equal(first.id);
		expect(discord.channelMessages(channelId).map((message) => message.content)).to.deep.equal(['delivery', 'delivery']);
	});

	it('GIVEN a shorter window set at start or while running THEN a resend after it posts again in real time', async () => {
		await discord.stop();
		discord = await DiscordStandIn.start({ enforcedNonceWindowMs: 100 });
		const guild = discord.addGuild({ name: 'Short nonces' });
		channelId = guild.systemChannelId!;
		rest = new REST({ api: discord.clientOptions().rest.api }).setToken(discord.token);
		await create(channelId, { content: 'one', nonce: 'kdn-5', enforce_nonce: true });
		await new Promise((resolve) => setTimeout(resolve, 150));
		await create(channelId, { content: 'two', nonce: 'kdn-5', enforce_nonce: true });
		expect(discord.channelMessages(channelId).map((message) => message.content)).to.deep.equal(['one', 'two']);

		discord.timing.enforcedNonceWindowMs = 60_000;
		await create(channelId, { content: 'three', nonce: 'kdn-5', enforce_nonce: true });
		expect(discord.channelMessages(channelId).map((message) => message.content)).to.deep.equal(['one', 'two']);
	});

	it('GIVEN the earlier message was deleted inside the window WHEN resent with its nonce THEN Discord answers 10008 and posts nothing', async () => {
		const first = await create(channelId, { content: 'gone soon', nonce: 'kdn-6', enforce_nonce: true });
		await rest.delete(Routes.channelMessage(channelId, first.id));
		const error = await create(channelId, { content: 'gone soon', nonce: 'kdn-6', enforce_nonce: true }).then(
			() => undefined,
			(caught: unknown) => caught
		);
		expect(error).to.be.instanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).code).to.equal(10008);
		expect(discord.channelMessages(channelId)).to.have.length(0);
	});
});
