import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BotProcess, standInEnvironment } from '../tests/harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const MEMBERS = Number(process.env.BENCH_USER_SYNC_MEMBERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_USER_SYNC_CONCURRENCY ?? 20);
const LATENCY_MS = 20;
const PASS_TIMEOUT_MS = 10 * 60_000;

/** A figure of /proc/<pid>/status (VmRSS, VmHWM), in MiB. */
function procStatusMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function summaryOf(handle: InteractionHandle): Promise<string> {
	const deadline = Date.now() + PASS_TIMEOUT_MS;
	for (;;) {
		const summary = handle.edits.find((edit) => /^\*\*(Synced|The sync stopped)/.test(edit.content));
		if (summary) return summary.content;
		if (Date.now() > deadline) throw new Error(`No summary within ${PASS_TIMEOUT_MS} ms; last edit: ${handle.edits.at(-1)?.content ?? 'none'}`);
		await new Promise((done) => setTimeout(done, 20));
	}
}

/**
 * One `/kaltura-sync` over every member, timed from the command to its summary, against the floor
 * Kaltura's latency alone sets: requests × latency / concurrency.
 */
async function timedPass(discord: DiscordStandIn, kaltura: KalturaStandIn, guildId: string, ownerId: string) {
	kaltura.stats.reset();
	const started = process.hrtime.bigint();
	const summary = await summaryOf(discord.runSlashCommand({ guildId, memberId: ownerId, name: 'kaltura-sync' }));
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	if (!summary.startsWith('**Synced')) throw new Error(`The pass did not finish: ${summary}`);
	const requests = kaltura.stats.requests;
	const floorMs = (requests * LATENCY_MS) / CONCURRENCY;
	return { wallMs, requests, floorMs, peakInFlight: kaltura.stats.peakInFlight, counts: /: (.*)\./.exec(summary.split('\n')[0]!)?.[1] ?? summary };
}

/** The figures before the bulk pass (one `user.add`, plus `user.get` when the user existed, per member), for comparison. */
const BEFORE = { created: '12.5 s for 10,000 requests', unchanged: '23.1 s for 20,000 requests' };

/**
 * Builds the bot, then runs it from the build (as the Docker image does) against a Discord stand-in
 * with one server of `BENCH_USER_SYNC_MEMBERS` members (its owner runs the commands) and a Kaltura stand-in adding 20 ms to every
 * request. Two passes: the first creates every user (a list request per 500 members, then the adds in
 * multirequests of 50), the second finds them all up to date (the list requests alone, no write).
 */
export async function benchUserSyncReconciliation(): Promise<Record<string, string>> {
	execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit'
	});
	const discord = await DiscordStandIn.start({
		globalRateLimit: false,
		defaultRouteRateLimit: { limit: 1_000_000, windowMs: 1000 },
		privilegedIntents: { guildMembers: true },
		waitTimeoutMs: 30_000,
		// The two passes follow each other at once; Discord's one member list per guild every 30 s is not what is measured.
		memberListWindowMs: 0
	});
	const guild = discord.addGuild({ name: 'bench-user-sync' });
	const ownerId = guild.ownerId;
	for (let index = 1; index < MEMBERS; index++) discord.addMember(guild.id, { user: { username: `member-${index}` } });

	const kaltura = await KalturaStandIn.start();
	const bot = await BotProcess.start({
		readyTimeoutMs: 120_000,
		compiled: true,
		env: {
			...standInEnvironment({ discord, kaltura }),
			DISCORD_PRIVILEGED_INTENTS: 'GuildMembers',
			JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn'
		}
	});
	try {
		const configure = async (name: string, subcommand: string, options: Record<string, string>) => {
			const reply = await discord.runSlashCommand({ guildId: guild.id, memberId: ownerId, name, subcommand, options }).waitForReply(30_000);
			if (!/now/.test(reply.content)) throw new Error(`/${name} ${subcommand} failed: ${reply.content}`);
		};
		await configure('plugins', 'enable', { plugin: 'user-sync' });
		await configure('config', 'set', { key: 'user-sync.concurrency', value: String(CONCURRENCY) });
		const rssReady = procStatusMiB(bot.pid, 'VmRSS');

		kaltura.faults.latency(LATENCY_MS);
		const create = await timedPass(discord, kaltura, guild.id, ownerId);
		const rerun = await timedPass(discord, kaltura, guild.id, ownerId);
		const peakRss = procStatusMiB(bot.pid, 'VmHWM');

		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		const members = MEMBERS.toLocaleString('en-US');
		const createGoal = MEMBERS / 50 + 30;
		return {
			[`first pass, ${members} members created (concurrency ${CONCURRENCY}, +${LATENCY_MS} ms per request)`]: `${s(create.wallMs)} for ${create.requests} requests; floor ${s(create.floorMs)}`,
			[`first pass: requests (goal <= ${createGoal})`]: `${create.requests} ${create.requests <= createGoal ? 'ok' : 'OVER'}`,
			'first pass: wall / floor': (create.wallMs / create.floorMs).toFixed(2),
			'first pass: summary': create.counts,
			'first pass before the bulk pass': BEFORE.created,
			[`second pass, ${members} members unchanged`]: `${s(rerun.wallMs)} for ${rerun.requests} requests; floor ${s(rerun.floorMs)}`,
			'second pass: requests (goal <= 30)': `${rerun.requests} ${rerun.requests <= 30 ? 'ok' : 'OVER'}`,
			'second pass: wall / floor': (rerun.wallMs / rerun.floorMs).toFixed(2),
			'second pass: summary': rerun.counts,
			'second pass before the bulk pass': BEFORE.unchanged,
			'peak Kaltura requests in flight (first / second)': `${create.peakInFlight} / ${rerun.peakInFlight}`,
			'bot RSS after READY / peak (VmHWM) after both passes': `${rssReady.toFixed(1)} MiB / ${peakRss.toFixed(1)} MiB`
		};
	} finally {
		await bot.stop();
		await discord.stop();
		await kaltura.stop();
	}
}
