import { PermissionFlagsBits } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../tests/harness/bot-process.js';
import { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';
import { percentile } from './stats.js';

const MEMBERS = Number(process.env.BENCH_MEETING_MEMBERS ?? 10);
const JOINS_PER_MEMBER = Number(process.env.BENCH_MEETING_JOINS ?? 20);
const ABOUT_SAMPLES = Number(process.env.BENCH_MEETING_ABOUT ?? 200);
const JWT_SECRET = 'bench-jwt-secret-that-is-long-enough-for-hs256';

interface Timings {
	readonly p50: number;
	readonly p99: number;
}

function summarize(samples: number[]): Timings {
	samples.sort((a, b) => a - b);
	return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function time(run: () => Promise<unknown>): Promise<number> {
	const start = process.hrtime.bigint();
	await run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * `/meeting join` round trip (command sent → the private link is in the deferred reply) against
 * `/about` on the same bot process (command sent → reply), with the Kaltura stand-in at 0 and 100 ms
 * of added latency per HTTP request.
 *
 * The bot gets its sessions with `session.start` here (KALTURA_SESSION_SOURCE=session-start), so
 * every KS it mints is a call the Kaltura stand-in records: join KSs minted = `session.start` calls
 * whose privileges name the event; served from the bot's cache = joins minus that.
 */
export async function benchMeetingJoin(): Promise<Record<string, string>> {
	const results: Record<string, string> = {};
	for (const latencyMs of [0, 100]) {
		const figures = await measure(latencyMs);
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		results[`Kaltura +${latencyMs} ms: /meeting join p50 / p99 (${figures.joins} sequential)`] =
			`${ms(figures.join.p50)} / ${ms(figures.join.p99)}`;
		results[`Kaltura +${latencyMs} ms: /about p50 / p99, same process`] = `${ms(figures.about.p50)} / ${ms(figures.about.p99)}`;
		results[`Kaltura +${latencyMs} ms: join KS minted / served from cache (hit rate)`] =
			`${figures.minted} / ${figures.joins - figures.minted} (${((100 * (figures.joins - figures.minted)) / figures.joins).toFixed(1)} %)`;
		results[`Kaltura +${latencyMs} ms: Kaltura calls per join`] = (figures.kalturaCalls / figures.joins).toFixed(2);
	}
	return results;
}

async function measure(latencyMs: number) {
	const kaltura = await KalturaStandIn.start();
	const discord = await DiscordStandIn.start({ globalRateLimit: false, defaultRouteRateLimit: { limit: 1_000_000, windowMs: 1000 } });
	const guild = discord.addGuild({ name: 'bench-meetings' });
	const hosts = discord.addRole(guild.id, { name: 'Hosts', permissions: PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents });
	const hostId = discord.addMember(guild.id, { user: { username: 'host' }, roles: [hosts.id] }).user!.id;
	const members = Array.from({ length: MEMBERS }, (_, index) => discord.addMember(guild.id, { user: { username: `member${index}` } }).user!.id);
	const bot = await BotProcess.start({
		readyTimeoutMs: 120_000,
		env: {
			...standInEnvironment({ discord, kaltura }),
			KALTURA_SESSION_SOURCE: 'session-start',
			JWT_SECRET,
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn'
		}
	});
	try {
		await discord
			.runSlashCommand({ guildId: guild.id, memberId: hostId, name: 'plugins', subcommand: 'enable', options: { plugin: 'meetings' } })
			.waitForReply(10_000);
		const token = new ApiTokenService(JWT_SECRET).issue({ userId: hostId, guildId: guild.id, scope: [GUILD_MANAGE_SCOPE] });
		const created = await fetch(`${bot.apiUrl}/guilds/${guild.id}/meetings`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'meeting', title: 'Bench meeting', durationMinutes: 120 })
		});
		const { id: meetingId } = (await created.json()) as { id: string };

		const about = () => discord.runSlashCommand({ guildId: guild.id, memberId: hostId, name: 'about' }).waitForCallback(10_000);
		const join = async (memberId: string) => {
			const reply = await discord
				.runSlashCommand({ guildId: guild.id, memberId, name: 'meeting', subcommand: 'join', options: { meeting: meetingId } })
				.waitForReply(10_000);
			if (!reply.content.includes('/virtualEvent/launch?ks=')) throw new Error(`No join link: ${reply.content}`);
		};
		for (let index = 0; index < 20; index++) await about(); // warm-up: JIT, caches, connection pools
		await join(hostId);

		kaltura.faults.latency(latencyMs);
		const mintedBefore = mintedJoinKs(kaltura, meetingId);
		const callsBefore = kaltura.stats.calls;
		const joinSamples: number[] = [];
		for (let round = 0; round < JOINS_PER_MEMBER; round++) for (const memberId of members) joinSamples.push(await time(() => join(memberId)));
		const minted = mintedJoinKs(kaltura, meetingId) - mintedBefore;
		const kalturaCalls = kaltura.stats.calls - callsBefore;
		const aboutSamples: number[] = [];
		for (let index = 0; index < ABOUT_SAMPLES; index++) aboutSamples.push(await time(about));
		return { join: summarize(joinSamples), about: summarize(aboutSamples), joins: joinSamples.length, minted, kalturaCalls };
	} finally {
		kaltura.faults.clear();
		await bot.stop();
		await discord.stop();
		await kaltura.stop();
	}
}

/** `session.start` calls that minted a join KS for this event (the bot's own sessions name no event). */
function mintedJoinKs(kaltura: KalturaStandIn, meetingId: string): number {
	return kaltura.stats.callsTo('session', 'start').filter((call) => String(call.params.privileges ?? '').includes(`eventId:${meetingId}`)).length;
}
