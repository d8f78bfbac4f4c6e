import type { StepResult } from './report.js';

/** Something the check created, and how to remove it. */
export interface CreatedThing {
	/** The result row id of its clean-up (`cleanup.schedule-event`). */
	readonly id: string;
	readonly service: StepResult['service'];
	/** What it is, for the table: `schedule event 123`. */
	readonly what: string;
	readonly remove: () => Promise<void>;
	/** How to remove it by hand when `remove` failed. */
	readonly byHand: string;
	/** Turns whatever `remove` threw into the service's answer, for the table. */
	readonly describe: (error: unknown) => string;
}

/**
 * What a run has created so far, removed in reverse order at the end (from a `finally`), so an object is removed
 * before what it refers to. A removal that fails does not stop the others and becomes a failed row naming what
 * to delete by hand; removals that work add no row (the step that created the object says it was removed).
 */
export class CleanupStack {
	readonly #created: CreatedThing[] = [];

	public add(thing: CreatedThing): void {
		this.#created.push(thing);
	}

	public async removeAll(): Promise<StepResult[]> {
		const failures: StepResult[] = [];
		for (let thing = this.#created.pop(); thing !== undefined; thing = this.#created.pop()) {
			try {
				await thing.remove();
			} catch (error) {
				failures.push({
					id: thing.id,
					service: thing.service,
					step: `clean-up: delete ${thing.what}`,
					status: 'failed',
					detail: `it is still there: ${thing.describe(error)}`,
					fix: `Delete it by hand: ${thing.byHand}`
				});
			}
		}
		return failures;
	}
}
