import { container } from '@sapphire/framework';

/**
 * Discord gives an autocomplete interaction 3 seconds for its answer (discord-api-docs
 * developers/interactions/receiving-and-responding.mdx: "Interaction tokens are valid for 15 minutes, but
 * the initial response must be sent within 3 seconds"), and an autocomplete cannot be deferred. 2.5 s
 * leaves room for the answer's own trip to Discord.
 */
export const AUTOCOMPLETE_BUDGET_MS = 2_500;

export interface TimelyAutocompleteOptions {
	/** How long the answer may wait for a load (ms, from `startedAt`). Default AUTOCOMPLETE_BUDGET_MS. */
	readonly budgetMs?: number;
	/** How long a load is served without a new one (ms). Default 10 s: a burst of keystrokes. */
	readonly freshMs?: number;
	/** How long a load may still be served, while a new one runs in the background (ms). Default 5 min. */
	readonly keepMs?: number;
	/** Keys (servers) kept at most; the least recently loaded go first. Default 1,000. */
	readonly maxKeys?: number;
	/** Told of every failed load, including those that fail after the answer was sent. Default: a debug log line. */
	readonly onError?: (key: string, error: unknown) => void;
}

const OUT_OF_TIME = Symbol('out of time');

interface Entry<T> {
	value?: T;
	loadedAt?: number;
	loading?: Promise<T>;
}

/** What an autocomplete can answer with: the value (and whether it is older than `freshMs`), or nothing in time. */
export type TimelyAnswer<T> = { readonly value: T; readonly stale: boolean } | undefined;

/**
 * Answers autocomplete from a slow source (Kaltura) in time. Each key (a server) keeps its last load: within
 * `freshMs` it is the answer at once (a burst of keystrokes costs one load); after that a new load is waited
 * for only until the budget runs out, and then the last load (up to `keepMs` old) is the answer, or, with
 * none, nothing (the caller answers an honest empty list). The load goes on in the background either way
 * and fills the cache for the next keystroke. One load per key at a time, however many keystrokes ask.
 */
export class TimelyAutocomplete<T> {
	readonly #load: (key: string) => Promise<T>;
	readonly #budgetMs: number;
	readonly #freshMs: number;
	readonly #keepMs: number;
	readonly #maxKeys: number;
	readonly #onError: (key: string, error: unknown) => void;
	readonly #entries = new Map<string, Entry<T>>();

	public constructor(load: (key: string) => Promise<T>, options: TimelyAutocompleteOptions = {}) {
		this.#load = load;
		this.#budgetMs = options.budgetMs ?? AUTOCOMPLETE_BUDGET_MS;
		this.#freshMs = options.freshMs ?? 10_000;
		this.#keepMs = options.keepMs ?? 5 * 60_000;
		this.#maxKeys = options.maxKeys ?? 1_000;
		this.#onError = options.onError ?? ((key, error) => container.logger.debug(`Autocomplete: loading suggestions for ${key} failed:`, error));
	}

	/**
	 * The value for `key`, within the budget counted from `startedAt` (when the interaction's handling began,
	 * so the time already spent counts): the last load while it is fresh; else a new load if it comes in
	 * time, or failing that the last one while it is kept (`stale`). Nothing (undefined) when none of these
	 * is there in time. A load that fails within the budget, with nothing kept to fall back on, rejects;
	 * every failure is also reported to `onError`.
	 */
	public async get(key: string, startedAt = Date.now()): Promise<TimelyAnswer<T>> {
		const now = Date.now();
		const entry = this.#entries.get(key) ?? {};
		const age = entry.loadedAt === undefined ? Number.POSITIVE_INFINITY : now - entry.loadedAt;
		if (entry.value !== undefined && age <= this.#freshMs) return { value: entry.value, stale: false };
		const kept: TimelyAnswer<T> = entry.value !== undefined && age <= this.#keepMs ? { value: entry.value, stale: true } : undefined;
		const loading = this.#refresh(key, entry);
		const left = startedAt + this.#budgetMs - now;
		if (left <= 0) return kept;
		let timer: NodeJS.Timeout | undefined;
		const outOfTime = new Promise<typeof OUT_OF_TIME>((resolve) => {
			timer = setTimeout(() => resolve(OUT_OF_TIME), left);
		});
		try {
			const value = await Promise.race([loading, outOfTime]);
			return value === OUT_OF_TIME ? kept : { value, stale: false };
		} catch (error) {
			if (kept !== undefined) return kept;
			throw error;
		} finally {
			clearTimeout(timer);
		}
	}

	/** Forgets what was loaded for `key` (it changed here, e.g. a meeting was started through the bot). */
	public forget(key: string): void {
		const entry = this.#entries.get(key);
		if (entry?.loading === undefined) this.#entries.delete(key);
		else delete entry.value;
	}

	/** The running load of `key`, or a new one; its result goes into the cache whoever waits for it. */
	#refresh(key: string, entry: Entry<T>): Promise<T> {
		if (entry.loading !== undefined) return entry.loading;
		const loading = this.#load(key).then((value) => {
			entry.value = value;
			entry.loadedAt = Date.now();
			return value;
		});
		entry.loading = loading;
		// Nobody may be waiting any more (the budget ran out, a cached value was served): a failure is reported, never left unhandled.
		loading
			.catch((error: unknown) => this.#onError(key, error))
			.finally(() => {
				if (entry.loading === loading) delete entry.loading;
			});
		// Most recently loaded last, so the oldest key is the first to go.
		this.#entries.delete(key);
		this.#entries.set(key, entry);
		while (this.#entries.size > this.#maxKeys) {
			const oldest = this.#entries.keys().next().value;
			if (oldest === undefined) break;
			this.#entries.delete(oldest);
		}
		return loading;
	}
}

const perOwner = new WeakMap<object, TimelyAutocomplete<unknown>>();

/**
 * The TimelyAutocomplete of `owner` (a command piece), made on first use with `load` and `options`: the cache
 * lives as long as the piece, and a reloaded piece starts afresh.
 */
export function timelyAutocompleteOf<T>(
	owner: object,
	load: (key: string) => Promise<T>,
	options?: TimelyAutocompleteOptions
): TimelyAutocomplete<T> {
	// One owner (a command piece) always asks with the same `load`, so what it stored is of its own T; the map,
	// shared by every owner, can only hold them as TimelyAutocomplete<unknown>.
	let found = perOwner.get(owner) as TimelyAutocomplete<T> | undefined;
	if (found === undefined) {
		found = new TimelyAutocomplete(load, options);
		perOwner.set(owner, found);
	}
	return found;
}
