import { z } from 'zod';
import type { GuildConfig } from '../../../src/core/config/guild-config-schema.js';

export const WHO_CAN_START = ['everyone', 'moderators'] as const;

export const meetingsConfigSchema = z.strictObject({
	/** The KAF instance the join links open; `{partnerId}` is filled in. */
	kafBaseUrl: z
		.string()
		// Not z.url(): `{partnerId}` in the host name is not a valid URL until it is filled in.
		.regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { error: 'must be an http(s) base URL such as https://{partnerId}.kaf.kaltura.com' })
		.default('https://{partnerId}.kaf.kaltura.com'),
	/** How long a meeting lasts when the command does not say. */
	defaultDurationMinutes: z.number().int().min(5).max(1440).default(60),
	/**
	 * `moderators` (default): only members whose mapped Kaltura role is moderator or admin, or who have
	 * Discord's Manage Events permission, may start one; `everyone`: any member.
	 */
	whoCanStart: z.enum(WHO_CAN_START).default('moderators')
});

export type MeetingsConfig = z.output<typeof meetingsConfigSchema>;

/** The plugin's section of a resolved guild config (validated by the manifest's schema). */
export function meetingsConfig(config: GuildConfig): MeetingsConfig {
	return config.meetings as MeetingsConfig;
}
