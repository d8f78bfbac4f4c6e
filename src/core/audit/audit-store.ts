import { AUDIT_ACTIONS, AUDIT_SOURCES, type AuditAction, type AuditEntry } from './audit-log.js';

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
	/** Resolves when the store answers a trivial request (MongoDB's `ping`, SQLite's `SELECT 1`), rejects otherwise; reads no entry. */
	ping(): Promise<void>;
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
		source: knownValue(AUDIT_SOURCES, stored.source, 'source', stored.id),
		action: knownValue(AUDIT_ACTIONS, stored.action, 'action', stored.id),
		outcome: stored.outcome === 'refused' ? 'refused' : 'ok',
		...(stored.target === null ? {} : { target: stored.target }),
		...(stored.changes === null ? {} : { changes: storedChanges(stored.changes, stored.id) }),
		...(stored.detail === null ? {} : { detail: stored.detail })
	};
}

/** A stored source or action as its type; one this version does not know (a newer version wrote it) is named in the error. */
function knownValue<T extends string>(known: readonly T[], value: string, field: string, id: string): T {
	const found = known.find((each) => each === value);
	if (found === undefined) throw new Error(`Audit entry ${id} has a ${field} this version does not know: ${JSON.stringify(value)}`);
	return found;
}

/** The `changes` column read back: the JSON text of an object, as `storedFromEntry` wrote it. */
function storedChanges(text: string, id: string): Record<string, unknown> {
	const changes: unknown = JSON.parse(text);
	if (!isRecord(changes)) throw new Error(`Audit entry ${id} has changes that are not a JSON object`);
	return changes;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
