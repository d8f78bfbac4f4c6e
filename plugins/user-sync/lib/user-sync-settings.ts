import { z } from 'zod';

/** What happens on Kaltura when a member leaves the server. */
export const LEAVE_POLICIES = ['keep', 'block', 'delete'] as const;
export type LeavePolicy = (typeof LEAVE_POLICIES)[number];

export const userSyncSettingsSchema = z.strictObject({
	/**
	 * `keep` leaves the Kaltura user as it is (the member keeps their history and can be let back in);
	 * `block` sets it to BLOCKED so it can no longer sign in; `delete` deletes it.
	 */
	onLeave: z.enum(LEAVE_POLICIES, { error: 'must be keep, block or delete' }).default('keep'),
	/**
	 * How often every member is synced again, in minutes; 0 turns the periodic pass off. Daily by
	 * default: the listeners only see what happens while the bot is connected, so changes made while it
	 * was down, and events Discord never delivered, would otherwise drift for good. Unchanged members
	 * cost one list request per 500 and no write, so a daily pass is cheap for the partner's account.
	 */
	reconcileIntervalMinutes: z
		.number({ error: 'must be a number of minutes' })
		.int({ error: 'must be a whole number of minutes' })
		.min(0, { error: 'must be 0 (off) or at least 60' })
		.max(60 * 24 * 30, { error: 'must be at most 43200 (30 days)' })
		.refine((minutes) => minutes === 0 || minutes >= 60, { error: 'must be 0 (off) or at least 60' })
		.default(1440),
	/** Kaltura requests the plugin has in flight at most, per server. */
	concurrency: z
		.number({ error: 'must be a number' })
		.int({ error: 'must be a whole number' })
		.min(1, { error: 'must be between 1 and 20' })
		.max(20, { error: 'must be between 1 and 20' })
		.default(4)
});

export type UserSyncSettings = z.output<typeof userSyncSettingsSchema>;
