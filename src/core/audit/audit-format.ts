import { escapeText, truncate, truncateMarkdown } from '../discord/markdown.js';
import type { AuditEntry } from './audit-log.js';

const SNOWFLAKE = /^\d{17,20}$/;
/** Longest line of `/audit list` and of a log channel post: ten fit an embed's 4,096 characters. */
export const AUDIT_LINE_LIMIT = 380;
const VALUE_LIMIT = 60;

/**
 * Text an admin, a member or a Kaltura payload chose (a config value, a meeting title), made inert: on one
 * line, every markdown character escaped by `escapeText` (masked links and `<url>` links included, which
 * discord.js's escapeMarkdown leaves alone, so `[Audit: re-verify here](https://evil.example)` stays text),
 * and mentions broken by a zero-width space, so a value cannot format the line, link anywhere, ping anyone
 * or pose as another entry.
 */
function inert(text: string): string {
	return escapeText(
		text
			.replace(/[\r\n]+/g, ' ')
			.replaceAll('@', '@\u200b')
			.replaceAll('<', '<\u200b')
	);
}

/** Cuts text before it is escaped, between whole characters. */
function cut(text: string, limit: number): string {
	return truncate(text, limit);
}

function shortValue(value: unknown): string {
	if (value === null || value === undefined) return '(none)';
	return cut(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)), VALUE_LIMIT);
}

const isChange = (value: unknown): value is { before?: unknown; after?: unknown } =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && ('before' in value || 'after' in value);

const describeChange = (change: { before?: unknown; after?: unknown }) => `${shortValue(change.before)} → ${shortValue(change.after)}`;

/** What the entry acted on, as a mention where the target is a role, channel or member, else as text. */
function describeTarget(entry: AuditEntry): string {
	const { target, action } = entry;
	if (target === undefined) return '';
	if (SNOWFLAKE.test(target)) {
		if (action.startsWith('role-mapping.')) return `<@&${target}>`;
		if (action.startsWith('notifications.subscribe') || action.startsWith('notifications.unsubscribe') || action === 'audit.channel-set')
			return `<#${target}>`;
		if (action.startsWith('identity.')) return `<@${target}>`;
	}
	return inert(cut(target, VALUE_LIMIT));
}

/** `before → after` when the change has both, else `field: value` pairs; the detail sentence after. */
export function summariseChanges(entry: Pick<AuditEntry, 'changes' | 'detail' | 'target'>): string {
	const parts: string[] = [];
	const { changes } = entry;
	if (changes !== undefined) {
		if ('before' in changes || 'after' in changes) parts.push(describeChange(changes));
		else {
			// The key the line already names as its target is not repeated.
			const described = Object.entries(changes).map(
				([key, value]) =>
					`${key === entry.target ? '' : `${cut(key, VALUE_LIMIT)}: `}${isChange(value) ? describeChange(value) : shortValue(value)}`
			);
			parts.push(described.join(', '));
		}
	}
	if (entry.detail !== undefined) parts.push(entry.detail);
	return inert(cut(parts.filter((part) => part !== '').join('; '), 200));
}

/** One entry on one line: when (relative, or full for the log channel), who, what, on what, what changed. */
export function formatAuditLine(entry: AuditEntry, timeStyle: 'R' | 'f' = 'R'): string {
	const target = describeTarget(entry);
	const summary = summariseChanges(entry);
	const line = [
		`<t:${Math.floor(entry.at / 1000)}:${timeStyle}>`,
		SNOWFLAKE.test(entry.actorId) ? `<@${entry.actorId}>` : inert(cut(entry.actorId, VALUE_LIMIT)),
		`\`${entry.action}\`${entry.outcome === 'refused' ? ' (refused)' : ''}`,
		target === '' ? '' : `→ ${target}`,
		summary === '' ? '' : `— ${summary}`
	]
		.filter((part) => part !== '')
		.join(' ');
	// The line is markdown by now: cut so that no escape is left to swallow the ellipsis.
	return truncateMarkdown(line, AUDIT_LINE_LIMIT);
}
