import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { BotProcess, standInEnvironment } from '../bot-process.js';
import { DiscordStandIn } from '../discord/index.js';
import { KalturaStandIn } from '../kaltura/index.js';
import { launchChromium } from './browser.js';
import { DiscordClient } from './discord-client.js';
import { clientUserOf, standInBackend } from './stand-in-backend.js';

const PARTNER_ID = 7171;
const ADMIN_SECRET = 'watch-together-browser-admin-secret';
export const SCENE_JWT_SECRET = 'watch-together-browser-jwt-secret-long-enough-for-hs256';
export const SCENE_MEMBERS = ['alice', 'bob', 'carol', 'dave'] as const;
export type SceneMember = (typeof SCENE_MEMBERS)[number];

/**
 * Everything a watch-together browser test needs: the Discord and Kaltura stand-ins, the bot process serving the built
 * Activity, one server with members and a 60-second video, and Chromium, where each member's Discord client is a page
 * of its own (a browser context each, so nothing is shared between members but the bot).
 */
export class WatchTogetherScene {
	readonly #clients: { context: BrowserContext; client: DiscordClient; instanceId: string }[] = [];

	private constructor(
		public readonly discord: DiscordStandIn,
		public readonly kaltura: KalturaStandIn,
		public readonly bot: BotProcess,
		public readonly browser: Browser,
		public readonly guildId: string,
		public readonly channelId: string,
		public readonly members: Readonly<Record<SceneMember | 'admin', string>>,
		public readonly entryId: string
	) {}

	public static async start(): Promise<WatchTogetherScene> {
		const discord = await DiscordStandIn.start();
		const kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		const guild = discord.addGuild({ name: 'Film club' });
		const channel = discord.addChannel(guild.id, { name: 'Cinema', type: 2 });
		const admins = discord.addRole(guild.id, { name: 'Admins', permissions: 1n << 5n, position: 2 });
		const member = (username: string, roles: string[] = []) => discord.addMember(guild.id, { user: { username }, roles }).user?.id ?? '';
		const members = {
			admin: member('ada', [admins.id]),
			alice: member('alice'),
			bob: member('bob'),
			carol: member('carol'),
			dave: member('dave')
		};
		const entry = kaltura.state.addEntry({ name: 'Sixty seconds of colour bars', tags: 'bars', duration: 60, userId: 'film.club' }) as {
			id: string;
		};
		const bot = await BotProcess.start({
			env: {
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET: SCENE_JWT_SECRET,
				DISCORD_CLIENT_ID: discord.applicationId,
				DISCORD_CLIENT_SECRET: discord.activities.clientSecret,
				DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-bot-watch-together-'))
			}
		});
		for (const plugin of ['videos', 'role-mapping', 'watch-together']) {
			const reply = await discord
				.runSlashCommand({ guildId: guild.id, memberId: members.admin, name: 'plugins', subcommand: 'enable', options: { plugin } })
				.waitForReply(15_000);
			if (!/is now on|already on/.test(reply.content)) throw new Error(`Could not enable ${plugin}: ${reply.content}`);
		}
		const browser = await launchChromium();
		return new WatchTogetherScene(discord, kaltura, bot, browser, guild.id, channel.id, members, entry.id);
	}

	/** The bot's origin, where the Activity and its API live. */
	public get origin(): string {
		return new URL(this.bot.apiUrl).origin;
	}

	/** An Activity instance in the scene's voice channel with these members in it. */
	public startInstance(userIds: readonly string[]): string {
		return this.discord.activities.startActivity({ guildId: this.guildId, channelId: this.channelId, userIds }).instanceId;
	}

	/** A member joins the instance in Discord, then opens the Activity; everyone already in it hears of the change. */
	public async join(instanceId: string, userId: string, hostOrigin?: string): Promise<DiscordClient> {
		this.discord.activities.join(instanceId, userId);
		await this.#participantsChanged(instanceId);
		return this.open(instanceId, userId, hostOrigin);
	}

	/** Opens the Activity in the member's Discord client (the member must already be in the instance). */
	public async open(instanceId: string, userId: string, hostOrigin?: string): Promise<DiscordClient> {
		const context = await this.browser.newContext({ viewport: { width: 640, height: 600 } });
		const client = await DiscordClient.open(await context.newPage(), {
			launch: { activityUrl: `${this.origin}/activity/`, instanceId, guildId: this.guildId, channelId: this.channelId },
			clientId: this.discord.applicationId,
			application: { id: this.discord.applicationId, name: 'Kaltura' },
			user: clientUserOf(this.discord, userId),
			backend: standInBackend(this.discord, instanceId, userId),
			...(hostOrigin === undefined ? {} : { hostOrigin })
		});
		this.#clients.push({ context, client, instanceId });
		return client;
	}

	public async stop(): Promise<number | null> {
		await this.browser.close().catch(() => undefined);
		const code = await this.bot.stop();
		await this.discord.stop();
		await this.kaltura.stop();
		return code;
	}

	async #participantsChanged(instanceId: string): Promise<void> {
		await Promise.all(
			this.#clients.filter((open) => open.instanceId === instanceId).map((open) => open.client.participantsChanged().catch(() => undefined))
		);
	}
}
