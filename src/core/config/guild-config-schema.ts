import { z } from 'zod';
import type { PluginManifest } from '../plugins/manifest.js';
import { issueMessage, issueSentences, knownKeysOf, unknownKeyMessage } from './issue-messages.js';

/** The resolved configuration of one guild: the core's keys plus one section per loaded plugin. */
export interface GuildConfig {
	readonly plugins: Readonly<Record<string, { readonly enabled: boolean }>>;
	readonly [section: string]: unknown;
}

export type GuildConfigSchema = z.ZodType<GuildConfig>;

/** Top-level keys of guild config the core owns. */
export const CORE_SECTIONS: readonly string[] = ['plugins'];

/**
 * The schema of a whole guild config for this set of loaded plugins. Objects are strict so a typo
 * (`/config set meetings.kafBaseUrll`) is refused instead of silently stored and ignored.
 */
export function buildGuildConfigSchema(plugins: readonly PluginManifest[]): GuildConfigSchema {
	const switches = Object.fromEntries(
		plugins.map((plugin) => [plugin.name, z.strictObject({ enabled: z.boolean().default(plugin.enabledByDefault) }).prefault({})])
	);
	// `prefault` (not `default`) so a missing section is parsed, and the section's own defaults fill it in.
	const sections = Object.fromEntries(plugins.map((plugin) => [plugin.name, (plugin.configSchema ?? z.strictObject({})).prefault({})]));
	return z.strictObject({ plugins: z.strictObject(switches).prefault({}), ...sections });
}

export interface ConfigIssue {
	/** Dotted path of the offending value; empty for the whole object. */
	readonly path: string;
	readonly message: string;
}

export class ConfigValidationError extends Error {
	public constructor(public readonly issues: readonly ConfigIssue[]) {
		super(issueSentences(issues));
		this.name = 'ConfigValidationError';
	}
}

export function validateGuildConfig(schema: GuildConfigSchema, value: unknown): GuildConfig {
	const result = schema.safeParse(value, { error: configIssueMessage });
	if (result.success) return result.data;
	throw new ConfigValidationError(configIssues(result.error.issues));
}

/** The error map of guild config: {@link issueMessage}, with the nearest known key suggested for a single unknown one. */
function configIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
	const [only, ...others] = issue.code === 'unrecognized_keys' ? issue.keys : [];
	if (only !== undefined && others.length === 0) return unknownKeyMessage(only, knownKeysOf(issue));
	return issueMessage(issue);
}

/** zod's issues as admins read them: the dotted key, and what is wrong with its value. */
export function configIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
	return issues.flatMap((issue) => {
		const path = issue.path.map(String).join('.');
		// zod reports unknown keys on the parent; name each key itself, which is what the admin typed.
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({
				path: path ? `${path}.${key}` : key,
				message: issue.keys.length === 1 ? issue.message : 'is not a known setting'
			}));
		}
		return [{ path, message: issue.message }];
	});
}
