import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.js';
import type { SecretRedactor } from '../redactor.js';
import type { AuditEntry, AuditEntryInput, SearchableAuditLog } from './audit-log.js';
import { newAuditId } from './audit-ids.js';
import type { AuditQuery, AuditStore } from './audit-store.js';
import { MongoAuditStore } from './mongo-audit-store.js';
import { redactEntry } from './redact-entry.js';
import { SqliteAuditStore } from './sqlite-audit-store.js';

export const AUDIT_SQLITE_FILE = 'audit.sqlite';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How long shutdown waits for log channel posts still on their way. */
const POST_DRAIN_MS = 5_000;
/** How long `storeUp` waits for the store's answer: a hung MongoDB must not stall a Prometheus scrape (which gives up after 10 s by default). */
export const STORE_PING_TIMEOUT_MS = 2_000;

export interface DocumentAuditLogOptions {
	/** MongoDB when a URL is set, else `<DATA_DIR>/audit.sqlite`. */
	readonly location: { readonly DATA_DIR: string; readonly MONGODB_URL?: string | undefined };
	readonly retentionDays: number;
	readonly redactor: SecretRedactor;
	readonly logger: Logger;
	/** Posts an entry to a guild's log channel; a failure is logged, never thrown at the action. */
	readonly post?: (channelId: string, entry: AuditEntry) => Promise<void>;
	/** How often old entries are deleted; hourly by default. */
	readonly sweepIntervalMs?: number;
	/** Opens the store; from `location` by default (tests hand in their own). */
	readonly openStore?: () => Promise<AuditStore>;
	readonly now?: () => number;
}

/**
 * The audit log on the document store. The store is opened on first use, so a bot whose admins never act
 * leaves no file behind; a failed opening (MongoDB down) is forgotten and tried again next time.
 * Recording redacts first, writes, then posts to the guild's log channel without waiting for Discord.
 */
export class DocumentAuditLog implements SearchableAuditLog {
	readonly #options: DocumentAuditLogOptions;
	readonly #now: () => number;
	readonly #sweeper: NodeJS.Timeout;
	readonly #posts = new Set<Promise<void>>();
	#store: Promise<AuditStore> | undefined;
	#closed = false;

	public constructor(options: DocumentAuditLogOptions) {
		this.#options = options;
		this.#now = options.now ?? Date.now;
		// Unref'd: the sweep never keeps a stopping process alive.
		this.#sweeper = setInterval(() => void this.sweep(), options.sweepIntervalMs ?? HOUR_MS).unref();
	}

	/** `<DATA_DIR>/audit.sqlite` */
	public static sqliteFile(dataDirectory: string): string {
		return join(dataDirectory, AUDIT_SQLITE_FILE);
	}

