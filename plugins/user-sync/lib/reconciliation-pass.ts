import { container } from '@sapphire/framework';
import type { Guild, GuildMember } from 'discord.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import { fetchAllMembers, MemberListUnavailableError } from './fetch-all-members.js';
import { compareSnowflakes } from './member-order.js';
import { PassTally } from './pass-tally.js';
import { NO_COUNTS, type PassCheckpoint, type PassProgress, type PassSummary, type PassTrigger } from './pass-types.js';
import { formatCounts, formatDuration, formatNumber } from './pass-text.js';
import { ProbeGate } from './probe-gate.js';
import { PAGE_MEMBERS, reconcilePage, type PageContext } from './reconcile-page.js';
import type { SyncOutcome } from './sync-member.js';
import type { UserSyncStore } from './user-sync-store.js';
import { recordSyncPass } from './user-sync-metrics.js';

/** A checkpoint older than this is from another era of the server; the pass starts over instead. */
const CHECKPOINT_MAX_AGE_MS = 24 * 60 * 60_000;
/** The checkpoint is written after this many more members are done, or this long after the last write. */
const CHECKPOINT_EVERY_MEMBERS = 100;
const CHECKPOINT_EVERY_MS = 2_000;
/** A pass stops when this many members fail one after another: Kaltura is refusing everything (permissions, an outage) and the rest would fail too. */
const CONSECUTIVE_FAILURE_LIMIT = 25;
/** Whether the plugin is still on is checked this often (in members); turning it off stops the pass. */
const ENABLED_CHECK_EVERY = 100;
/** Failures logged one by one; the rest only in the summary line. */
const LOGGED_FAILURES = 10;

export interface PassOptions {
	readonly guild: Guild;
	readonly trigger: PassTrigger;
	readonly store: UserSyncStore;
	/** The guild's limiter, shared with the member listeners. */
	readonly limiter: ConcurrencyLimiter;
	/** Aborted when the plugin unloads: the pass stops and keeps its checkpoint for the next start. */
	readonly signal: AbortSignal;
	readonly isStillEnabled: () => Promise<boolean>;
}

/**
 * One reconciliation pass over every member of a guild: the member list from Discord, then the members
 * in ascending id order, a page of {@link PAGE_MEMBERS} at a time (see {@link reconcilePage}): each page's
 * Kaltura users are read with one request and only what differs is written, in batches, with at most the
 * guild's `concurrency` requests in flight. An unchanged member costs its share of a list request and
 * no write. Outcomes are recorded per member, so the checkpoint still means "every member up to this id
 * is done", and a pass cut short by a crash carries on where it was.
 */
export class ReconciliationPass {
	public readonly done: Promise<PassSummary>;
	readonly #options: PassOptions;
	#progress: PassProgress = { done: 0, total: undefined, resumedFrom: 0 };

	public constructor(options: PassOptions) {
		this.#options = options;
		this.done = this.#run();
	}

	public get trigger(): PassTrigger {
		return this.#options.trigger;
	}

	public progress(): PassProgress {
		return this.#progress;
	}

	async #run(): Promise<PassSummary> {
		const { guild, trigger, store, limiter, signal } = this.#options;
		const started = Date.now();
		const log = container.logger;
		const checkpoint = await this.#freshCheckpoint();
		let members: GuildMember[];
		try {
			members = [...(await fetchAllMembers(guild, signal)).values()];
		} catch (error) {
			const unloading = signal.aborted;
			log.warn(
				`User sync of guild ${guild.id} stopped: the member list did not arrive:`,
				error instanceof MemberListUnavailableError ? error.message : error
			);
			const stoppedBecause = unloading
				? 'the bot is shutting down; the pass carries on when it starts again.'
				: error instanceof MemberListUnavailableError
					? error.userMessage
					: 'Discord did not send the member list. Please try again in a few minutes.';
			const summary: PassSummary = {
				guildId: guild.id,
				trigger,
				total: 0,
				counts: NO_COUNTS,
				failures: [],
				skippedBots: 0,
				durationMs: Date.now() - started,
				resumedFrom: 0,
				stoppedBecause
			};
			// The checkpoint, if any, stays for the next try; an unload records no pass at all.
			if (!unloading) await this.#finish(summary, false);
			return summary;
		}
		const humans = members.filter((member) => !member.user.bot).sort((a, b) => compareSnowflakes(a.id, b.id));
		const skippedBots = members.length - humans.length;
		const resumedFrom = checkpoint?.completed ?? 0;
		const todo = checkpoint === undefined ? humans : humans.filter((member) => compareSnowflakes(member.id, checkpoint.doneThrough) > 0);
		const total = resumedFrom + todo.length;
		const tally = new PassTally(
			todo.map((member) => member.id),
			checkpoint?.counts ?? NO_COUNTS,
			checkpoint?.failures ?? []
		);
		this.#progress = { done: resumedFrom, total, resumedFrom };
		log.info(
			checkpoint === undefined
				? `User sync of guild ${guild.id} started (${trigger}): ${formatNumber(total)} members.`
				: `User sync of guild ${guild.id} resumed from its checkpoint (${trigger}): ${formatNumber(resumedFrom)} of ${formatNumber(total)} members were done.`
		);

