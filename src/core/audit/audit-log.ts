/**
 * The audit log: every admin action (and every refusal the operator's policy makes) recorded once,
 * with who, when, where and what changed. Callers describe the action; the log stores it with the
 * time and redacts secrets from `changes` before anything is written.
 */
import type { AuditQuery } from './audit-store.js';

/** What was done. Dotted `<area>.<verb>`; add a member here when a new admin action appears. */
export const AUDIT_ACTIONS = [
	'plugin.enable',
	'plugin.disable',
	'config.set',
	'config.reset',
	'role-mapping.set',
	'role-mapping.remove',
	'role-mapping.default',
	'identity.link',
	'identity.unlink',
	'kaltura-sync.run',
	'api-token.issue',
	'api-token.revoke',
	'meeting.start',
	'meeting.end',
	'notifications.subscribe',
	'notifications.unsubscribe',
	'notifications.template-set',
	'notifications.template-reset',
	'audit.channel-set',
	'policy.refused'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
	return AUDIT_ACTIONS.some((action) => action === value);
}

/** Where the action came from. */
export const AUDIT_SOURCES = ['command', 'component', 'api', 'system'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

export interface AuditEntryInput {
	readonly guildId: string;
	/** The Discord user who acted (for the API: the token's subject). */
	readonly actorId: string;
	readonly source: AuditSource;
	readonly action: AuditAction;
	/** What it acted on: a plugin name, a config key, a role or member id, a meeting id, a channel id. */
	readonly target?: string;
	/** What changed (`{ before, after }` or the fields set); secrets are redacted by the log before storing. */
	readonly changes?: Readonly<Record<string, unknown>>;
	/** `refused` for operator-policy refusals; `ok` otherwise. */
	readonly outcome?: 'ok' | 'refused';
	/** A sentence for people: why it was refused, or what it did. */
	readonly detail?: string;
}

export interface AuditEntry extends Required<Pick<AuditEntryInput, 'guildId' | 'actorId' | 'source' | 'action'>> {
	readonly id: string;
	/** Milliseconds since the epoch. */
	readonly at: number;
	readonly target?: string;
	readonly changes?: Readonly<Record<string, unknown>>;
	readonly outcome: 'ok' | 'refused';
	readonly detail?: string;
}

export interface AuditLog {
	/**
	 * Records one entry. Never throws: an audit store that is down is logged as a warning and must not
	 * undo or block the action it describes (which has already happened).
	 */
	record(entry: AuditEntryInput): Promise<void>;
}

/** Which entries to read; see {@link SearchableAuditLog.list}. */
export type { AuditCursor, AuditQuery } from './audit-store.js';

/**
 * The audit log the core runs on: it can also be read (`/audit list`, the API) and tells where a guild's
 * entries are posted. Reads and the log channel's setting throw when the store is down; only `record` never does.
 */
export interface SearchableAuditLog extends AuditLog {
	/** Newest first. */
	list(query: AuditQuery): Promise<AuditEntry[]>;
	logChannelOf(guildId: string): Promise<string | null>;
	setLogChannel(guildId: string, channelId: string | null): Promise<void>;
}

/** Whether this audit log can be read (a stand-in that only records cannot). */
export function isSearchable(log: AuditLog): log is SearchableAuditLog {
	return (
		'list' in log &&
		typeof log.list === 'function' &&
		'logChannelOf' in log &&
		typeof log.logChannelOf === 'function' &&
		'setLogChannel' in log &&
		typeof log.setLogChannel === 'function'
	);
}
