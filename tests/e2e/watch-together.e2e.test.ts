import { expect } from 'chai';
import { ChannelType, ComponentType, InteractionResponseType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIComponentInMessageActionRow, APIMessage } from 'discord-api-types/v10';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const JWT_SECRET = 'watch-together-e2e-jwt-secret-long-enough-for-hs256';

/** A participant's socket: every message kept; waits for the first that matches. */
async function openSocket(url: string) {
	const ws = new WebSocket(url);
	const messages: Record<string, unknown>[] = [];
	ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	const first = async (test: (message: Record<string, unknown>) => boolean) => {
		for (let waited = 0; waited < 10_000; waited += 50) {
			const found = messages.find(test);
			if (found !== undefined) return found;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error(`No matching message: ${JSON.stringify(messages)}`);
	};
	return { ws, messages, first, send: (message: unknown) => ws.send(JSON.stringify(message)) };
}

/**
 * Watch together through the bot process, as members meet it: `/watch` in a voice channel launches the Activity
 * (Discord's LAUNCH_ACTIVITY), the Activity signs its members in with Discord's OAuth2 code, and the room keeps
 * everyone on the launcher's video; `/video search` offers a Watch together button where the plugin is on.
 */
describe('End to end: watch together', function () {
	this.timeout(90_000);
	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let guildId: string;
	let voiceId: string;
	let ids: { admin: string; alice: string; bob: string };
	let entryId: string;

	const signIn = async (userId: string, instanceId: string) => {
		const response = await fetch(`${bot.apiUrl}/activity/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ code: discord.activities.issueOAuthCode(userId), instanceId })
		});
		expect(response.status).to.equal(200);
		return ((await response.json()) as { sessionToken: string }).sessionToken;
	};
	const buttonsOf = (message: APIMessage): APIButtonComponentWithCustomId[] =>
		(message.components ?? [])
			.flatMap((row) => (row as APIActionRowComponent<APIComponentInMessageActionRow>).components)
			.filter((component): component is APIButtonComponentWithCustomId => component.type === ComponentType.Button && 'custom_id' in component);

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Film night' });
		guildId = guild.id;
		voiceId = discord.addChannel(guildId, { name: 'Cinema', type: ChannelType.GuildVoice }).id;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 2 });
		ids = {
			admin: discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id,
			alice: discord.addMember(guildId, { user: { username: 'alice' } }).user!.id,
			bob: discord.addMember(guildId, { user: { username: 'bob' } }).user!.id
		};
		kaltura = await KalturaStandIn.start({ partnerId: 7171, adminSecret: 'watch-together-e2e-admin-secret' });
		entryId = String(kaltura.state.addEntry({ name: 'Night film', duration: 900, userId: 'studio' }).id);
		bot = await BotProcess.start({
			env: {
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET,
				DISCORD_CLIENT_ID: discord.applicationId,
				DISCORD_CLIENT_SECRET: discord.activities.clientSecret,
				DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-bot-watch-together-'))
			}
		});
		for (const plugin of ['videos', 'watch-together']) {
			const enabled = await discord
				.runSlashCommand({ guildId, memberId: ids.admin, name: 'plugins', subcommand: 'enable', options: { plugin } })
				.waitForReply(15_000);
			expect(enabled.content).to.equal(`The **${plugin}** plugin is now on in this server.`);
		}
	});

	after(async () => {
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	it('GIVEN /watch in a voice channel THEN the Activity launches, its members sign in, and the launcher’s controls reach everyone', async () => {
		const handle = discord.runSlashCommand({ guildId, channelId: voiceId, memberId: ids.alice, name: 'watch', options: { entry: entryId } });
		expect((await handle.waitForCallback(15_000)).type).to.equal(InteractionResponseType.LaunchActivity);
		const instance = [...discord.activities.instances.values()].find((each) => each.userIds.has(ids.alice))!;
		discord.activities.join(instance.instanceId, ids.bob);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const socketUrl = `${bot.apiUrl.replace(/^http/, 'ws')}/activity/socket`;
		const alice = await openSocket(socketUrl);
		alice.send({ type: 'hello', token: await signIn(ids.alice, instance.instanceId) });
		const welcome = await alice.first((message) => message.type === 'welcome');
		expect(welcome.room).to.deep.include({ entryId, controllerId: ids.alice, playing: false });
		const bob = await openSocket(socketUrl);
		bob.send({ type: 'hello', token: await signIn(ids.bob, instance.instanceId) });
		expect((await bob.first((message) => message.type === 'welcome')).you).to.deep.equal({ id: ids.bob, controls: false });
		bob.send({ type: 'control', id: 'b1', action: 'play' });
		expect(await bob.first((message) => message.type === 'refused')).to.deep.equal({ type: 'refused', id: 'b1', reason: 'not_controller' });
		alice.send({ type: 'control', id: 'a1', action: 'play', position: 3 });
		const state = await bob.first((message) => message.type === 'state' && (message.room as { playing: boolean }).playing);
		expect(state.room).to.deep.include({ entryId, position: 3, controllerId: ids.alice });
		alice.ws.close();
		bob.ws.close();
	});

	it('GIVEN /video search where watch-together is on THEN each result has a Watch together button beside Share', async () => {
		const reply = await discord
			.runSlashCommand({ guildId, memberId: ids.bob, name: 'video', subcommand: 'search', options: { query: 'night' } })
			.waitForReply(15_000);
		const customIds = buttonsOf(reply).map((button) => button.custom_id);
		expect(customIds).to.deep.equal([`videos:share:${entryId}`, `watch-together:launch:${entryId}`]);
	});
});
