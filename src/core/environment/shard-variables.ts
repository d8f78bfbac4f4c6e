import { z } from 'zod';
import { optional, wholeNumber } from './schema-parts.js';

/** Discord refuses a session for more than 2,500 guilds, so no deployment needs more shards than guilds / 2,500; this bound only catches typos. */
export const MAX_SHARD_COUNT = 65_536;

/** `0-3`, `0,2,5` or `0-1,4`: shard ids, parsed to a sorted list without repeats, or null when the text is no such list. */
export function parseShardIds(text: string): number[] | null {
	const ids = new Set<number>();
	for (const part of text.split(',').map((item) => item.trim())) {
		const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
		if (match === null) return null;
		const first = Number(match[1]);
		const last = match[2] === undefined ? first : Number(match[2]);
		if (last < first) return null;
		for (let id = first; id <= last; id++) ids.add(id);
	}
	return [...ids].sort((a, b) => a - b);
}

/**
 * Which shards this process runs. Unset, one process runs every shard of the count Discord recommends. A deployment of
 * several processes names the count and each process's part: its ids, or its ordinal (a Kubernetes StatefulSet pod's)
 * times the shards each process runs.
 */
export const shardVariables = {
	/** The total number of shards across every process, or `auto` for Discord's recommendation (one process only). */
	SHARD_COUNT: optional(
		z.union([z.literal('auto'), wholeNumber('number or auto', 1, MAX_SHARD_COUNT)], { error: 'must be a whole number or auto' })
	),
	/** The shards this process runs, such as `0-3` or `0,2,5`; every shard when unset. */
	SHARD_IDS: optional(
		z.string().transform((text, context) => {
			const ids = parseShardIds(text);
			if (ids === null || ids.length === 0) {
				context.addIssue({ code: 'custom', message: 'must list shard ids or ranges, such as 0-3 or 0,2,5' });
				return z.NEVER;
			}
			return ids;
		})
	),
	/** With SHARD_ORDINAL: process n runs shards n × SHARDS_PER_PROCESS up to the next process's first (the last may run fewer). */
	SHARDS_PER_PROCESS: optional(wholeNumber('whole number', 1, MAX_SHARD_COUNT)),
	/** This process's place among the processes (from 0), such as a StatefulSet pod's `apps.kubernetes.io/pod-index` label. */
	SHARD_ORDINAL: optional(wholeNumber('whole number', 0, MAX_SHARD_COUNT))
};

/** As the schema's refinement sees them: a variable that failed its own check is still its raw text here. */
interface ShardVariables {
	readonly SHARD_COUNT?: unknown;
	readonly SHARD_IDS?: unknown;
	readonly SHARDS_PER_PROCESS?: unknown;
	readonly SHARD_ORDINAL?: unknown;
	readonly REDIS_URL?: unknown;
}

const isWhole = (value: unknown): value is number => typeof value === 'number';

/**
 * The rules between the shard variables. A process running only some shards needs a count it shares with the others
 * (Discord's recommendation can change between two processes' starts, and guilds would land on the wrong process) and
 * Redis (identifies are rationed across processes, shards are held by one process, and config changes reach the others).
 */
export function checkShardVariables(environment: ShardVariables, problem: (variable: string, message: string) => void): void {
	const { SHARD_COUNT: count, SHARD_IDS: ids, SHARDS_PER_PROCESS: perProcess, SHARD_ORDINAL: ordinal } = environment;
	// A variable that failed its own check is reported on its own; how it relates to the others is unknown then.
	const valid = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);
	if (!valid(count, (value) => isWhole(value) || value === 'auto') || !valid(ids, Array.isArray)) return;
	if (!valid(perProcess, isWhole) || !valid(ordinal, isWhole)) return;
	if (ids !== undefined && (perProcess !== undefined || ordinal !== undefined)) {
		problem('SHARD_IDS', 'cannot be set with SHARDS_PER_PROCESS or SHARD_ORDINAL: name the shards one way');
		return;
	}
	if ((perProcess === undefined) !== (ordinal === undefined)) {
		problem(perProcess === undefined ? 'SHARDS_PER_PROCESS' : 'SHARD_ORDINAL', 'must be set with SHARD_ORDINAL and SHARDS_PER_PROCESS together');
		return;
	}
	const partial = ids !== undefined || perProcess !== undefined;
	if (!partial) return;
	if (!isWhole(count)) {
		problem('SHARD_COUNT', 'must be a number when this process runs only some shards (every process must use the same count)');
		return;
	}
	if (!Array.isArray(ids)) {
		if (!isWhole(ordinal) || !isWhole(perProcess)) return;
		if (shardsOfOrdinal(ordinal, perProcess, count).length === 0) {
			problem('SHARD_ORDINAL', `gives no shard: process ${ordinal} of ${perProcess} shards each starts past SHARD_COUNT ${count}`);
			return;
		}
	} else {
		const outside: unknown = ids.find((id: unknown) => isWhole(id) && id >= count);
		if (outside !== undefined) {
			problem('SHARD_IDS', `names shard ${String(outside)}, but SHARD_COUNT is ${count} (shards 0 to ${count - 1})`);
			return;
		}
	}
	if (environment.REDIS_URL === undefined)
		problem('REDIS_URL', 'is required when this process runs only some shards: the processes share identifies, shards and config through it');
}

/** The shards of the process at `ordinal` when each runs `perProcess`; the last process may run fewer. */
export function shardsOfOrdinal(ordinal: number, perProcess: number, count: number): number[] {
	const first = ordinal * perProcess;
	return Array.from({ length: Math.max(0, Math.min(perProcess, count - first)) }, (_, index) => first + index);
}
