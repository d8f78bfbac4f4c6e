import { container } from '@sapphire/framework';
import type { AuditSource } from '../audit/audit-log.js';
import { ConfigValidationError } from '../config/guild-config-schema.js';
import { PluginNotLoadedError, UnknownConfigKeyError } from '../config/guild-config-service.js';
import { ConfigPathError } from '../config/object-path.js';
import { ConfigRequirementError } from '../config/plugin-requirements.js';
import { configRefusalReply, unknownKeyReply } from '../discord/config-replies.js';
import { auditConfigRefusal, ConfigPolicyError } from '../policy/runtime-config-check.js';
import { UserFacingError } from './user-facing-error.js';

/** Who writes a guild's config, for the audit log. */
export interface ConfigActor {
	readonly guildId: string;
	readonly actorId: string;
	readonly source: AuditSource;
}

/**
 * A refused config write (`/config`, the config API) as what its user reads: a key that is not a setting (with the
 * keys that are), a plugin not loaded, a path that cannot be one, or what the new config would break. A refusal
 * of the operator's policy is audited here, once. Anything else is returned as it was.
 */
export async function configRefusal(error: unknown, actor: ConfigActor): Promise<unknown> {
	if (error instanceof UnknownConfigKeyError) {
		const config = await container.guildConfig.resolve(actor.guildId);
		return new UserFacingError('invalid_config', unknownKeyReply(error.path, config), { status: 422, apiMessage: error.message });
	}
	if (error instanceof PluginNotLoadedError) return new UserFacingError('not_loaded', error.message, { status: 409 });
	if (error instanceof ConfigPathError) return new UserFacingError('invalid_config', error.message, { status: 422 });
	if (error instanceof ConfigPolicyError) await auditConfigRefusal(error, actor);
	// The same codes as PUT /plugins/:name: a write that breaks a plugin's requirement is refused like the switch.
	if (error instanceof ConfigRequirementError)
		return new UserFacingError(error.code, configRefusalReply(error), { status: 409, apiMessage: `${error.message}.`, details: error.issues });
	if (error instanceof ConfigValidationError)
		return new UserFacingError('invalid_config', configRefusalReply(error), {
			status: 422,
			apiMessage: `The configuration would not be valid: ${error.message}.`,
			details: error.issues
		});
	return error;
}

/** Runs a config write, its refusals thrown as {@link UserFacingError} (see {@link configRefusal}). */
export async function withConfigRefusals<T>(actor: ConfigActor, write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		throw await configRefusal(error, actor);
	}
}