	public async record(input: AuditEntryInput): Promise<void> {
		let entry: AuditEntry | undefined;
		try {
			const redacted = redactEntry(input, this.#options.redactor);
			const at = this.#now();
			entry = { ...redacted, id: newAuditId(at), at, outcome: redacted.outcome ?? 'ok' };
			await (await this.#open()).insert(entry);
		} catch (error) {
			// The action already happened: a store that is down must not undo it or fail its reply.
			this.#options.logger.warn(`The audit log could not record ${input.action} in guild ${input.guildId}: ${describe(error)}`);
			return;
		}
		this.#postToLogChannel(entry);
	}

	public async list(query: AuditQuery): Promise<AuditEntry[]> {
		return (await this.#open()).list(query);
	}

	public async logChannelOf(guildId: string): Promise<string | null> {
		return (await this.#open()).logChannelOf(guildId);
	}

	public async setLogChannel(guildId: string, channelId: string | null): Promise<void> {
		await (await this.#open()).setLogChannel(guildId, channelId, this.#now());
	}

	/**
	 * Deletes entries older than the retention, in batches. Skipped while no SQLite file exists (nothing to
	 * delete, and no file to create); a failure is logged and the next sweep tries again.
	 */
	public async sweep(): Promise<number> {
		if (this.#closed) return 0;
		const { location } = this.#options;
		if (this.#store === undefined && location.MONGODB_URL === undefined && !existsSync(DocumentAuditLog.sqliteFile(location.DATA_DIR))) return 0;
		try {
			const deleted = await (await this.#open()).prune(this.#now() - this.#options.retentionDays * DAY_MS);
			if (deleted > 0) this.#options.logger.info(`Audit log: ${deleted} entries older than ${this.#options.retentionDays} days deleted.`);
			return deleted;
		} catch (error) {
			this.#options.logger.warn(`Audit log: old entries could not be deleted: ${describe(error)}`);
			return 0;
		}
	}

	/**
	 * Whether the document store answers, for the `storage_up` gauge: its `ping`, bounded by `timeoutMs`; false on a timeout or
	 * an error, never a throw. While the store is SQLite and its file does not exist yet (no admin has acted), the file is not
	 * created just to answer: the answer is then whether DATA_DIR is a directory the bot can write the file into.
	 */
	public async storeUp(timeoutMs = STORE_PING_TIMEOUT_MS): Promise<boolean> {
		if (this.#closed) return false;
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs).unref()));
		const answered = this.#ping().then(
			() => true,
			() => false
		);
		try {
			return await Promise.race([answered, timedOut]);
		} finally {
			clearTimeout(timer);
		}
	}

	async #ping(): Promise<void> {
		const { location, openStore } = this.#options;
		const sqliteFile = DocumentAuditLog.sqliteFile(location.DATA_DIR);
		if (this.#store === undefined && openStore === undefined && location.MONGODB_URL === undefined && !existsSync(sqliteFile)) {
			if (!(await stat(location.DATA_DIR)).isDirectory()) throw new Error(`DATA_DIR ${location.DATA_DIR} is not a directory`);
			await access(location.DATA_DIR, constants.W_OK);
			return;
		}
		await (await this.#open()).ping();
	}

	/** Resolves when every log channel post started so far has finished (tests, shutdown). */
	public async settled(): Promise<void> {
		while (this.#posts.size > 0) await Promise.allSettled([...this.#posts]);
	}

	public async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#sweeper);
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.settled(), new Promise((resolve) => (timer = setTimeout(resolve, POST_DRAIN_MS).unref()))]);
		clearTimeout(timer);
		const store = this.#store;
		this.#store = undefined;
		await (await store?.catch(() => undefined))?.close();
	}

	#open(): Promise<AuditStore> {
		if (this.#closed) return Promise.reject(new Error('the audit log is closed'));
		if (this.#store === undefined) {
			const { location, openStore } = this.#options;
			const opening =
				openStore?.() ??
				(location.MONGODB_URL === undefined
					? new Promise<AuditStore>((resolve) => resolve(new SqliteAuditStore(DocumentAuditLog.sqliteFile(location.DATA_DIR))))
					: MongoAuditStore.connect(location.MONGODB_URL));
			this.#store = opening;
			opening.then(
				// A bot restarted more often than the sweep's interval still gets its old entries deleted.
				() => setImmediate(() => void this.sweep()),
				() => {
					if (this.#store === opening) this.#store = undefined;
				}
			);
		}
		return this.#store;
	}

	#postToLogChannel(entry: AuditEntry): void {
		const { post, logger } = this.#options;
		if (post === undefined) return;
		const posting = (async () => {
			const channelId = await (await this.#open()).logChannelOf(entry.guildId);
			if (channelId !== null) await post(channelId, entry);
		})()
			.catch((error: unknown) => {
				logger.warn(`The audit entry ${entry.action} of guild ${entry.guildId} could not be posted to its log channel: ${describe(error)}`);
			})
			.finally(() => this.#posts.delete(posting));
		this.#posts.add(posting);
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
