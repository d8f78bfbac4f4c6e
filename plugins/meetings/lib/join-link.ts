import type { GuildMember } from 'discord.js';
import {
	checkedLink,
	type IdentityService,
	type KalturaFacade,
	MEMBER_KS_MAX_SECONDS,
	MEMBER_KS_MIN_SECONDS,
	operatorPolicy,
	type OperatorPolicy,
	watchLinkFrom
} from '#sdk';
import type { Meeting } from './meeting.js';
import { hasHostingKalturaRole } from './meeting-permissions.js';
import type { MeetingsConfig } from './meetings-config.js';

/** The two roles a Kaltura Meetings room knows: runs the room, or attends it. */
export type RoomRole = 'adminRole' | 'viewerRole';

/** Kaltura's userContextualRole: 0 manager (host), 3 member (attendee). */
const CONTEXTUAL_ROLE: Readonly<Record<RoomRole, number>> = { adminRole: 0, viewerRole: 3 };

/** What a link lets its holder do: run or attend a room, or watch a live stream in the player. */
export type LinkRole = RoomRole | 'watcher';

export interface JoinLink {
	readonly url: string;
	readonly role: LinkRole;
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
	const cleaned = displayName
		.replace(/[^\p{L}\p{N} ._'-]/gu, '')
		.trim()
		.slice(0, 40);
	return cleaned === '' ? 'Guest' : cleaned;
}

export function joinPrivileges(meetingId: string, role: RoomRole, firstName: string): string {
	return `eventId:${meetingId},role:${role},userContextualRole:${CONTEXTUAL_ROLE[role]},firstName:${privilegeSafeName(firstName)}`;
}

/**
 * The KAF base URL join links open. Checked against the operator's link policy every time (the setting
 * was checked when written, but the operator's files and KALTURA_LINK_HOSTS can change since): a link
 * the policy refuses throws {@link LinkPolicyError} and is never shown.
 */
export function kafBaseUrl(template: string, partnerId: number, policy: Pick<OperatorPolicy, 'linkHosts'> = operatorPolicy()): string {
	return checkedLink(template.replaceAll('{partnerId}', String(partnerId)).replace(/\/+$/, ''), 'meetings.kafBaseUrl', policy);
}

/** A join link keeps working this long after the meeting's planned end, so an overrunning meeting can still be joined. */
const JOIN_LINK_MARGIN_SECONDS = 15 * 60;

/**
 * A member's own link into the room: a USER session as their Kaltura identity in this guild, limited
 * to this one event and their role in it, from the members' session source (never the bot's own).
 * It lives until the meeting's end plus a margin (5 minutes to 24 hours from now), and is minted for
 * that lifetime: never an older one with less left. It is a credential: show it ephemerally only,
 * never log it.
 */
export async function joinLinkFor(
	services: { kaltura: KalturaFacade; identity: IdentityService },
	member: GuildMember,
	meeting: Meeting,
	kafTemplate: string,
	nowSeconds = Date.now() / 1000
): Promise<JoinLink> {
	const role = await roomRoleOf(member, meeting);
	const userId = await services.identity.kalturaUserIdOf(member.guild.id, member.id);
	const lifetime = Math.min(
		MEMBER_KS_MAX_SECONDS,
		Math.max(MEMBER_KS_MIN_SECONDS, Math.ceil(meeting.endsAt + JOIN_LINK_MARGIN_SECONDS - nowSeconds))
	);
	const ks = await services.kaltura.userKs({ userId, privileges: joinPrivileges(meeting.id, role, member.displayName) }, lifetime);
	return { url: `${kafBaseUrl(kafTemplate, services.kaltura.partnerId)}/virtualEvent/launch?ks=${encodeURIComponent(ks)}`, role };
}

/**
 * The player page of a live stream's entry, built as the videos plugin builds its watch links (its
 * `watchUrlOf`): the template filled in, the entry id encoded, and the result checked against the operator's
 * link policy on every build. It carries no session: anyone may be given it, but only a link the policy allows.
 */
export function watchLinkOf(
	template: string,
	partnerId: number,
	entryId: string,
	policy: Pick<OperatorPolicy, 'linkHosts'> = operatorPolicy()
): string {
	return watchLinkFrom(template, partnerId, entryId, 'meetings.watchUrlTemplate', policy);
}

/**
 * A member's link to a meeting of any type: the player's watch link for a live stream (the same for everyone:
 * the host gets the ingest details separately), their own room link for every other type.
 */
export async function meetingLinkFor(
	services: { kaltura: KalturaFacade; identity: IdentityService },
	member: GuildMember,
	meeting: Meeting,
	settings: Pick<MeetingsConfig, 'kafBaseUrl' | 'watchUrlTemplate'>
): Promise<JoinLink> {
	if (meeting.type === 'live') {
		// toMeeting reads no live stream without its entry; one without would be a bug, not a room to send people to.
		if (meeting.entryId === undefined) throw new Error(`Live stream ${meeting.id} has no entry`);
		return { url: watchLinkOf(settings.watchUrlTemplate, services.kaltura.partnerId, meeting.entryId), role: 'watcher' };
	}
	return joinLinkFor(services, member, meeting, settings.kafBaseUrl);
}