		const checkpoints = new CheckpointWriter(store, guild.id, {
			trigger: checkpoint?.trigger ?? trigger,
			startedAt: checkpoint?.startedAt ?? started,
			completedBefore: resumedFrom,
			tally
		});
		let consecutiveFailures = 0;
		let loggedFailures = 0;
		let stoppedBecause: string | undefined;
		/** Set when members in a row fail: writes not yet sent are not sent (the pass stops as soon as it can). */
		let failing = false;
		const record = (index: number, outcome: SyncOutcome): void => {
			tally.record(index, outcome);
			this.#progress = { done: resumedFrom + tally.finished, total, resumedFrom };
			if (outcome.kind === 'failed') {
				consecutiveFailures++;
				if (loggedFailures++ < LOGGED_FAILURES)
					log.warn(
						`User sync of guild ${guild.id}: member ${todo[index]?.id ?? `number ${index + 1} of the run`} failed (${outcome.code}).`
					);
				if (consecutiveFailures >= CONSECUTIVE_FAILURE_LIMIT && stoppedBecause === undefined) {
					stoppedBecause = `${CONSECUTIVE_FAILURE_LIMIT} members in a row could not be synced. The last error: ${outcome.message}`;
					failing = true;
				}
			} else {
				consecutiveFailures = 0;
			}
			checkpoints.progressed();
		};
		const page: PageContext = { limiter, gate: new ProbeGate(), record, abandoned: () => signal.aborted || failing };

		// Pages go out in member order; the limiter (first come, first served) keeps their requests in that order too.
		const inFlight = new Set<Promise<void>>();
		for (let start = 0; start < todo.length; start += PAGE_MEMBERS) {
			if (page.abandoned() || stoppedBecause !== undefined) break;
			while (inFlight.size >= Math.max(2, limiter.limit)) await Promise.race(inFlight);
			if (page.abandoned() || stoppedBecause !== undefined) break;
			let end = Math.min(start + PAGE_MEMBERS, todo.length);
			// The plugin may be turned off mid-pass: asked every ENABLED_CHECK_EVERY members, before any of them is synced.
			for (let index = start; index < end; index++) {
				if (index > 0 && index % ENABLED_CHECK_EVERY === 0 && !(await this.#stillEnabled())) {
					stoppedBecause = 'the user-sync plugin was turned off in this server.';
					end = index;
				}
			}
			if (end === start) break;
			const entries = todo.slice(start, end).map((member, offset) => ({ index: start + offset, member }));
			const task = reconcilePage(entries, page).finally(() => inFlight.delete(task));
			inFlight.add(task);
		}
		await Promise.all(inFlight);
		await checkpoints.flush();

		const summary: PassSummary = {
			guildId: guild.id,
			trigger,
			total,
			counts: tally.counts,
			failures: tally.failures,
			skippedBots,
			durationMs: Date.now() - started,
			resumedFrom,
			...(stoppedBecause !== undefined
				? { stoppedBecause }
				: signal.aborted
					? { stoppedBecause: 'the bot is shutting down; the pass carries on when it starts again.' }
					: {})
		};
		if (signal.aborted) {
			// Keep the checkpoint: the next start carries on from it.
			await checkpoints.write();
			recordSyncPass(summary, true);
			log.info(
				`User sync of guild ${guild.id} paused for shutdown at ${formatNumber(resumedFrom + tally.watermark)} of ${formatNumber(total)} members.`
			);
			return summary;
		}
		await this.#finish(summary, true);
		const line = `User sync of guild ${guild.id} ${stoppedBecause === undefined ? 'finished' : 'stopped'} in ${formatDuration(summary.durationMs)}: ${formatNumber(total)} members; ${formatCounts(summary.counts)}.`;
		if (stoppedBecause === undefined) log.info(line);
		else log.warn(`${line} Reason: ${stoppedBecause}`);
		return summary;
	}

