import { expect } from 'chai';
import { REST } from 'discord.js';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import { DiscordStandIn } from '../../harness/discord/index.js';

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

	const create = async (channel: string, body: Record<string, unknown>) => (await rest.post(Routes.channelMessages(channel), { body })) as APIMessage;

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

	it('GIVEN the same enforced nonce in another channel THEN it is posted there', async () => {
		const first = await create(channelId, { content: 'here', nonce: 'kdn-3', enforce_nonce: true });
		const second = await create(otherChannelId, { content: 'there', nonce: 'kdn-3', enforce_nonce: true });
		expect(second.id).to.not.equal(first.id);
		expect(discord.channelMessages(otherChannelId)).to.have.length(1);
	});
});
