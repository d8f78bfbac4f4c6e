import type { FailedMember, PassCounts } from './pass-types.js';
import type { SyncOutcome } from './sync-member.js';

/** Failures kept for the checkpoint and the reply; the log has the first few, the counts all of them. */
const KEPT_FAILURES = 20;

type MutableCounts = { -readonly [K in keyof PassCounts]: number };

/**
 * The outcomes of a pass in member order. Work finishes out of order, so a checkpoint can only claim
 * the longest run of finished members from the start: the watermark. {@link committedCounts} and
 * {@link committedFailures} cover the members under it (what a checkpoint stores); {@link counts} and
 * {@link failures} everything finished.
 */
export class PassTally {
	readonly #ids: readonly string[];
	readonly #outcomes: (SyncOutcome | undefined)[];
	#watermark = 0;
	#finished = 0;
	readonly #committed: MutableCounts;
	readonly #all: MutableCounts;
	readonly #failuresBefore: readonly FailedMember[];
	/** Failures of this run, with the index of their member. */
	readonly #failures: { index: number; failure: FailedMember }[] = [];

	/** `ids`: the members of this run in sync order; `before`: what a checkpoint already counted. */
	public constructor(ids: readonly string[], before: PassCounts, failuresBefore: readonly FailedMember[]) {
		this.#ids = ids;
		this.#outcomes = new Array<SyncOutcome | undefined>(ids.length);
		this.#committed = { ...before };
		this.#all = { ...before };
		this.#failuresBefore = failuresBefore.slice(0, KEPT_FAILURES);
	}

	public record(index: number, outcome: SyncOutcome): void {
		// An index outside this run has no member; one already recorded is not counted twice.
		const discordUserId = this.#ids[index];
		if (discordUserId === undefined || this.#outcomes[index] !== undefined) return;
		this.#outcomes[index] = outcome;
		this.#finished++;
		this.#all[outcome.kind]++;
		if (outcome.kind === 'failed' && this.#failuresBefore.length + this.#failures.length < KEPT_FAILURES) {
			this.#failures.push({ index, failure: { discordUserId, code: outcome.code, message: outcome.message } });
		}
		for (let next = this.#outcomes[this.#watermark]; next !== undefined; next = this.#outcomes[this.#watermark]) {
			this.#committed[next.kind]++;
			this.#watermark++;
		}
	}

	/** Members of this run finished, in any order. */
	public get finished(): number {
		return this.#finished;
	}

	/** Members of this run finished without a gap from the first. */
	public get watermark(): number {
		return this.#watermark;
	}

	/** The id of the last member under the watermark, or undefined when there is none. */
	public get doneThrough(): string | undefined {
		return this.#watermark === 0 ? undefined : this.#ids[this.#watermark - 1];
	}

	public get committedCounts(): PassCounts {
		return { ...this.#committed };
	}

	public get counts(): PassCounts {
		return { ...this.#all };
	}

	public get committedFailures(): readonly FailedMember[] {
		return [...this.#failuresBefore, ...this.#failures.filter(({ index }) => index < this.#watermark).map(({ failure }) => failure)];
	}

	public get failures(): readonly FailedMember[] {
		return [...this.#failuresBefore, ...this.#failures.map(({ failure }) => failure)];
	}
}
