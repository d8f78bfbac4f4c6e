import type { GatewayIntentBits } from 'discord.js';
import semver from 'semver';
import { z } from 'zod';
import type { RuntimeConfigCheck } from '../policy/runtime-config-check.js';
import { PluginHandle, type PluginContext } from './plugin-context.js';

/** What a plugin's `plugin.ts` declares, through {@link definePlugin} (which infers the types of its handle from it). */
export interface PluginManifest<Schema extends z.ZodObject = z.ZodObject, Environment extends z.ZodObject = z.ZodObject, Services = unknown> {
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
	/**
	 * The environment variables the plugin reads, with their defaults (`.default()`, nowhere else): parsed at
	 * start-up, where a missing or bad one stops the bot naming it. Empty values count as unset.
	 */
	readonly environment?: Environment;
	/** Which of those variables hold secrets: their values are redacted from every log line. */
	readonly secretVariables?: readonly (keyof z.output<Environment> & string)[];
	/**
	 * Starts the plugin's long-lived services once the bot is connected to Discord, after the plugins it
	 * requires; what it returns is what the handle's `services()` gives. Runs once until `stop`. A start that
	 * throws leaves the plugin not running (and its `stop` not called), so it undoes what it began itself.
	 */
	start?(context: PluginContext<Schema, Environment>): Services | Promise<Services>;
	/** Stops what `start` returned, before the plugins it requires stop; runs once per successful start. */
	stop?(context: PluginContext<Schema, Environment>, services: Services): void | Promise<void>;
}

/** Declares a plugin; the handle it returns is the default export of the plugin's `plugin.ts`. */
export function definePlugin<Schema extends z.ZodObject = z.ZodObject, Environment extends z.ZodObject = z.ZodObject, Services = undefined>(
	manifest: PluginManifest<Schema, Environment, Services>
): PluginHandle<Schema, Environment, Services> {
	return new PluginHandle(manifest);
}

export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * The names the core owns in guild config, piece names and storage; no plugin may take them. A plugin's own
 * storage is the namespace of its name, so a plugin named after one of the core's stores would read and write
 * the core's guild config, identity links, token revocations or command fingerprint.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
	'core',
	'plugins',
	'guild-config',
	'identity-links',
	'api-token-revocations',
	'command-registrations'
]);

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
	intents: z.array(z.number().int().nonnegative()).optional(),
	environment: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, { error: 'must be a zod object schema' }).optional(),
	secretVariables: z.array(z.string()).optional(),
	start: z.custom<PluginManifest['start']>((value) => typeof value === 'function', { error: 'must be a function' }).optional(),
	stop: z.custom<PluginManifest['stop']>((value) => typeof value === 'function', { error: 'must be a function' }).optional()
});

/**
 * Checks an untrusted default export; returns the problems in plain words, or the plugin's handle: the very
 * object `plugin.ts` exports when it comes from {@link definePlugin}, since the plugin's own code reads
 * through that one; a bare manifest object gets a handle of its own.
 */
export function validateManifest(value: unknown): { ok: true; manifest: PluginHandle } | { ok: false; problem: string } {
	const result = manifestSchema.safeParse(value);
	if (result.success) {
		const undeclared = (result.data.secretVariables ?? []).filter((name) => !Object.hasOwn(result.data.environment?.shape ?? {}, name));
		if (undeclared.length > 0) return { ok: false, problem: `secretVariables ${undeclared.join(', ')} must be declared in environment` };
		return { ok: true, manifest: value instanceof PluginHandle ? value : new PluginHandle(result.data) };
	}
	const problem = result.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'} ${issue.message}`).join('; ');
	return { ok: false, problem };
}
