import type { GuildConfig } from '#sdk';
import videos from '../plugin.js';
import type { VideosConfig } from './videos-config-schema.js';

// The schema lives apart from the reader: the manifest needs it, and the reader needs the manifest.
export { videosConfigSchema, videosRuntimeCheck, type VideosConfig } from './videos-config-schema.js';

/** The plugin's section of a resolved guild config. */
export function videosConfig(config: GuildConfig): VideosConfig {
	return videos.settingsIn(config);
}
