import { container } from '@sapphire/framework';
import { PermissionFlagsBits, type GuildMember } from 'discord.js';
import { kalturaRoleOf } from '../../role-mapping/api.js';
import type { Meeting } from './meeting.js';
import type { MeetingsConfig } from './meetings-config.js';

/** Kaltura roles that run a meeting rather than attend it. */
const HOSTING_ROLES: ReadonlySet<string> = new Set(['moderator', 'admin']);

/** A guild member, fetched (the interaction's member may be a raw payload, and the API has only an id). */
export async function fetchMember(guildId: string, userId: string): Promise<GuildMember | null> {
	const guild = await container.client.guilds.fetch(guildId);
	return guild.members.fetch(userId).catch(() => null);
}

/** Whether the guild's role mapping makes this member a moderator or admin on Kaltura. */
export async function hasHostingKalturaRole(member: GuildMember): Promise<boolean> {
	return HOSTING_ROLES.has((await kalturaRoleOf(member)).role);
}

/**
 * Members who may run meetings without being the host: a mapped Kaltura moderator or admin, or a
 * member Discord already trusts with the server's scheduled events (Manage Events).
 */
export async function isMeetingModerator(member: GuildMember): Promise<boolean> {
	return member.permissions.has(PermissionFlagsBits.ManageEvents) || hasHostingKalturaRole(member);
}

export async function canStartMeetings(member: GuildMember, settings: MeetingsConfig): Promise<boolean> {
	return settings.whoCanStart === 'everyone' || isMeetingModerator(member);
}

export async function canEndMeeting(member: GuildMember, meeting: Meeting): Promise<boolean> {
	return member.id === meeting.hostId || isMeetingModerator(member);
}

export const START_REFUSED =
	'Only members with a Kaltura moderator or admin role, or the Manage Events permission, can start meetings in this server.';
export const END_REFUSED =
	'Only the host, members with a Kaltura moderator or admin role, and members with the Manage Events permission can end this meeting.';
