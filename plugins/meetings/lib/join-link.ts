import type { GuildMember } from 'discord.js';
import type { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import type { IdentityService } from '../../../src/core/auth/identity.js';
import type { Meeting } from './meeting.js';
import { hasHostingKalturaRole } from './meeting-permissions.js';

/** The two roles a Kaltura Meetings room knows: runs the room, or attends it. */
export type RoomRole = 'adminRole' | 'viewerRole';

/** Kaltura's userContextualRole: 0 manager (host), 3 member (attendee). */
const CONTEXTUAL_ROLE: Readonly<Record<RoomRole, number>> = { adminRole: 0, viewerRole: 3 };

export interface JoinLink {
	readonly url: string;
	readonly role: RoomRole;
}

/** The host and the guild's mapped moderators and admins run the room; everyone else attends. */
export async function roomRoleOf(member: GuildMember, meeting: Meeting): Promise<RoomRole> {
	return member.id === meeting.hostId || (await hasHostingKalturaRole(member)) ? 'adminRole' : 'viewerRole';
}

/**
 * KS privileges are `name:value` pairs joined by commas, so a display name with a comma or colon
 * would smuggle in another privilege ("Max,role:adminRole"): keep letters, digits, spaces and a few
 * harmless marks only.
 */
export function privilegeSafeName(displayName: string): string {
	const cleaned = displayName.replace(/[^\p{L}\p{N} ._'-]/gu, '').trim().slice(0, 40);
	return cleaned === '' ? 'Guest' : cleaned;
}

export function joinPrivileges(meetingId: string, role: RoomRole, firstName: string): string {
	return `eventId:${meetingId},role:${role},userContextualRole:${CONTEXTUAL_ROLE[role]},firstName:${privilegeSafeName(firstName)}`;
}

export function kafBaseUrl(template: string, partnerId: number): string {
	return template.replaceAll('{partnerId}', String(partnerId)).replace(/\/+$/, '');
}

/**
 * A member's own link into the room: a USER session as their Kaltura identity in this guild, limited
 * to this one event and their role in it. It is a credential: show it ephemerally only, never log it.
 */
export async function joinLinkFor(
	services: { kaltura: KalturaFacade; identity: IdentityService },
	member: GuildMember,
	meeting: Meeting,
	kafTemplate: string
): Promise<JoinLink> {
	const role = await roomRoleOf(member, meeting);
	const userId = await services.identity.kalturaUserIdOf(member.guild.id, member.id);
	const ks = await services.kaltura.userKs({ userId, privileges: joinPrivileges(meeting.id, role, member.displayName) });
	return { url: `${kafBaseUrl(kafTemplate, services.kaltura.partnerId)}/virtualEvent/launch?ks=${encodeURIComponent(ks)}`, role };
}
