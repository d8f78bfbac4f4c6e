import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { DiscordStandIn } from '../discord/index.js';
import { loadDiscordState, saveDiscordState } from '../discord/state-file.js';
import type { KalturaStandIn } from '../kaltura/index.js';
import { loadKalturaState, saveKalturaState } from '../kaltura/state-file.js';

/**
 * Fixed ids, so what the bot stores about the sandbox (subscriptions, role mappings, meetings) keeps pointing at
 * the same guild, channels, roles and members from one run to the next. New objects (messages, uploads) get
 * fresh ids and are saved with the rest (see `saveSandboxWorld`).
 */
export const SANDBOX_GUILD_ID = '1100000000000000001';
export const SANDBOX_APPLICATION_ID = '1100000000000000002';
const OWNER_ID = '1100000000000000003';
const CHANNEL_IDS = { general: '1100000000000000010', announcements: '1100000000000000011', videos: '1100000000000000012' } as const;
const ROLE_IDS = { bot: '1100000000000000020', admins: '1100000000000000021', moderators: '1100000000000000022' } as const;
const MEMBER_IDS = { ada: '1100000000000000031', kim: '1100000000000000032', max: '1100000000000000033' } as const;

export interface SandboxMember {
	readonly name: string;
	readonly id: string;
	readonly role: string;
}

export interface SandboxWorld {
	readonly guildName: string;
	/** Channel ids by name, `general` first. */
	readonly channels: Map<string, string>;
	readonly members: SandboxMember[];
	readonly roleMappings: Record<string, string>;
	/** True on the first run in a data directory: the world was made now, not loaded. */
	readonly fresh: boolean;
}

const discordFile = (dataDirectory: string) => join(dataDirectory, 'discord-stand-in.json');
const kalturaFile = (dataDirectory: string) => join(dataDirectory, 'kaltura-stand-in.json');

/** The sandbox's world as it was left in `dataDirectory`, or a new one (a small community and some Kaltura videos). */
export function openSandboxWorld(discord: DiscordStandIn, kaltura: KalturaStandIn, dataDirectory: string): SandboxWorld {
	const fresh = !existsSync(discordFile(dataDirectory));
	if (fresh) {
		seedDiscord(discord);
		seedKaltura(kaltura);
		saveSandboxWorld(discord, kaltura, dataDirectory);
	} else {
		loadDiscordState(discord.state, discordFile(dataDirectory));
		if (existsSync(kalturaFile(dataDirectory))) loadKalturaState(kaltura.state, kalturaFile(dataDirectory), kaltura.notifications);
	}
	const guild = discord.state.guilds.get(SANDBOX_GUILD_ID);
	if (!guild) throw new Error(`${discordFile(dataDirectory)} has no sandbox server; delete ${dataDirectory} to start afresh.`);
	const channels = new Map<string, string>();
	for (const id of guild.channelIds) {
		const channel = discord.state.channels.get(id);
		if (channel && 'name' in channel && channel.name) channels.set(channel.name, id);
	}
	const roleName = (userId: string) =>
		guild.members
			.get(userId)
			?.roles.map((roleId) => guild.roles.get(roleId)?.name)
			.find(Boolean) ?? 'member';
	const members = Object.entries(MEMBER_IDS).map(([name, id]) => ({ name, id, role: roleName(id) }));
	return { guildName: guild.name, channels, members, roleMappings: { [ROLE_IDS.admins]: 'admin', [ROLE_IDS.moderators]: 'moderator' }, fresh };
}

/** Saves both stand-ins' state next to the bot's data, so the next run starts where this one stopped. */
export function saveSandboxWorld(discord: DiscordStandIn, kaltura: KalturaStandIn, dataDirectory: string): void {
	saveDiscordState(discord.state, discordFile(dataDirectory));
	saveKalturaState(kaltura.state, kalturaFile(dataDirectory), kaltura.notifications);
}

/** A small community: an admin, a moderator and a member, and a few channels. */
function seedDiscord(discord: DiscordStandIn): void {
	discord.addUser({ id: OWNER_ID, username: 'sandbox-owner' });
	const guild = discord.addGuild({
		id: SANDBOX_GUILD_ID,
		name: 'Sandbox Community',
		ownerId: OWNER_ID,
		createGeneralChannel: false,
		botIsMember: false
	});
	for (const [name, id] of Object.entries(CHANNEL_IDS)) discord.addChannel(guild.id, { id, name });
	guild.systemChannelId = CHANNEL_IDS.general;
	// The bot's own managed role, as an invite makes it (see DiscordState.addBotToGuild), with a fixed id.
	const botRole = discord.addRole(guild.id, { id: ROLE_IDS.bot, name: discord.botUser.username, managed: true });
	botRole.tags = { bot_id: discord.botUser.id };
	discord.addMember(guild.id, { user: discord.botUser.id, roles: [botRole.id] });

	const admins = discord.addRole(guild.id, {
		id: ROLE_IDS.admins,
		name: 'Admins',
		permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents
	});
	const moderators = discord.addRole(guild.id, { id: ROLE_IDS.moderators, name: 'Moderators', permissions: PermissionFlagsBits.ManageEvents });
	discord.addMember(guild.id, { user: { id: MEMBER_IDS.ada, username: 'ada' }, roles: [admins.id] });
	discord.addMember(guild.id, { user: { id: MEMBER_IDS.kim, username: 'kim' }, roles: [moderators.id] });
	discord.addMember(guild.id, { user: { id: MEMBER_IDS.max, username: 'max' } });
}

function seedKaltura(kaltura: KalturaStandIn): void {
	kaltura.state.addEntry({ name: 'Welcome to Sandbox Community', description: 'Start here', tags: 'welcome,intro', duration: 184 });
	kaltura.state.addEntry({ name: 'Team onboarding, part 1', description: 'Tools and habits', tags: 'onboarding', duration: 1325 });
	kaltura.state.addEntry({ name: 'Team onboarding, part 2', tags: 'onboarding', duration: 1710 });
	kaltura.state.addEntry({ name: 'Quarterly town hall', description: 'Recording', tags: 'townhall', duration: 3720 });
}
