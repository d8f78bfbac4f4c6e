import { expect } from 'chai';
import { Client, GatewayIntentBits, Routes } from 'discord.js';
import { DiscordTokenHealth } from '../../../src/core/discord/token-health.js';
import { DiscordStandIn, loginClient } from '../../harness/discord/index.js';
import { discordRejectionOf, rejectionOf } from '../../helpers/rejection-of.js';

describe('Discord stand-in: a reset bot token, and embed limits', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client | undefined;

	beforeEach(async () => {
		discord = await DiscordStandIn.start();
	});

	afterEach(async () => {
		await client?.destroy();
		client = undefined;
		await discord.stop();
	});

	const connect = async (): Promise<Client> => {
		client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		await loginClient(client, discord);
		return client;
	};

	it('GIVEN the token reset mid-session THEN REST answers 401 as Discord does, discord.js drops the token, the watch notes it once, and the new token works', async () => {
		const guild = discord.addGuild({ name: 'Token' });
		const bot = await connect();
		const errors: string[] = [];
		const health = new DiscordTokenHealth({ error: (message) => errors.push(message) }).watch(bot);
		const oldToken = discord.token;
		const post = () => bot.rest.post(Routes.channelMessages(guild.systemChannelId!), { body: { content: 'hi' } });
		await post();

		const newToken = discord.resetToken();
		expect(newToken).to.not.equal(oldToken);
		const refused = await discordRejectionOf(post());
		expect(refused.status).to.equal(401);
		expect(refused.code).to.equal(0);
		expect(refused.rawError).to.deep.equal({ message: '401: Unauthorized', code: 0 });
		// @discordjs/rest dropped the token: later calls fail before reaching Discord.
		const before = discord.requests.length;
		expect(String((await rejectionOf(post())).message)).to.include('Expected token to be set');
		expect(discord.requests.length).to.equal(before);
		expect(health.refused).to.equal(true);
		expect(errors).to.have.length(1);

		const raw = await fetch(`${discord.restUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${oldToken}` } });
		expect(raw.status).to.equal(401);
		expect(await raw.json()).to.deep.equal({ message: '401: Unauthorized', code: 0 });
		const good = await fetch(`${discord.restUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${newToken}` } });
		expect(good.status).to.equal(200);
	});

	it('GIVEN the old token used on the gateway after a reset THEN it is closed with 4004, discord.js gives up, and the watch notes it', async () => {
		discord.addGuild({ name: 'Gateway' });
		const bot = await connect();
		const errors: string[] = [];
		const health = new DiscordTokenHealth({ error: (message) => errors.push(message) }).watch(bot);
		bot.on('error', () => undefined);
		discord.resetToken();
		// The connection drops (4000: resumable); discord.js resumes with the token it has, which is no longer valid.
		discord.gateway.dropConnections({ code: 4000 });
		await discord.waitFor(() => discord.gateway.closes.find((close) => close.code === 4004), 'the RESUME to be refused with 4004');
		await discord.waitFor(() => (health.refused ? true : undefined), 'the watch to note the refusal');
		expect(errors).to.have.length(1);
		expect(discord.gateway.identifies, 'no new IDENTIFY after 4004').to.equal(1);
	});

	it('GIVEN embeds over Discord’s limits THEN 50035 names each field’s path, and the 6000 total is MAX_EMBED_SIZE_EXCEEDED', async () => {
		const guild = discord.addGuild({ name: 'Limits' });
		const bot = await connect();
		const send = (body: Record<string, unknown>) => bot.rest.post(Routes.channelMessages(guild.systemChannelId!), { body });
		const tooLong = await discordRejectionOf(
			send({
				embeds: [
					{
						title: 't',
						fields: [{ name: 'n'.repeat(257), value: 'v'.repeat(1025) }],
						footer: { text: 'f'.repeat(2049) },
						author: { name: 'a'.repeat(257) }
					}
				],
				components: [{ type: 1, components: [{ type: 2, style: 5, label: 'l'.repeat(81), url: 'https://example.com' }] }]
			})
		);
		expect(tooLong.code).to.equal(50_035);
		const errors = (tooLong.rawError as { errors: Record<string, unknown> }).errors;
		const at = (path: string) =>
			path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], errors) as
				{ _errors: { code: string }[] } | undefined;
		for (const path of [
			'embeds.0.fields.0.name',
			'embeds.0.fields.0.value',
			'embeds.0.footer.text',
			'embeds.0.author.name',
			'components.0.components.0.label'
		]) {
			expect(at(path)?._errors[0]?.code, path).to.equal('BASE_TYPE_MAX_LENGTH');
		}
		// Each within its own limit, 6,001 together.
		const total = await discordRejectionOf(send({ embeds: [{ description: 'd'.repeat(4096) }, { description: 'e'.repeat(1905) }] }));
		expect((total.rawError as { errors: unknown }).errors).to.deep.equal({
			embeds: { 1: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] } }
		});
		// Characters, not UTF-16 units: 256 emoji are a valid title.
		await send({ embeds: [{ title: '😀'.repeat(256) }] });
	});
});