	/** A config store hiccup is no reason to stop: only a definite "off" is. */
	async #stillEnabled(): Promise<boolean> {
		try {
			return await this.#options.isStillEnabled();
		} catch {
			return true;
		}
	}

	async #freshCheckpoint(): Promise<PassCheckpoint | undefined> {
		const { store, guild } = this.#options;
		try {
			const checkpoint = await store.checkpoint(guild.id);
			if (checkpoint !== undefined && Date.now() - checkpoint.savedAt > CHECKPOINT_MAX_AGE_MS) {
				container.logger.info(`User sync of guild ${guild.id}: the interrupted pass is more than a day old; starting over.`);
				return undefined;
			}
			return checkpoint;
		} catch (error) {
			container.logger.warn(`User sync of guild ${guild.id}: the checkpoint could not be read; starting over:`, error);
			return undefined;
		}
	}

	/** The pass is over (done or stopped for good): no checkpoint to resume, and the schedule counts from now. */
	async #finish(summary: PassSummary, ranMembers: boolean): Promise<void> {
		const { store, guild } = this.#options;
		recordSyncPass(summary, false);
		try {
			if (ranMembers) await store.clearCheckpoint(guild.id);
			await store.saveLastPass(guild.id, { finishedAt: Date.now(), counts: summary.counts, total: summary.total });
		} catch (error) {
			container.logger.warn(`User sync of guild ${guild.id}: could not record the end of the pass:`, error);
		}
	}
}

interface CheckpointSource {
	readonly trigger: PassTrigger;
	readonly startedAt: number;
	readonly completedBefore: number;
	readonly tally: PassTally;
}

/**
 * Writes the checkpoint now and then, never two writes at once, and never after {@link flush}
 * returned (a late write would bring back a checkpoint the pass just cleared).
 */
class CheckpointWriter {
	#writtenWatermark = 0;
	#writtenAt: number;
	#writing: Promise<void> = Promise.resolve();
	#queued = false;

	public constructor(
		private readonly store: UserSyncStore,
		private readonly guildId: string,
		private readonly source: CheckpointSource
	) {
		this.#writtenAt = Date.now();
	}

	public progressed(): void {
		const { tally } = this.source;
		if (tally.watermark === this.#writtenWatermark) return;
		if (tally.watermark - this.#writtenWatermark < CHECKPOINT_EVERY_MEMBERS && Date.now() - this.#writtenAt < CHECKPOINT_EVERY_MS) return;
		if (this.#queued) return;
		this.#queued = true;
		this.#writtenWatermark = tally.watermark;
		this.#writtenAt = Date.now();
		this.#writing = this.#writing.then(() => {
			this.#queued = false;
			return this.write();
		});
	}

	public async flush(): Promise<void> {
		await this.#writing;
	}

	public async write(): Promise<void> {
		const { tally, trigger, startedAt, completedBefore } = this.source;
		const doneThrough = tally.doneThrough;
		if (doneThrough === undefined) return;
		const checkpoint: PassCheckpoint = {
			version: 1,
			trigger,
			startedAt,
			savedAt: Date.now(),
			doneThrough,
			completed: completedBefore + tally.watermark,
			counts: tally.committedCounts,
			failures: tally.committedFailures
		};
		try {
			await this.store.saveCheckpoint(this.guildId, checkpoint);
		} catch (error) {
			container.logger.warn(`User sync of guild ${this.guildId}: the checkpoint could not be written:`, error);
		}
	}
}
