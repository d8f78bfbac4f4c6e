/**
 * Per-server usage events (a meeting started, a video search, ...), for a server's own usage report. Plugins record
 * where the event happens; nothing is kept unless a listener is registered (the metrics plugin registers its store),
 * so a plugin records without depending on the one that keeps the numbers.
 */

/** What a server did; each is counted per server and UTC day. */
export type UsageEvent = 'meeting_started' | 'meeting_joined' | 'video_searched' | 'video_shared' | 'notification_delivered' | 'notification_failed';

export interface UsageDetail {
	/** `meeting_started`: the meeting's type (a bounded set of values). */
	readonly meetingType?: string;
	/** `meeting_joined`: who joined, for the count of distinct members; the listener keeps a hash of it, never the id. */
	readonly memberId?: string;
}

export type UsageListener = (guildId: string, event: UsageEvent, detail: UsageDetail) => void;

let listener: UsageListener | undefined;

/** Records one usage event of the guild; does nothing unless a listener is registered, and never throws at the caller. */
export function recordUsage(guildId: string, event: UsageEvent, detail: UsageDetail = {}): void {
	if (listener === undefined) return;
	try {
		listener(guildId, event, detail);
	} catch {
		// Usage is a report for the server, not part of the action: a failing listener must not fail a meeting or a search.
	}
}

/** Registers the one listener (replacing any); call what it returns to unregister it (a later listener stays). */
export function setUsageListener(next: UsageListener): () => void {
	listener = next;
	return () => {
		if (listener === next) listener = undefined;
	};
}
