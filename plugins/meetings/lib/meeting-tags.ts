import { isMeetingType, type MeetingType } from './meeting-types.js';

/**
 * Where a meeting came from is written on the Kaltura schedule event itself, so listing, joining and
 * ending need no database of the bot's: the reference id says which guild (exact match, so one guild
 * never lists another's), the tags say which channel, who hosts and what kind it is.
 */
export function guildReferenceId(guildId: string): string {
	return `discord_guild_${guildId}`;
}

export interface MeetingOrigin {
	readonly guildId: string;
	readonly channelId: string;
	readonly hostId: string;
	readonly type: MeetingType;
}

/**
 * Kaltura Meetings room settings, written as event tags (`custom_rs_class_mode`): `virtual_classroom` brings every
 * participant live with camera and microphone, `webinar` keeps participants off stage until a moderator brings
 * them on. Settings on the event override the room's. Kaltura Meetings Integration Guide, "Tags / Event
 * Settings" (github.com/kaltura-vpaas/virtual-meeting-rooms, README.md).
 */
export const CLASSROOM_MODE_TAG = 'custom_rs_class_mode:virtual_classroom';
export const WEBINAR_MODE_TAG = 'custom_rs_class_mode:webinar';

const ROOM_MODE_TAGS: Partial<Record<MeetingType, string>> = { classroom: CLASSROOM_MODE_TAG, webinar: WEBINAR_MODE_TAG };

export function originTags(origin: MeetingOrigin): string {
	const tags = [
		`discord_guild:${origin.guildId}`,
		`discord_channel:${origin.channelId}`,
		`discord_host:${origin.hostId}`,
		`discord_meeting_type:${origin.type}`
	];
	const mode = ROOM_MODE_TAGS[origin.type];
	if (mode !== undefined) tags.push(mode);
	return tags.join(',');
}

/** A Discord id (a snowflake): the only shape a guild, channel or member id in the tags may have. */
const SNOWFLAKE = /^\d{17,20}$/;

/**
 * Reads the origin back from an event's tags; undefined when they are not the bot's (an event made elsewhere).
 * The tags are Kaltura's to hold and anyone with access to the partner can edit them, so each id must be a
 * snowflake: the host id is shown as `<@id>`, and `1>[Join here](https://evil.example)<@1` must not be.
 */
export function parseOriginTags(tags: unknown): MeetingOrigin | undefined {
	if (typeof tags !== 'string') return undefined;
	const values = new Map<string, string>();
	for (const raw of tags.split(',')) {
		const tag = raw.trim();
		const colon = tag.indexOf(':');
		if (colon > 0) values.set(tag.slice(0, colon), tag.slice(colon + 1));
	}
	const guildId = values.get('discord_guild');
	const channelId = values.get('discord_channel');
	const hostId = values.get('discord_host');
	const type = values.get('discord_meeting_type');
	// The channel is `0` (NO_CHANNEL in start-meeting.ts) for a meeting started through the API without one.
	if (!isSnowflake(guildId) || !(isSnowflake(channelId) || channelId === '0') || !isSnowflake(hostId) || !isMeetingType(type)) return undefined;
	return { guildId, channelId, hostId, type };
}

const isSnowflake = (value: string | undefined): value is string => value !== undefined && SNOWFLAKE.test(value);
