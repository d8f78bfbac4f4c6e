import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { findGuildMeeting } from '../find-meetings.js';
import { meetingStatus, type Meeting } from '../meeting.js';
import { fetchMember } from '../meeting-permissions.js';
import { meetingsConfig, type MeetingsConfig } from '../meetings-config.js';
import { meetingEnded, noSuchMeeting } from './meeting-refusals.js';

/**
 * The guild's meeting with that id, still to come or running: the one place "not found" (never made, deleted on
 * Kaltura, another guild's) and "ended" are decided, for commands, buttons and the API alike.
 */
export async function runningMeeting(guildId: string, meetingId: string): Promise<Meeting> {
	const meeting = await findGuildMeeting(container.kaltura, guildId, meetingId.trim());
	if (meeting === undefined) throw noSuchMeeting();
	if (meetingStatus(meeting) === 'ended') throw meetingEnded();
	return meeting;
}

/** A member of the guild, or the refusal `refused` makes when the user is not (or no longer) one. */
export async function memberOrRefuse(guildId: string, userId: string, refused: () => Error): Promise<GuildMember> {
	const member = await fetchMember(guildId, userId);
	if (member === null) throw refused();
	return member;
}

export async function meetingSettingsOf(guildId: string): Promise<MeetingsConfig> {
	return meetingsConfig(await container.guildConfig.resolve(guildId));
}
