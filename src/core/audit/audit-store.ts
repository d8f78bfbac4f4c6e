import type { AuditAction, AuditEntry } from './audit-log.js';

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
