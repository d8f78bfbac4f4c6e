import { container } from '@sapphire/framework';
import { isServedGuild } from '#sdk';
import type { Client, Guild } from 'discord.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { enabledSettings } from './enabled-settings.js';
import { isPassDue } from './pass-schedule.js';
import type { PassTrigger } from './pass-types.js';
import { ReconciliationPass } from './reconciliation-pass.js';
import type { UserSyncSettings } from './user-sync-settings.js';
import type { UserSyncStore } from './user-sync-store.js';

/** How often the schedule looks for guilds whose periodic pass is due. */
export const SCHEDULE_TICK_MS = 60_000;

/** Whether this process runs the guild's periodic pass for the interval starting now. */
export type PassClaim = (guildId: string, intervalMs: number) => Promise<boolean>;

/** The pass of the guild, and whether this call started it (false: one was already running). */
export interface StartOutcome {
	readonly started: boolean;
	readonly pass: ReconciliationPass;
}

/**
 * The plugin's state while it runs: its store, one limiter per guild, the passes running now (one per
 * guild) and the periodic schedule. Made by the plugin's start hook ({@link startUserSync}); the command and
 * the listeners reach it through the plugin's `services()`.
 */
export class UserSyncService {
	/** On the bot's own backend; the core closes it on shutdown. */
	public readonly store: UserSyncStore;
	readonly #client: Client;
	readonly #plugin: string;
	readonly #running = new Map<string, ReconciliationPass>();
	readonly #limiters = new Map<string, ConcurrencyLimiter>();
	readonly #abort = new AbortController();
	readonly #claimPass: PassClaim;
	#schedule: NodeJS.Timeout | undefined;
	#ticking = false;

	/** `plugin` is the plugin's name, whose switch a pass asks between batches; `claimPass` decides which process runs a due pass. */
	public constructor(client: Client, store: UserSyncStore, plugin: string, claimPass: PassClaim = () => Promise.resolve(true)) {
		this.#client = client;
		this.store = store;
		this.#plugin = plugin;
		this.#claimPass = claimPass;
	}

	/** The guild's limiter, at the guild's current `concurrency`. */
	public limiterFor(guildId: string, concurrency: number): ConcurrencyLimiter {
		let limiter = this.#limiters.get(guildId);
		if (limiter === undefined) this.#limiters.set(guildId, (limiter = new ConcurrencyLimiter(concurrency)));
		else if (limiter.limit !== concurrency) limiter.limit = concurrency;
		return limiter;
	}

	public running(guildId: string): ReconciliationPass | undefined {
		return this.#running.get(guildId);
	}

	/** Starts a pass over the guild's members, or hands back the one already running there. */
	public start(guild: Guild, settings: UserSyncSettings, trigger: PassTrigger): StartOutcome {
		const running = this.#running.get(guild.id);
		if (running !== undefined) return { started: false, pass: running };
		const pass = new ReconciliationPass({
			guild,
			trigger,
			store: this.store,
			limiter: this.limiterFor(guild.id, settings.concurrency),
			signal: this.#abort.signal,
			// Asked between batches: the plugin may be turned off mid-pass (the server's list is fixed at start-up,
			// but asked here too so that no pass, however started, syncs a server the bot does not serve).
			isStillEnabled: async () =>
				isServedGuild(guild.id) && container.guildConfig.isPluginEnabled(await container.guildConfig.resolve(guild.id), this.#plugin)
		});
		this.#running.set(guild.id, pass);
		void pass.done.then(
			() => this.#running.delete(guild.id),
			(error: unknown) => {
				this.#running.delete(guild.id);
				container.logger.error(`User sync of guild ${guild.id} failed:`, error);
			}
		);
		return { started: true, pass };
	}

	/** After (re)connecting: carries on every pass a crash or restart cut short. */
	public async resumeInterrupted(): Promise<void> {
		for (const guild of this.#client.guilds.cache.values()) {
			const settings = await enabledSettings(guild.id);
			if (settings === undefined || this.#running.has(guild.id)) continue;
			if ((await this.store.checkpoint(guild.id)) !== undefined) this.start(guild, settings, 'startup');
		}
	}

	public startSchedule(tickMs = SCHEDULE_TICK_MS): void {
		if (this.#schedule !== undefined) return;
		// unref: a pending tick must not keep a stopping process alive.
		this.#schedule = setInterval(() => void this.tick(), tickMs).unref();
	}

	/**
	 * Starts at most one periodic pass per tick, and none while another periodic pass runs: after a
	 * restart many guilds can be due at once, and the partner's Kaltura should not get all of them.
	 */
	public async tick(now = Date.now()): Promise<void> {
		if (this.#ticking || this.#abort.signal.aborted) return;
		if (!this.#client.isReady() || [...this.#running.values()].some((pass) => pass.trigger === 'schedule')) return;
		this.#ticking = true;
		try {
			for (const guild of this.#client.guilds.cache.values()) {
				const settings = await enabledSettings(guild.id);
				if (settings === undefined || settings.reconcileIntervalMinutes === 0 || this.#running.has(guild.id)) continue;
				const last = await this.store.lastPass(guild.id);
				const since = await this.store.watchingSince(guild.id, now);
				if (!isPassDue(now, settings.reconcileIntervalMinutes, last?.finishedAt, since)) continue;
				// The guild's pass for this interval goes to one process: two processes holding the guild for a moment
				// (a shard moving between them) must not both sync it.
				if (!(await this.#claimPass(guild.id, settings.reconcileIntervalMinutes * 60_000))) continue;
				this.start(guild, settings, 'schedule');
				return;
			}
		} catch (error) {
			container.logger.warn('User sync schedule check failed:', error);
		} finally {
			this.#ticking = false;
		}
	}

	/** Stops the schedule and pauses running passes (their checkpoints stay). */
	public async dispose(): Promise<void> {
		if (this.#schedule !== undefined) clearInterval(this.#schedule);
		this.#schedule = undefined;
		this.#abort.abort();
		await Promise.allSettled([...this.#running.values()].map((pass) => pass.done));
	}
}

export interface UserSyncStart {
	readonly client: Client;
	readonly store: UserSyncStore;
	readonly plugin: string;
	readonly logger: { warn(...values: readonly unknown[]): void };
	readonly claimPass?: PassClaim;
}

/**
 * The start hook: starts the periodic schedule and carries on any pass a crash or restart cut short (a
 * failure to resume is logged; the service runs all the same).
 */
export async function startUserSync({ client, store, plugin, logger, claimPass }: UserSyncStart): Promise<UserSyncService> {
	const service = new UserSyncService(client, store, plugin, claimPass);
	service.startSchedule();
	try {
		await service.resumeInterrupted();
	} catch (error) {
		logger.warn('User sync: interrupted passes could not be resumed:', error);
	}
	return service;
}
