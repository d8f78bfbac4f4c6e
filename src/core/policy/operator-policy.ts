import { container } from '@sapphire/framework';
import type { Environment } from '../env.js';

/**
 * The bounds the operator sets in the environment and no server admin can widen at run time: which
 * servers the bot serves, which Kaltura users members may be linked to, which Kaltura roles Discord
 * roles may map to, and which hosts join and watch links may point at.
 */
export interface OperatorPolicy {
	readonly partnerId: number;
	/** The servers the bot serves; undefined: every server that adds it. */
	readonly allowedGuildIds: ReadonlySet<string> | undefined;
	/** Whole-id pattern of the Kaltura users an admin may link a member to; undefined: none. */
	readonly linkableUserPattern: RegExp | undefined;
	/** The Kaltura roles an admin may map Discord roles (or the default) to. */
	readonly mappableRoles: readonly string[];
	/** Host patterns (`*.` for any subdomain, `{partnerId}` already filled in) join and watch links may point at. */
	readonly linkHosts: readonly string[];
	/** The Kaltura categories an admin may have the bot's live streams put in. */
	readonly liveCategoryIds: ReadonlySet<string>;
}

export type PolicyEnvironment = Pick<
	Environment,
	| 'KALTURA_PARTNER_ID'
	| 'ALLOWED_GUILD_IDS'
	| 'KALTURA_LINKABLE_USER_PATTERN'
	| 'KALTURA_MAPPABLE_ROLES'
	| 'KALTURA_LINK_HOSTS'
	| 'KALTURA_LIVE_CATEGORY_IDS'
>;

const cache = new WeakMap<PolicyEnvironment, OperatorPolicy>();

export function operatorPolicyFrom(env: PolicyEnvironment): OperatorPolicy {
	const cached = cache.get(env);
	if (cached !== undefined) return cached;
	const partnerId = String(env.KALTURA_PARTNER_ID);
	const policy: OperatorPolicy = {
		partnerId: env.KALTURA_PARTNER_ID,
		allowedGuildIds: env.ALLOWED_GUILD_IDS === undefined ? undefined : new Set(env.ALLOWED_GUILD_IDS),
		// Anchored here, whatever the operator wrote: `^a|b$` must not match any id containing "a".
		linkableUserPattern:
			env.KALTURA_LINKABLE_USER_PATTERN === undefined ? undefined : new RegExp(`^(?:${env.KALTURA_LINKABLE_USER_PATTERN})$`, 'u'),
		mappableRoles: env.KALTURA_MAPPABLE_ROLES.map((role) => role.toLowerCase()),
		linkHosts: env.KALTURA_LINK_HOSTS.map((host) => host.toLowerCase().replaceAll('{partnerid}', partnerId)),
		liveCategoryIds: new Set(env.KALTURA_LIVE_CATEGORY_IDS)
	};
	cache.set(env, policy);
	return policy;
}

/** The policy of the running bot, from the environment the core parsed at start-up. */
export function operatorPolicy(): OperatorPolicy {
	return operatorPolicyFrom(container.env);
}

export function isGuildAllowed(policy: OperatorPolicy, guildId: string): boolean {
	return policy.allowedGuildIds === undefined || policy.allowedGuildIds.has(guildId);
}

/** What a member or admin of a server outside ALLOWED_GUILD_IDS is told. */
export const GUILD_NOT_ALLOWED_MESSAGE =
	'This bot is not enabled for this server: its operator has not added the server to the list of servers it serves (ALLOWED_GUILD_IDS). Ask the bot’s operator to add it, or remove the bot.';
