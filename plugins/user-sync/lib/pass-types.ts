/** What started a reconciliation pass. */
export type PassTrigger = 'command' | 'schedule' | 'startup';

export interface PassCounts {
	readonly created: number;
	readonly updated: number;
	readonly unchanged: number;
	readonly failed: number;
}

export const NO_COUNTS: PassCounts = { created: 0, updated: 0, unchanged: 0, failed: 0 };

export interface FailedMember {
	readonly discordUserId: string;
	readonly code: string;
	readonly message: string;
}

/** Where an interrupted pass stands; enough to carry on after a crash without redoing finished members. */
export interface PassCheckpoint {
	readonly version: 1;
	readonly trigger: PassTrigger;
	readonly startedAt: number;
	readonly savedAt: number;
	/**
	 * Members are synced in ascending id order; every member with an id up to this one is done. Finished
	 * members above it (work in flight finishes out of order) are synced again on resume, which is
	 * harmless: an unchanged member costs no write.
	 */
	readonly doneThrough: string;
	/** Members up to {@link doneThrough}, and their outcomes. */
	readonly completed: number;
	readonly counts: PassCounts;
	readonly failures: readonly FailedMember[];
}

export interface PassProgress {
	readonly done: number;
	/** Undefined until the member list has arrived from Discord. */
	readonly total: number | undefined;
	/** Members done before a restart, when the pass carries on from a checkpoint. */
	readonly resumedFrom: number;
}

export interface PassSummary {
	readonly guildId: string;
	readonly trigger: PassTrigger;
	readonly total: number;
	readonly counts: PassCounts;
	/** The first few failures, for the reply; all of them are in the log. */
	readonly failures: readonly FailedMember[];
	readonly skippedBots: number;
	readonly durationMs: number;
	readonly resumedFrom: number;
	/** Why the pass ended before every member was synced. */
	readonly stoppedBecause?: string;
}

/** When a guild's last pass ended, for the periodic schedule. */
export interface LastPass {
	readonly finishedAt: number;
	readonly counts: PassCounts;
	readonly total: number;
}
