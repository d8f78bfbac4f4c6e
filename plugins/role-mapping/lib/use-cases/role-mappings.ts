import { container } from '@sapphire/framework';
import {
	auditConfigRefusal,
	type AuditSource,
	ConfigPolicyError,
	configRefusalReply,
	ConfigValidationError,
	operatorPolicy,
	UserFacingError
} from '#sdk';
import roleMapping from '../../plugin.js';
import { roleMappingSettings } from '../resolve-kaltura-role.js';

/** Who changes a guild's role mappings, for the audit log. */
export interface RoleMappingActor {
	readonly guildId: string;
	readonly actorId: string;
	readonly source: AuditSource;
}

/**
 * A refused write, once for every way in: a policy refusal is audited, and both kinds are told as every config
 * write tells them (the key is not repeated: the member picked a role, not a key); the API keeps its own codes.
 */
async function refusalOf(error: unknown, actor: RoleMappingActor): Promise<unknown> {
	if (error instanceof ConfigPolicyError) {
		await auditConfigRefusal(error, actor);
		return new UserFacingError('role_not_allowed', configRefusalReply(error, { keys: false }), {
			status: 422,
			apiMessage: `The operator does not allow this mapping (allowed Kaltura roles: ${operatorPolicy().mappableRoles.join(', ')}).`,
			details: error.issues
		});
	}
	if (error instanceof ConfigValidationError)
		return new UserFacingError('invalid_config', configRefusalReply(error, { keys: false }), {
			status: 422,
			apiMessage: `The role mapping would not be valid: ${error.message}.`,
			details: error.issues
		});
	return error;
}

/** Runs a write of the plugin's settings, its refusals thrown as {@link UserFacingError}. */
async function write<T>(actor: RoleMappingActor, change: () => Promise<T>): Promise<T> {
	try {
		return await change();
	} catch (error) {
		throw await refusalOf(error, actor);
	}
}

/** Members with the Discord role get this Kaltura role (unless a higher mapped role of theirs says otherwise). */
export async function mapRole(actor: RoleMappingActor, roleId: string, kalturaRole: string): Promise<void> {
	const before = (await roleMappingSettings(actor.guildId)).mappings[roleId] ?? null;
	await write(actor, () => container.guildConfig.set(actor.guildId, `${roleMapping.name}.mappings.${roleId}`, kalturaRole));
	await container.audit.record({ ...actor, action: 'role-mapping.set', target: roleId, changes: { before, after: kalturaRole } });
}

/**
 * What unmapping did: nothing when the role was not mapped; otherwise what it maps to now, which is still a role
 * when the server's configuration file maps it (a runtime change cannot remove that).
 */
export type Unmapped = { readonly wasMapped: false } | { readonly wasMapped: true; readonly fileMapping: string | undefined };

export async function unmapRole(actor: RoleMappingActor, roleId: string): Promise<Unmapped> {
	const before = await roleMappingSettings(actor.guildId);
	if (!Object.hasOwn(before.mappings, roleId)) return { wasMapped: false };
	await write(actor, () => container.guildConfig.reset(actor.guildId, `${roleMapping.name}.mappings.${roleId}`));
	const after = await roleMappingSettings(actor.guildId);
	await container.audit.record({
		...actor,
		action: 'role-mapping.remove',
		target: roleId,
		changes: { before: before.mappings[roleId] ?? null, after: after.mappings[roleId] ?? null }
	});
	return { wasMapped: true, fileMapping: Object.hasOwn(after.mappings, roleId) ? after.mappings[roleId] : undefined };
}

/** Members with no mapped role get this Kaltura role. */
export async function setDefaultRole(actor: RoleMappingActor, kalturaRole: string): Promise<void> {
	const before = (await roleMappingSettings(actor.guildId)).defaultRole;
	await write(actor, () => container.guildConfig.set(actor.guildId, `${roleMapping.name}.defaultRole`, kalturaRole));
	await container.audit.record({ ...actor, action: 'role-mapping.default', target: 'defaultRole', changes: { before, after: kalturaRole } });
}

/** Replaces the mappings changed at run time (those of the server's configuration file stay). */
export async function replaceRoleMappings(
	actor: RoleMappingActor,
	replacement: { readonly defaultRole?: string | undefined; readonly mappings: Readonly<Record<string, string>> }
): Promise<void> {
	await write(actor, async () => {
		const before = await container.guildConfig.runtimeOverride(actor.guildId);
		await container.guildConfig.set(actor.guildId, roleMapping.name, replacement);
		await container.audit.record({
			...actor,
			action: 'role-mapping.set',
			target: roleMapping.name,
			changes: { before: before[roleMapping.name] ?? null, after: replacement }
		});
	});
}
