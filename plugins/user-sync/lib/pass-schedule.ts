/**
 * Whether a guild's periodic pass is due: `intervalMinutes` after its last pass ended, or, for a guild
 * that never had one, after the schedule first saw the plugin on there. The first pass of a server is
 * therefore the admin's `/kaltura-sync`, not a surprise run the minute the plugin is turned on.
 */
export function isPassDue(now: number, intervalMinutes: number, lastFinishedAt: number | undefined, watchingSince: number): boolean {
	if (intervalMinutes <= 0) return false;
	return now - (lastFinishedAt ?? watchingSince) >= intervalMinutes * 60_000;
}
