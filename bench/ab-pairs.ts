import { readFileSync } from 'node:fs';

export type Side = 'on' | 'off';

/** What one short block of work on one side measured. */
export interface Block {
	/** The cost of each event, lower is better (a latency), or one figure for the whole block (wall time per request). */
	readonly costs: readonly number[];
	/** Events the block ran. */
	readonly events: number;
	/** CPU time of the bot's main thread over the block, in nanoseconds (NaN where /proc has no schedstat). */
	readonly cpuNs: number;
	/** Time the bot's main thread waited for a core over the block, in nanoseconds: how contended the machine was. */
	readonly waitNs: number;
}

/** One A/B pair: two blocks per side, run A B B A or B A A B, on the bots of one segment (one start of both processes). */
export type Pair = Readonly<Record<Side, readonly Block[]>> & { readonly segment: number };

/** CPU time and run-queue wait of a process's main thread so far, in nanoseconds (Linux /proc/<pid>/schedstat). */
export function mainThreadTimes(pid: number): { readonly cpuNs: number; readonly waitNs: number } {
	try {
		const [cpu, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
		return { cpuNs: cpu ?? Number.NaN, waitNs: wait ?? Number.NaN };
	} catch {
		return { cpuNs: Number.NaN, waitNs: Number.NaN };
	}
}

/**
 * Runs `pairs` A/B pairs, each as A B B A or B A A B (which, drawn from `random`): a pair's two blocks per side straddle the
 * same moment, so load on the shared machine that rises or falls through the pair weighs on both sides alike, and which side
 * goes first cancels out. Blocks are short, so that both sides sample the machine's moods in the same proportions. The first
 * `warmUpPairs` pairs run but are discarded (JIT, caches, connections, SQLite pages).
 */
export async function alternatingPairs(options: {
	readonly segment: number;
	readonly pairs: number;
	readonly warmUpPairs: number;
	readonly random: () => number;
	readonly block: (side: Side) => Promise<Block>;
}): Promise<Pair[]> {
	const measured: Pair[] = [];
	for (let pair = 0; pair < options.warmUpPairs + options.pairs; pair++) {
		const order: Side[] = options.random() < 0.5 ? ['on', 'off', 'off', 'on'] : ['off', 'on', 'on', 'off'];
		const blocks: Record<Side, Block[]> = { on: [], off: [] };
		for (const side of order) blocks[side].push(await options.block(side));
		if (pair >= options.warmUpPairs) measured.push({ ...blocks, segment: options.segment });
	}
	return measured;
}

/** Measures one block on a process: `work` returns the cost of each event it ran (or one cost per block, and the events). */
export async function measuredBlock(pid: number, work: () => Promise<{ costs: readonly number[]; events: number }>): Promise<Block> {
	const before = mainThreadTimes(pid);
	const { costs, events } = await work();
	const after = mainThreadTimes(pid);
	return { costs, events, cpuNs: after.cpuNs - before.cpuNs, waitNs: after.waitNs - before.waitNs };
}
