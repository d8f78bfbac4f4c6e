import { z } from 'zod';
import { commaList, isValidRegExp, optional, withDefault } from './schema-parts.js';

/** The operator's bounds on what servers' admins may choose: linkable users, mappable roles, link hosts, live categories. */
export const operatorPolicyVariables = {
	/**
	 * Kaltura user ids an admin may link a member to, as a regular expression matched against the whole id.
	 * Unset: none (members are always their derived `discord_<id>` user).
	 */
	KALTURA_LINKABLE_USER_PATTERN: optional(
		z.string().refine(isValidRegExp, { error: 'must be a regular expression, such as ^[a-z]+@example\\.edu$' })
	),
	/** The Kaltura roles a server's admin may map Discord roles to; `admin` only when listed. */
	KALTURA_MAPPABLE_ROLES: withDefault(
		commaList(
			z
				.array(
					z
						.string()
						.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'must list Kaltura role names (letters, digits, . _ -), separated by commas' })
				)
				.min(1, { error: 'must list at least one Kaltura role' })
		),
		'viewer,moderator'
	),
	/**
	 * Hosts join and watch links may point at, comma-separated; `*.` allows any subdomain and `{partnerId}` is
	 * filled in. Links are always https with no user name or password.
	 */
	KALTURA_LINK_HOSTS: withDefault(
		commaList(
			z
				.array(
					z.string().regex(/^(\*\.)?([a-z0-9{}-]+\.)*[a-z0-9{}-]+$/, {
						error: 'must list host names such as {partnerId}.kaf.kaltura.com or *.example.edu'
					})
				)
				.min(1, { error: 'must list at least one host' }),
			{ lowercase: true }
		),
		'{partnerId}.kaf.kaltura.com,{partnerId}.mediaspace.kaltura.com'
	),
	/**
	 * The Kaltura categories a server's admin may have live streams put in (`meetings.liveCategoryId`); none by
	 * default. A category decides which category-limited notification subscriptions, and which MediaSpace
	 * channels, see the stream, so a server must not pick another's.
	 */
	KALTURA_LIVE_CATEGORY_IDS: withDefault(
		commaList(z.array(z.string().regex(/^\d{1,15}$/, { error: 'must list Kaltura category ids (digits), separated by commas' }))),
		''
	)
};
