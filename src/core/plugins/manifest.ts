import type { GatewayIntentBits } from 'discord.js';
import semver from 'semver';
import { z } from 'zod';
import type { RuntimeConfigCheck } from '../policy/runtime-config-check.js';

/** What a plugin's `plugin.ts` exports by default. Written with {@link definePlugin} for type inference. */
export interface PluginManifest<Schema extends z.ZodObject = z.ZodObject> {
	/** Lower-case, dash-separated; equal to the plugin's folder name. Prefixes its pieces and names its config section. */
	readonly name: string;
	readonly version: string;
	readonly description: string;
	/** The semver range of {@link CORE_API_VERSION} this plugin was written against. */
	readonly core: string;
	/** Other plugins this one needs, by name, with the version range it supports. */
	readonly requires?: Readonly<Record<string, string>>;
	/** Whether a guild that never chose gets this plugin on. */
	readonly enabledByDefault: boolean;
	/** The schema of the plugin's section of guild config (`<name>` at the top level); defaults belong here. */
	readonly configSchema?: Schema;
	/** The operator's bounds on what admins may write into that section at run time (not checked against the operator's own files). */
	readonly runtimeConfigCheck?: RuntimeConfigCheck;
	/** Gateway intents the plugin's listeners need; the client asks for the union. */
	readonly intents?: readonly GatewayIntentBits[];
}

export function definePlugin<Schema extends z.ZodObject>(manifest: PluginManifest<Schema>): PluginManifest<Schema> {
	return manifest;
}

export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The names the core owns in guild config and piece names; no plugin may take them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['core', 'plugins']);

const manifestSchema = z.object({
	name: z
		.string()
		.max(32)
		.regex(PLUGIN_NAME_PATTERN, { error: 'must be lower-case words joined by dashes' })
		.refine((name) => !RESERVED_NAMES.has(name), { error: 'is reserved by the core' }),
	version: z.string().refine((value) => semver.valid(value) !== null, { error: 'must be a semver version such as 1.2.3' }),
	description: z.string().min(1).max(200),
	core: z.string().refine((value) => semver.validRange(value) !== null, { error: 'must be a semver range such as ^1.0.0' }),
	requires: z
		.record(
			z.string().regex(PLUGIN_NAME_PATTERN),
			z.string().refine((value) => semver.validRange(value) !== null, { error: 'must be a semver range' })
		)
		.optional(),
	enabledByDefault: z.boolean(),
	configSchema: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, { error: 'must be a zod object schema' }).optional(),
	runtimeConfigCheck: z.custom<RuntimeConfigCheck>((value) => typeof value === 'function', { error: 'must be a function' }).optional(),
	intents: z.array(z.number().int().nonnegative()).optional()
});

/** Checks an untrusted default export; returns the problems in plain words, or the manifest. */
export function validateManifest(value: unknown): { ok: true; manifest: PluginManifest } | { ok: false; problem: string } {
	const result = manifestSchema.safeParse(value);
	if (result.success) return { ok: true, manifest: result.data as PluginManifest };
	const problem = result.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'} ${issue.message}`).join('; ');
	return { ok: false, problem };
}
