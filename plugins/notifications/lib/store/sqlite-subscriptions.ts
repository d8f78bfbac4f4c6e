import type Database from 'better-sqlite3';
import type { NotificationType } from '../normalise.js';
import { wantsType, type Subscription, type SubscriptionInput } from './notification-store.js';
import { toSubscription, type SubscriptionRow } from './sqlite-rows.js';

/** The subscriptions of the SQLite notification store: one per channel, and the enabled ones kept at hand for every webhook. */
export class SqliteSubscriptions {
	readonly #db: Database.Database;
	readonly #enabledSubscriptions: Database.Statement<[], SubscriptionRow>;
	readonly #dataVersion: Database.Statement<[], number>;
	/**
	 * Enabled subscriptions, read once and kept until they change: every webhook needs them. Writes through
	 * this connection drop the copy; writes by another process on the same file are seen through
	 * `PRAGMA data_version`, which changes when another connection commits.
	 */
	#enabled: { readonly dataVersion: number; readonly subscriptions: readonly Subscription[] } | undefined;

	/** `db` is the store's connection, its schema already migrated. */
	public constructor(db: Database.Database) {
		this.#db = db;
		this.#enabledSubscriptions = db.prepare<[], SubscriptionRow>('SELECT * FROM subscriptions WHERE enabled = 1');
		this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
	}

	public subscribe(input: SubscriptionInput, now: number): Subscription | null {
		// Read and write in one transaction, so the subscription reported as replaced is the one that was.
		const replace = this.#db.transaction(() => {
			const previous = this.#db.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE channel_id = ?').get(input.channelId);
			this.#db
				.prepare(
					`INSERT INTO subscriptions (channel_id, guild_id, events, category_id, role_id, enabled, disabled_reason, updated_at)
					VALUES (?, ?, ?, ?, ?, 1, NULL, ?)
					ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, events = excluded.events, category_id = excluded.category_id,
						role_id = excluded.role_id, enabled = 1, disabled_reason = NULL, updated_at = excluded.updated_at`
				)
				.run(input.channelId, input.guildId, input.events.join(','), input.categoryId, input.roleId, now);
			return previous === undefined ? null : toSubscription(previous);
		});
		const previous = replace.immediate();
		this.#enabled = undefined;
		return previous;
	}

	public unsubscribe(guildId: string, channelId: string): boolean {
		const { changes } = this.#db.prepare('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?').run(guildId, channelId);
		this.#enabled = undefined;
		return changes === 1;
	}

	public subscriptionsOf(guildId: string): Subscription[] {
		return this.#db
			.prepare<[string], SubscriptionRow>('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY channel_id')
			.all(guildId)
			.map(toSubscription);
	}

	public enabledSubscriptionsFor(type: NotificationType): Subscription[] {
		const dataVersion = this.#dataVersion.get();
		if (dataVersion === undefined) throw new Error('SQLite answered PRAGMA data_version with no value.');
		if (this.#enabled?.dataVersion !== dataVersion) {
			this.#enabled = { dataVersion, subscriptions: this.#enabledSubscriptions.all().map(toSubscription) };
		}
		return this.#enabled.subscriptions.filter((subscription) => wantsType(subscription, type));
	}

	public disableSubscription(channelId: string, reason: string, now: number): boolean {
		const { changes } = this.#db
			.prepare('UPDATE subscriptions SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE channel_id = ? AND enabled = 1')
			.run(reason, now, channelId);
		this.#enabled = undefined;
		return changes === 1;
	}
}
