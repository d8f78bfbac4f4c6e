import type { DiscordClient } from './discord-client.js';

/** The room as the Activity's page holds it (the contract's Room). */
export interface ProbedRoom {
	readonly instanceId: string;
	readonly entryId: string | null;
	readonly playing: boolean;
	readonly position: number;
	readonly at: number;
	readonly controllerId: string;
	readonly rev: number;
	readonly participants: readonly string[];
}

/** What `window.__watchTogether.state()` answers in the Activity's frame. */
export interface ActivityProbe {
	readonly room: ProbedRoom | null;
	readonly offset: number;
	readonly currentTime: number;
	readonly paused: boolean;
	readonly controls: boolean;
	readonly connected: boolean;
	readonly userId: string;
	readonly expected: number;
	readonly readyState: number;
}

export type ProbedControlResult = { readonly ok: true; readonly room: ProbedRoom } | { readonly ok: false; readonly reason: string };

interface Hook {
	__watchTogether?: { state(): ActivityProbe; control(action: string, args?: Record<string, unknown>): Promise<ProbedControlResult> };
}

/** The Activity's state, or undefined before its page has signed in and exposed it. */
export async function probe(client: DiscordClient): Promise<ActivityProbe | undefined> {
	try {
		return await client.frame.evaluate(() => (globalThis as unknown as Hook).__watchTogether?.state());
	} catch {
		return undefined;
	}
}

/** A control request from inside the member's page, as its buttons send it. */
export function control(client: DiscordClient, action: string, args: Record<string, unknown> = {}): Promise<ProbedControlResult> {
	return client.frame.evaluate(
		([name, values]) => {
			const hook = (globalThis as unknown as Hook).__watchTogether;
			return hook === undefined ? { ok: false as const, reason: 'not_ready' } : hook.control(name, values);
		},
		[action, args] as const
	);
}

/** Polls until `check` holds for the member's Activity; fails with the last state seen. */
export async function waitForProbe(
	client: DiscordClient,
	check: (state: ActivityProbe) => boolean,
	{ timeoutMs = 10_000, what = 'the Activity state' }: { timeoutMs?: number; what?: string } = {}
): Promise<ActivityProbe> {
	const deadline = Date.now() + timeoutMs;
	let last: ActivityProbe | undefined;
	for (;;) {
		last = await probe(client);
		if (last !== undefined && check(last)) return last;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
}
