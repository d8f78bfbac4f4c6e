import type { OperatorPolicy } from './operator-policy.js';

/**
 * The one check every link the bot shows members goes through (meeting join links, video watch
 * links): a join link carries the member's Kaltura session, so where it points decides who receives
 * that session. A link must be https, name no user or password (`https://kaf.kaltura.com@evil.example`
 * is a link to evil.example), carry no explicit port, and point at a host the operator listed in
 * KALTURA_LINK_HOSTS; and it may hold no character that could end or escape it inside markdown.
 * Admins' settings are checked when written; every built link again before it is shown.
 */

/** Thrown when a link built from a setting is refused at the moment it would be shown. */
export class LinkPolicyError extends Error {
	public constructor(
		public readonly setting: string,
		public readonly reason: string
	) {
		super(
			`The ${setting} setting of this server makes links the bot may not show: ${reason}. Someone with Manage Server can fix it with /config set or /config reset.`
		);
		this.name = 'LinkPolicyError';
	}
}

/**
 * Characters no link the bot shows needs, anywhere in it (path and query included): a link is put into
 * markdown (`[open the meeting](url)`), where `)` ends it early and `[label](https://evil.example/…` after it
 * opens a second link that inherits the rest, session included; `<`, `>`, quotes, whitespace and backslashes
 * end or escape a link the same way. Real links percent-encode them. Control characters are refused too,
 * since the URL parser drops or encodes them out of sight.
 */
const UNFIT_CHARACTER = /[\s\\()[\]<>"'`\p{Cc}]/u;

/** A refused character as the admin can recognise it in an error message: `")"`, or `a space`, `U+0009`. */
function describeCharacter(character: string): string {
	if (character === ' ') return 'a space';
	const point = character.codePointAt(0);
	return point !== undefined && /[\s\p{Cc}]/u.test(character) ? `U+${point.toString(16).toUpperCase().padStart(4, '0')}` : `"${character}"`;
}

/** The authority as written (`user@host:port`), before any parser normalises it away. */
const WRITTEN_AUTHORITY = /^https:\/\/([^/?#\\]*)/i;

/**
 * Why `url` may not be shown, or undefined when it may. Without `policy` only the shape is checked
 * (characters, https, no user name or password, no port): what the config schema can say without the environment.
 */
export function linkUrlProblem(url: string, policy?: Pick<OperatorPolicy, 'linkHosts'>): string | undefined {
	const unfit = UNFIT_CHARACTER.exec(url)?.[0];
	if (unfit !== undefined)
		return `a link may not contain spaces, quotes, backslashes, brackets, parentheses or angle brackets (it contains ${describeCharacter(unfit)})`;
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a valid URL';
	}
	if (parsed.protocol !== 'https:') return 'links must use https://';
	const written = WRITTEN_AUTHORITY.exec(url)?.[1]?.toLowerCase();
	if (written === undefined || written.includes('@') || parsed.username !== '' || parsed.password !== '')
		return 'links may not contain a user name or password (the part before "@")';
	if (written.includes(':')) return 'links may not name a port';
	// Anything the parser rewrote (percent-escapes, a trailing dot, Unicode) is not the host the admin appears to have written.
	if (written !== parsed.host || parsed.hostname.endsWith('.')) return `the host "${written}" is not written in its plain form`;
	if (policy !== undefined && !hostAllowed(parsed.hostname, policy.linkHosts)) {
		return `the host ${parsed.hostname} is not one the operator allows (KALTURA_LINK_HOSTS: ${policy.linkHosts.join(', ')})`;
	}
	return undefined;
}

/** Whether `host` is one of the operator's patterns: exact, or `*.domain` for any subdomain of domain (not domain itself). */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
	const name = host.toLowerCase();
	return patterns.some((pattern) =>
		pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern
	);
}

/** Example values the placeholders of a link template stand for, so a template can be checked as the URL it makes. */
const SAMPLE_VALUES: Readonly<Record<string, string>> = { entryId: '0_abcd1234' };

/**
 * Why a link template (`https://{partnerId}.kaf.kaltura.com`, `.../media/t/{entryId}`) makes links
 * that may not be shown: its placeholders are filled in (the partner id, sample ids) and the result checked.
 */
export function linkTemplateProblem(template: string, partnerId: number, policy?: Pick<OperatorPolicy, 'linkHosts'>): string | undefined {
	const filled = template
		.replaceAll('{partnerId}', String(partnerId))
		.replace(/\{(\w+)\}/g, (placeholder, name: string) => SAMPLE_VALUES[name] ?? placeholder);
	return linkUrlProblem(filled, policy);
}

/** The link itself when it may be shown; throws {@link LinkPolicyError} naming the setting it came from otherwise. */
export function checkedLink(url: string, setting: string, policy: Pick<OperatorPolicy, 'linkHosts'>): string {
	const problem = linkUrlProblem(url, policy);
	if (problem !== undefined) throw new LinkPolicyError(setting, problem);
	return url;
}
