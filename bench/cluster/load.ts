import type { DiscordStandIn } from '../../tests/harness/discord/index.js';
import type { KalturaStandIn } from '../../tests/harness/kaltura/index.js';

export interface BenchGuild {
	readonly id: string;
	readonly ownerId: string;
	readonly shard: number;
	/** A text channel of its own, for notification posts. */
	readonly channelId: string;
}

/** `perShard` guilds on each shard of `shardCount` (ids chosen so that `(id >> 22) % shardCount` is the shard), each with a #news. */
export function seedGuilds(discord: DiscordStandIn, shardCount: number, perShard: number): BenchGuild[] {
	const guilds: BenchGuild[] = [];
	for (let index = 0; index < perShard; index++) {
		for (let shard = 0; shard < shardCount; shard++) {
			const guild = discord.addGuildOnShard([shard, shardCount], { name: `bench ${shard}.${index}` });
			guilds.push({ id: guild.id, ownerId: guild.ownerId, shard, channelId: discord.addChannel(guild.id, { name: 'news' }).id });
		}
	}
	return guilds;
}

export interface LoadResult {
	readonly count: number;
	readonly seconds: number;
	readonly rate: number;
	/** Round trips in ms, sorted. */
	readonly latencies: number[];
}

/**
 * `inFlight` workers, each sending its next operation as soon as the last one finished (a closed loop), until `durationMs` have
 * passed; operation `n` goes to target `n % targets`, so the load is spread evenly whatever the number of workers.
 */
export async function closedLoop(inFlight: number, durationMs: number, operation: (index: number) => Promise<void>): Promise<LoadResult> {
	const latencies: number[] = [];
	let next = 0;
	const started = process.hrtime.bigint();
	const deadline = Date.now() + durationMs;
	const worker = async () => {
		while (Date.now() < deadline) {
			const index = next++;
			const sent = process.hrtime.bigint();
			await operation(index);
			latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
		}
	};
	await Promise.all(Array.from({ length: inFlight }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return { count: latencies.length, seconds, rate: latencies.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

/** The same, for a fixed number of operations rather than a duration. */
export async function closedLoopCount(inFlight: number, count: number, operation: (index: number) => Promise<void>): Promise<LoadResult> {
	const latencies: number[] = [];
	let next = 0;
	const started = process.hrtime.bigint();
	const worker = async () => {
		for (let index = next++; index < count; index = next++) {
			const sent = process.hrtime.bigint();
			await operation(index);
			latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
		}
	};
	await Promise.all(Array.from({ length: inFlight }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return { count: latencies.length, seconds, rate: latencies.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

/** One `/about` in `guild`, sent through the stand-in's gateway to the process running its shard, until its reply is there. */
export async function about(discord: DiscordStandIn, guild: BenchGuild): Promise<void> {
	const reply = await discord.runSlashCommand({ guildId: guild.id, memberId: guild.ownerId, name: 'about' }).waitForReply(15_000);
	if (!/kaltura/i.test(`${reply.content}${JSON.stringify(reply.embeds ?? [])}`)) throw new Error(`/about answered: ${reply.content}`);
}

/** Turns the notifications plugin on in `guild` and subscribes its #news to `entry.ready`, as an admin does, with slash commands. */
export async function subscribe(discord: DiscordStandIn, guild: BenchGuild): Promise<void> {
	const run = (name: string, subcommand: string, options: Record<string, string>) =>
		discord.runSlashCommand({ guildId: guild.id, memberId: guild.ownerId, name, subcommand, options }).waitForReply(15_000);
	const enabled = await run('plugins', 'enable', { plugin: 'notifications' });
	if (!String(enabled.content).includes('now on')) throw new Error(`/plugins enable answered: ${enabled.content}`);
	const subscribed = await run('notifications', 'subscribe', { channel: guild.channelId, events: 'entry.ready' });
	if (!String(subscribed.content).includes('now gets')) throw new Error(`/notifications subscribe answered: ${subscribed.content}`);
}

/**
 * One signed `entryReady` notification about a fresh entry, sent by the Kaltura stand-in's sender to `url`, once (no retry, so a
 * refusal shows rather than being retried away).
 */
export async function webhook(kaltura: KalturaStandIn, url: string, name: string): Promise<void> {
	const entry = kaltura.state.addEntry({ name });
	const sent = await kaltura.notifications.sendEvent({ url, event: 'entryReady', object: String(entry.id), attempts: 1, timeoutMs: 30_000 });
	if (sent.statuses[0] !== 200) throw new Error(`${url} answered ${String(sent.statuses[0])} (${sent.attempts[0]?.error ?? ''})`);
}

/** Messages posted so far in `channels` whose title says `marker`. */
export function postsIn(discord: DiscordStandIn, channels: readonly string[], marker: string): number {
	let count = 0;
	for (const channel of channels) for (const message of discord.channelMessages(channel)) if (message.embeds?.[0]?.title?.includes(marker)) count++;
	return count;
}

/** Waits until `expected` posts carry `marker` (or `timeoutMs` passes); the ms since `since` at which the last arrived. */
export async function waitForPosts(
	discord: DiscordStandIn,
	channels: readonly string[],
	marker: string,
	expected: number,
	since: number,
	timeoutMs: number
): Promise<{ posted: number; ms: number }> {
	const deadline = Date.now() + timeoutMs;
	let posted = postsIn(discord, channels, marker);
	while (posted < expected && Date.now() < deadline) {
		await new Promise((done) => setTimeout(done, 100));
		posted = postsIn(discord, channels, marker);
	}
	return { posted, ms: Date.now() - since };
}
