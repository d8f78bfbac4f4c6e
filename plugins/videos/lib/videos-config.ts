import type { GuildConfig } from '../../../src/core/config/guild-config-schema.js';

export interface VideosConfig {
	readonly resultLimit: number;
	readonly categoryIds: readonly string[];
	readonly watchUrlTemplate: string;
}

/** The plugin's section of a resolved guild config (validated by the manifest's schema). */
export function videosConfig(config: GuildConfig): VideosConfig {
	return config.videos as VideosConfig;
}
