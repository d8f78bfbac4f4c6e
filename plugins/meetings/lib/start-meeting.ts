import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import type { AuditSource } from '#sdk';
import { rememberAnnouncement, type AnnouncementRef } from './announcement-store.js';
import { createMeeting } from './create-meeting.js';
import type { LiveIngest } from './live-ingest.js';
import type { Meeting } from './meeting.js';
import { announcement } from './meeting-embed.js';
import { forgetMeetingSuggestions } from './meeting-suggestions.js';
import type { MeetingPlan } from './meeting-input.js';

/**
 * The channel recorded (in the meeting's `discord_channel:` tag) for a meeting started through the API without one:
 * nothing is announced. Only a tag value: the API answers `null` for it (meeting-json.ts).
 */
export const NO_CHANNEL = '0';

/** How a meeting was started: where from (for the audit log) and, for the context menu, the message to answer. */
export interface StartRequest {
	readonly source: AuditSource;
	/** The message the announcement replies to. */
	readonly replyTo?: string;
	/** The guild's meetings.liveCategoryId: the category a live stream's entry is put in. */
	readonly liveCategoryId?: string | undefined;
}

export interface StartedMeeting {
	readonly meeting: Meeting;
	/** Undefined when the bot could not post in the channel (no permission, channel gone). */
	readonly announced: AnnouncementRef | undefined;
	/** A live stream's ingest details: for the host's private answer only (never announced, stored or logged). */
	readonly ingest?: LiveIngest | undefined;
}

/**
 * Creates the meeting on Kaltura, records it in the audit log (here, once, whichever way it was
 * started; the host is who acted, for the API the token's user) and announces it in the channel (as a
 * reply to `replyTo` when given), remembering the message so ending the meeting can update it. Shared
 * by `/meeting start`, the message context menu and the API.
 */
export async function startMeeting(plan: MeetingPlan, host: GuildMember, channelId: string, request: StartRequest): Promise<StartedMeeting> {
	const { kaltura, identity } = container;
	const hostKalturaUserId = await identity.kalturaUserIdOf(host.guild.id, host.id);
	const { meeting, ingest } = await createMeeting(kaltura, plan, {
		guildId: host.guild.id,
		channelId,
		hostId: host.id,
		hostKalturaUserId,
		liveCategoryId: request.liveCategoryId
	});
	forgetMeetingSuggestions(meeting.guildId);
	// Recorded as soon as Kaltura has the meeting: it exists even if the announcement below fails.
	await container.audit.record({
		guildId: meeting.guildId,
		actorId: host.id,
		source: request.source,
		action: 'meeting.start',
		target: meeting.id,
		changes: {
			title: meeting.title,
			type: meeting.type,
			startsAt: meeting.startsAt,
			endsAt: meeting.endsAt,
			channelId: channelId === NO_CHANNEL ? null : channelId
		}
	});
	const announced = channelId === NO_CHANNEL ? undefined : await announce(meeting, request.replyTo);
	container.logger.info(`Meeting ${meeting.id} (${meeting.type}) started in guild ${meeting.guildId} by ${meeting.hostId}`);
	return { meeting, announced, ingest };
}

async function announce(meeting: Meeting, replyTo: string | undefined): Promise<AnnouncementRef | undefined> {
	try {
		const channel = await container.client.channels.fetch(meeting.channelId);
		if (channel === null || !channel.isSendable() || !('guildId' in channel) || channel.guildId !== meeting.guildId) return undefined;
		const message = await channel.send({
			...announcement(meeting),
			allowedMentions: { parse: [] },
			...(replyTo === undefined ? {} : { reply: { messageReference: replyTo, failIfNotExists: false } })
		});
		const ref = { channelId: channel.id, messageId: message.id };
		await rememberAnnouncement(meeting.id, ref);
		return ref;
	} catch (error) {
		container.logger.warn(`Meeting ${meeting.id} could not be announced in channel ${meeting.channelId}:`, error);
		return undefined;
	}
}
