/** `0-3`, `0,2,5` or `0-1,4` as shard ids, or null when the text is no such list (as SHARD_IDS is read). */
export function shardIdsOf(text: string): number[] | null {
	const ids: number[] = [];
	for (const part of text.split(',').map((item) => item.trim())) {
		const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
		if (match === null) return null;
		const first = Number(match[1]);
		const last = match[2] === undefined ? first : Number(match[2]);
		if (last < first) return null;
		for (let id = first; id <= last; id++) ids.push(id);
	}
	return ids;
}

/** The shards of process `ordinal` when each of them runs `perProcess` (SHARD_ORDINAL with SHARDS_PER_PROCESS). */
export const shardsOfOrdinal = (ordinal: number, perProcess: number, count: number): number[] =>
	Array.from({ length: Math.max(0, Math.min(perProcess, count - ordinal * perProcess)) }, (_, index) => ordinal * perProcess + index);

/**
 * What is wrong with processes running these shards of `count`: a shard run twice, a shard outside the count, a shard no
 * process runs, or a process without a shard. Empty when every shard 0 to count - 1 is run by exactly one process.
 */
export function shardCoverageProblems(count: number, processes: ReadonlyMap<string, readonly number[]>): string[] {
	const problems: string[] = [];
	const owner = new Map<number, string>();
	for (const [process, shards] of processes) {
		if (shards.length === 0) problems.push(`${process} runs no shard`);
		for (const shard of shards) {
			if (shard >= count) problems.push(`${process} runs shard ${shard}, outside SHARD_COUNT ${count}`);
			const other = owner.get(shard);
			if (other !== undefined) problems.push(`shard ${shard} is run by both ${other} and ${process}`);
			owner.set(shard, process);
		}
	}
	for (let shard = 0; shard < count; shard++) if (!owner.has(shard)) problems.push(`no process runs shard ${shard}`);
	return problems;
}
