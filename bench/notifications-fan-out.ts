import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BotProcess, standInEnvironment } from '../tests/harness/bot-process.js';
import { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn } from '../tests/harness/kaltura/index.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const CHANNELS = Number(process.env.BENCH_FAN_OUT_CHANNELS ?? 500);
/** The stand-in's global limit, requests per second: Discord's default for a bot is 50. */
const GLOBAL_LIMIT = Number(process.env.BENCH_FAN_OUT_GLOBAL_LIMIT ?? 50);
const SUBSCRIBE_IN_FLIGHT = 10;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * One Kaltura event to `CHANNELS` subscribed channels of one guild, through the Discord stand-in with
 * its global limit at `GLOBAL_LIMIT` requests/s (`Retry-After` exact): the wall time from the webhook's
 * 200 until every channel has its message, against the floor `CHANNELS / GLOBAL_LIMIT` seconds that the
 * limit allows, and the messages counted per channel (none lost, none twice). The subscriptions are made
 * the way an admin makes them, with `/notifications subscribe` through the stand-in's gateway.
 */
export async function benchNotificationsFanOut(): Promise<Record<string, string>> {
	execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit'
	});
	const discord = await DiscordStandIn.start({
		globalRateLimit: GLOBAL_LIMIT,
		retryAfterHeader: 'exact',
		heartbeatIntervalMs: 41_250,
		waitTimeoutMs: 60_000
	});
	const kaltura = await KalturaStandIn.start({
		partnerId: 5252,
		adminSecret: 'bench-admin-secret-for-notification-fan-out',
		notifications: { autoDispatch: false }
	});
	let bot: BotProcess | undefined;
	try {
		const guild = discord.addGuild({ name: 'fan-out' });
		const channels = Array.from({ length: CHANNELS }, (_, index) => discord.addChannel(guild.id, { name: `news-${index}` }).id);
		bot = await BotProcess.start({
			readyTimeoutMs: 120_000,
			compiled: true,
			env: {
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
				NODE_ENV: 'production',
				LOG_LEVEL: 'warn'
			}
		});
		const slash = (subcommand: string, options: Record<string, string>) =>
			discord
				.runSlashCommand({
					guildId: guild.id,
					memberId: guild.ownerId,
					name: subcommand === 'enable' ? 'plugins' : 'notifications',
					subcommand,
					options
				})
				.waitForReply();
		const enabled = await slash('enable', { plugin: 'notifications' });
		if (!String(enabled.content).includes('now on')) throw new Error(`/plugins enable answered: ${enabled.content}`);
		const subscribeStarted = Date.now();
		let next = 0;
		const subscriber = async () => {
			while (next < channels.length) {
				const channel = channels[next++]!;
				const reply = await slash('subscribe', { channel, events: 'entry.added' });
				if (!String(reply.content).includes(`<#${channel}> now gets`)) throw new Error(`subscribe answered: ${reply.content}`);
			}
		};
		await Promise.all(Array.from({ length: SUBSCRIBE_IN_FLIGHT }, subscriber));
		const subscribeSeconds = (Date.now() - subscribeStarted) / 1000;
		await sleep(2000); // let the global bucket refill after the replies

		const entry = kaltura.state.addEntry({ name: 'Fan-out launch' });
		const sent = await kaltura.notifications.sendEvent({ url: `${bot.apiUrl}/webhooks/kaltura`, event: 'entryAdded', object: String(entry.id) });
		if (sent.statuses.at(-1) !== 200) throw new Error(`the webhook answered ${sent.statuses.join(', ')}`);
		const acknowledged = process.hrtime.bigint();
		const floorSeconds = CHANNELS / GLOBAL_LIMIT;
		const strictFloorSeconds = Math.max(CHANNELS - GLOBAL_LIMIT, 1) / GLOBAL_LIMIT;
		const deadline = Date.now() + (floorSeconds * 3 + 30) * 1000;
		const delivered = () => channels.reduce((sum, channel) => sum + (discord.channelMessages(channel).length > 0 ? 1 : 0), 0);
		while (delivered() < CHANNELS && Date.now() < deadline) await sleep(5);
		const wallSeconds = Number(process.hrtime.bigint() - acknowledged) / 1e9;
		await sleep(2000); // anything sent twice would show up by now
		const counts = channels.map((channel) => discord.channelMessages(channel).length);
		const lost = counts.filter((count) => count === 0).length;
		const doubled = counts.filter((count) => count > 1).length;
		return {
			[`subscriptions made (/notifications subscribe, ${SUBSCRIBE_IN_FLIGHT} at a time)`]: `${CHANNELS} in ${subscribeSeconds.toFixed(1)} s`,
			[`wall time 200 → ${CHANNELS} messages (global limit ${GLOBAL_LIMIT}/s)`]: `${wallSeconds.toFixed(2)} s`,
			[`floor ${CHANNELS}/${GLOBAL_LIMIT}`]: `${floorSeconds.toFixed(2)} s`,
			'ratio wall/floor (goal <= 1.15)': (wallSeconds / floorSeconds).toFixed(2),
			// The bucket is full when the event arrives, so the first GLOBAL_LIMIT go at once: the last window opens at (CHANNELS - GLOBAL_LIMIT) / GLOBAL_LIMIT.
			[`strict floor (${CHANNELS}-${GLOBAL_LIMIT})/${GLOBAL_LIMIT}, ratio wall/strict floor`]: `${strictFloorSeconds.toFixed(2)} s, ${(wallSeconds / strictFloorSeconds).toFixed(2)}`,
			'channels lost / doubled': `${lost} / ${doubled}`
		};
	} finally {
		await bot?.stop();
		await discord.stop();
		await kaltura.stop();
	}
}
