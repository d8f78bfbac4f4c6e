import type { AuditAction, AuditEntry, AuditSource } from './audit-log.js';

/** Which entries of one guild to read: newest first, optionally by one member or one action, older than a cursor. */
export interface AuditQuery {
	readonly guildId: string;
	readonly actorId?: string | undefined;
	readonly action?: AuditAction | undefined;
	/** Only entries older than this one (an entry id) or than this time (milliseconds since the epoch). */
	readonly before?: AuditCursor | undefined;
	/** At most this many entries. */
	readonly limit: number;
	/** Entries skipped first (the pages of `/audit list`). */
	readonly offset?: number | undefined;
}

export type AuditCursor = { readonly id: string } | { readonly at: number };

/**
 * Where audit entries are kept: an embedded SQLite file or MongoDB. One contract for both
 * (tests/integration/storage/audit-store-contract.test.ts); the entries come already redacted.
 */
export interface AuditStore {
	readonly kind: 'sqlite' | 'mongodb';
	insert(entry: AuditEntry): Promise<void>;
	/** Newest first (by time, then by id, which grows with time). */
	list(query: AuditQuery): Promise<AuditEntry[]>;
	/** Deletes entries recorded before `before`, in batches; returns how many went. */
	prune(before: number): Promise<number>;
	/** The channel a guild's new entries are posted to, if it chose one. */
	logChannelOf(guildId: string): Promise<string | null>;
	setLogChannel(guildId: string, channelId: string | null, now?: number): Promise<void>;
	close(): Promise<void>;
}

/** Rows or documents deleted per batch when pruning. */
export const AUDIT_PRUNE_BATCH = 1_000;

/** An entry as both stores keep it: snake-case columns, null for what is absent, `changes` as JSON text. */
export interface StoredAuditEntry {
	id: string;
	guild_id: string;
	actor_id: string;
	source: string;
	action: string;
	target: string | null;
	/** JSON text: changes are keyed by dotted config keys, which MongoDB field names handle badly. */
	changes: string | null;
	outcome: string;
	detail: string | null;
	at: number;
}

export function storedFromEntry(entry: AuditEntry): StoredAuditEntry {
	return {
		id: entry.id,
		guild_id: entry.guildId,
		actor_id: entry.actorId,
		source: entry.source,
		action: entry.action,
		target: entry.target ?? null,
		changes: entry.changes === undefined ? null : JSON.stringify(entry.changes),
		outcome: entry.outcome,
		detail: entry.detail ?? null,
		at: entry.at
	};
}

export function entryFromStored(stored: StoredAuditEntry): AuditEntry {
	return {
		id: stored.id,
		at: stored.at,
		guildId: stored.guild_id,
		actorId: stored.actor_id,
		source: stored.source as AuditSource,
		action: stored.action as AuditAction,
		outcome: stored.outcome === 'refused' ? 'refused' : 'ok',
		...(stored.target === null ? {} : { target: stored.target }),
		...(stored.changes === null ? {} : { changes: JSON.parse(stored.changes) as Record<string, unknown> }),
		...(stored.detail === null ? {} : { detail: stored.detail })
	};
}
