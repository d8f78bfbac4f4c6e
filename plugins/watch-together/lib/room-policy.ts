/**
 * What a room asks of the server it is in: whether the server is served and has the plugin on, its settings, who
 * counts as a moderator, and which videos a member may load. The bot answers from guild config, role mapping and
 * the member's Kaltura session (guild-room-policy.ts); a benchmark may answer yes to everything.
 */
export interface RoomPolicy {
	/** Whether the guild is one the bot serves (ALLOWED_GUILD_IDS) and has the plugin on. */
	admits(guildId: string): Promise<boolean>;
	settings(guildId: string): Promise<{ readonly moderatorsControl: boolean; readonly maxParticipants: number }>;
	/** Whether the member's mapped Kaltura role (role-mapping) is moderator or admin. */
	isModerator(guildId: string, userId: string): Promise<boolean>;
	/** Whether the member's own Kaltura session sees the entry, within the server's categories. */
	mayWatch(guildId: string, userId: string, entryId: string): Promise<boolean>;
}

/** Who is in an Activity instance, as Discord says (cached a few seconds). */
export interface InstanceCheck {
	includes(instanceId: string, userId: string, guildId: string): Promise<boolean>;
}

/** The entry and launcher stored when the instance was launched from the bot, if it was. */
export interface LaunchLookup {
	of(instanceId: string): Promise<{ readonly entryId: string; readonly launcherId: string; readonly guildId: string } | undefined>;
}
