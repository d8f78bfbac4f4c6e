import { type GuildConfig, operatorPolicy, type OperatorPolicy } from '#sdk';
import meetings from '../plugin.js';
import type { MeetingsConfig } from './meetings-config-schema.js';

// The schema lives apart from the readers: the manifest needs it, and the readers need the manifest.
export { meetingsConfigSchema, meetingsRuntimeCheck, WHO_CAN_START, type MeetingsConfig } from './meetings-config-schema.js';

/** The plugin's section of a resolved guild config. */
export function meetingsConfig(config: GuildConfig): MeetingsConfig {
	return meetings.settingsIn(config);
}

/**
 * The category a live stream of this guild is put in, as the operator's policy lets it: a category an admin
 * stored before the operator narrowed KALTURA_LIVE_CATEGORY_IDS is ignored and the operator's files decide
 * (writes are refused up front; this is the check at use).
 */
export function liveCategoryOf(
	guildId: string,
	settings: MeetingsConfig,
	policy: Pick<OperatorPolicy, 'liveCategoryIds'> = operatorPolicy()
): string | undefined {
	const category = settings.liveCategoryId;
	if (category === undefined || policy.liveCategoryIds.has(category)) return category;
	return meetings.baselineSettings(guildId).liveCategoryId;
}
