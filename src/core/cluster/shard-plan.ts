import { shardsOfOrdinal } from '../environment/shard-variables.js';

/** What the shard variables say this process runs (see environment/shard-variables.ts for the rules between them). */
export type ShardPlan =
	/** Every shard of the count Discord recommends when the process connects. */
	| { readonly kind: 'auto' }
	/** Every shard of the count given. */
	| { readonly kind: 'whole'; readonly count: number }
	/** Some shards of a count every process shares; the others run the rest. */
	| { readonly kind: 'part'; readonly count: number; readonly ids: readonly number[] };

/** A plan whose count is known. */
export type CountedShardPlan = Exclude<ShardPlan, { readonly kind: 'auto' }>;

export interface ShardEnvironment {
	readonly SHARD_COUNT?: number | 'auto' | undefined;
	readonly SHARD_IDS?: readonly number[] | undefined;
	readonly SHARDS_PER_PROCESS?: number | undefined;
	readonly SHARD_ORDINAL?: number | undefined;
}

/** The plan of a parsed environment, whose rules already hold (a part has a numeric count and ids inside it). */
export function shardPlanOf(env: ShardEnvironment): ShardPlan {
	const count = env.SHARD_COUNT ?? 'auto';
	if (count === 'auto') return { kind: 'auto' };
	const ids =
		env.SHARD_IDS ??
		(env.SHARDS_PER_PROCESS !== undefined && env.SHARD_ORDINAL !== undefined
			? shardsOfOrdinal(env.SHARD_ORDINAL, env.SHARDS_PER_PROCESS, count)
			: undefined);
	if (ids === undefined || ids.length === count) return { kind: 'whole', count };
	return { kind: 'part', count, ids };
}

/** The discord.js client options for the plan: `shards` and, unless Discord chooses, `shardCount`. */
export function clientShardOptions(plan: ShardPlan): { shards: 'auto' | number[]; shardCount?: number } {
	if (plan.kind === 'part') return { shards: [...plan.ids], shardCount: plan.count };
	if (plan.kind === 'auto') return { shards: 'auto' };
	return { shards: Array.from({ length: plan.count }, (_, id) => id), shardCount: plan.count };
}

/** Application commands are one set per application: the process running shard 0 publishes them, the others leave them be. */
export function publishesCommands(plan: ShardPlan): boolean {
	return plan.kind !== 'part' || plan.ids.includes(0);
}

/** `shards 0-1 of 4`, for logs. */
export function describeShards(plan: ShardPlan): string {
	if (plan.kind === 'auto') return "every shard (Discord's recommended count)";
	if (plan.kind === 'whole') return `every shard of ${plan.count}`;
	return `shard(s) ${plan.ids.join(', ')} of ${plan.count}`;
}
