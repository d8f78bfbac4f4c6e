import { join } from 'node:path';
import type { Logger } from '../logger.js';
import { readConfigFile, readOverrideFiles } from './config-files.js';
import { deepMerge } from './deep-merge.js';
import { ConfigValidationError, validateGuildConfig, type GuildConfigSchema } from './guild-config-schema.js';
import { isPlainObject, type JsonObject } from './object-path.js';

export interface ConfigLayers {
	readonly defaults: JsonObject;
	readonly fileOverrides: Map<string, JsonObject>;
}

export class InvalidDefaultsError extends Error {
	public constructor(file: string, error: ConfigValidationError) {
		super(`${file} is not a valid configuration: ${error.message}`);
		this.name = 'InvalidDefaultsError';
	}
}

/**
 * Reads the defaults and the per-guild override files, checked against the loaded plugins' schemas.
 *
 * Invalid defaults stop start-up (every guild would be broken). An invalid override file is reported
 * with its file and key, and that guild runs on the defaults until it is fixed.
 * Sections of plugins that are installed but not loaded are set aside rather than refused, so refusing
 * one plugin never makes the whole configuration invalid.
 */
export async function loadConfigLayers(options: {
	directory: string;
	schema: GuildConfigSchema;
	inactiveSections: ReadonlySet<string>;
	environment: Readonly<Record<string, string | undefined>>;
	logger: Logger;
}): Promise<ConfigLayers> {
	const { directory, schema, inactiveSections, environment, logger } = options;
	const defaultsFile = join(directory, 'default_config.json');
	const defaults = withoutSections(await readConfigFile(defaultsFile, environment), inactiveSections);
	try {
		validateGuildConfig(schema, defaults);
	} catch (error) {
		if (error instanceof ConfigValidationError) throw new InvalidDefaultsError(defaultsFile, error);
		throw error;
	}

	const overridesDirectory = join(directory, 'overrides');
	const { overrides, problems } = await readOverrideFiles(overridesDirectory, environment);
	for (const problem of problems) logger.error(`Config override ${problem.message}; that guild uses the defaults.`);

	const fileOverrides = new Map<string, JsonObject>();
	for (const [guildId, override] of overrides) {
		const pruned = withoutSections(override, inactiveSections);
		try {
			validateGuildConfig(schema, deepMerge(defaults, pruned));
			fileOverrides.set(guildId, pruned);
		} catch (error) {
			if (!(error instanceof ConfigValidationError)) throw error;
			for (const issue of error.issues) {
				logger.error(
					`Config override ${join(overridesDirectory, `${guildId}.json`)}: ${issue.path || '(root)'} ${issue.message}; guild ${guildId} uses the defaults.`
				);
			}
		}
	}
	return { defaults, fileOverrides };
}

function withoutSections(config: JsonObject, sections: ReadonlySet<string>): JsonObject {
	const result: JsonObject = {};
	for (const [key, value] of Object.entries(config)) {
		if (sections.has(key)) continue;
		if (key === 'plugins' && isPlainObject(value)) {
			result[key] = Object.fromEntries(Object.entries(value).filter(([name]) => !sections.has(name)));
		} else result[key] = value;
	}
	return result;
}
