import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { DiscordStandIn } from '../discord/index.js';
import type { KalturaStandIn } from '../kaltura/index.js';

/** Fixed ids, so the sandbox guild keeps its configuration (in data/sandbox) from one run to the next. */
export const SANDBOX_GUILD_ID = '1100000000000000001';

export interface SandboxMember {
	readonly name: string;
	readonly id: string;
	readonly role: string;
}

/** A small community: an admin, a moderator and a member, a few channels, and some Kaltura videos. */
export function seedSandbox(
	discord: DiscordStandIn,
	kaltura: KalturaStandIn
): { guildName: string; channels: Map<string, string>; members: SandboxMember[]; roleMappings: Record<string, string> } {
	const guild = discord.addGuild({ id: SANDBOX_GUILD_ID, name: 'Sandbox Community' });
	const channels = new Map<string, string>([['general', guild.systemChannelId!]]);
	for (const name of ['announcements', 'videos']) channels.set(name, discord.addChannel(guild.id, { name }).id);

	const admins = discord.addRole(guild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents });
	const moderators = discord.addRole(guild.id, { name: 'Moderators', permissions: PermissionFlagsBits.ManageEvents });
	const members: SandboxMember[] = [
		{ name: 'ada', role: admins.name, id: discord.addMember(guild.id, { user: { username: 'ada' }, roles: [admins.id] }).user!.id },
		{ name: 'kim', role: moderators.name, id: discord.addMember(guild.id, { user: { username: 'kim' }, roles: [moderators.id] }).user!.id },
		{ name: 'max', role: 'member', id: discord.addMember(guild.id, { user: { username: 'max' } }).user!.id }
	];

	kaltura.state.addEntry({ name: 'Welcome to Sandbox Community', description: 'Start here', tags: 'welcome,intro', duration: 184 });
	kaltura.state.addEntry({ name: 'Team onboarding, part 1', description: 'Tools and habits', tags: 'onboarding', duration: 1325 });
	kaltura.state.addEntry({ name: 'Team onboarding, part 2', tags: 'onboarding', duration: 1710 });
	kaltura.state.addEntry({ name: 'Quarterly town hall', description: 'Recording', tags: 'townhall', duration: 3720 });
	return { guildName: guild.name, channels, members, roleMappings: { [admins.id]: 'admin', [moderators.id]: 'moderator' } };
}
