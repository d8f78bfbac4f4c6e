import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { BotProcess, standInEnvironment } from '../tests/harness/bot-process.js';
import { DiscordStandIn } from '../tests/harness/discord/index.js';
import { KalturaStandIn, signKalturaPayload } from '../tests/harness/kaltura/index.js';
import { percentile } from './stats.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');
const REQUESTS = Number(process.env.BENCH_WEBHOOKS ?? 5_000);
const IN_FLIGHT = 50;
const WARM_UP = 500;
export const ADMIN_SECRET = 'bench-admin-secret-for-notification-ingest';

/** The baseline: a plain node:http server in its own process that reads the body and answers 200. */
const BARE_SERVER = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
	req.on('data', () => {});
	req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"stored"}'); });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
`;

async function startBare(): Promise<{ url: string; stop(): Promise<void> }> {
	const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<number>((done, fail) => {
		child.stdout.on('data', (chunk: Buffer) => {
			const match = /PORT (\d+)/.exec(chunk.toString());
			if (match) done(Number(match[1]));
		});
		child.once('exit', (code) => fail(new Error(`bare server exited (${code})`)));
	});
	return {
		url: `http://127.0.0.1:${port}/api/v1/webhooks/kaltura`,
		stop: () => new Promise((done) => (child.kill('SIGTERM'), child.once('exit', () => done())))
	};
}

let jobId = 1_000_000;

/** A signed entry-added notification with a job id of its own, as Kaltura sends it. */
function notification(): { body: string; signature: string } {
	const id = ++jobId;
	const body = JSON.stringify({
		objectType: 'KalturaHttpNotification',
		eventNotificationJobId: id,
		templateId: 1,
		templateName: 'Entry added',
		templateSystemName: 'HTTP_ENTRY_ADDED_DISCORD_BOT',
		eventType: 2,
		eventObjectType: 1,
		partnerId: 5151,
		object: { objectType: 'KalturaMediaEntry', id: `0_bench${id}`, name: `Bench ${id}`, partnerId: 5151, status: 2, type: 1, mediaType: 1 }
	});
	return { body, signature: signKalturaPayload(ADMIN_SECRET, body, 'sha256') };
}

function post(url: URL, agent: Agent): Promise<number> {
	const { body, signature } = notification();
	const started = process.hrtime.bigint();
	return new Promise((done, fail) => {
		const outgoing = request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(body),
					'x-kaltura-signature': signature,
					'x-kaltura-hash-algo': 'sha256'
				}
			},
			(response) => {
				response.resume();
				response.once('end', () => {
					if (response.statusCode !== 200) fail(new Error(`${url.host} answered ${response.statusCode}`));
					else done(Number(process.hrtime.bigint() - started) / 1e6);
				});
			}
		);
		outgoing.once('error', fail);
		outgoing.end(body);
	});
}

/** `count` webhooks, `IN_FLIGHT` at a time over keep-alive connections: requests per second and sorted latencies. */
export async function load(target: string, count: number): Promise<{ rate: number; latencies: number[] }> {
	const url = new URL(target);
	const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
	const latencies: number[] = [];
	let next = 0;
	const started = Date.now();
	const worker = async () => {
		while (next++ < count) latencies.push(await post(url, agent));
	};
	try {
		await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	} finally {
		agent.destroy();
	}
	return { rate: count / ((Date.now() - started) / 1000), latencies: latencies.sort((a, b) => a - b) };
}

/**
 * Signed Kaltura webhooks against the bot process (compiled, as the Docker image runs it; each one
 * verified and committed to SQLite with `synchronous = FULL` before its 200) and against a bare
 * node:http server in its own process that only reads the body: same generator, same loopback.
 */
export async function benchNotificationsIngest(): Promise<Record<string, string>> {
	execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit'
	});
	const discord = await DiscordStandIn.start({ globalRateLimit: false, heartbeatIntervalMs: 41_250 });
	const kaltura = await KalturaStandIn.start({ partnerId: 5151, adminSecret: ADMIN_SECRET, notifications: { autoDispatch: false } });
	let bot: BotProcess | undefined;
	let botOnTmpfs: BotProcess | undefined;
	const tmpfsDataDirectory = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'kaltura-discord-bench-')) : undefined;
	let bare: Awaited<ReturnType<typeof startBare>> | undefined;
	try {
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
		bare = await startBare();
		const botUrl = `${bot.apiUrl}/webhooks/kaltura`;
		await load(botUrl, WARM_UP);
		await load(bare.url, WARM_UP);
		const botRun = await load(botUrl, REQUESTS);
		const bareRun = await load(bare.url, REQUESTS);
		await bot.stop();
		bot = undefined;
		// Diagnostic: the same bot with its SQLite file on tmpfs, where fsync costs nothing, to tell disk from CPU.
		let tmpfsRun: { rate: number; latencies: number[] } | undefined;
		if (tmpfsDataDirectory !== undefined) {
			botOnTmpfs = await BotProcess.start({
				readyTimeoutMs: 120_000,
				compiled: true,
				env: {
					...standInEnvironment({ discord, kaltura }),
					DATA_DIR: tmpfsDataDirectory,
					JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
					NODE_ENV: 'production',
					LOG_LEVEL: 'warn'
				}
			});
			const tmpfsUrl = `${botOnTmpfs.apiUrl}/webhooks/kaltura`;
			await load(tmpfsUrl, WARM_UP);
			tmpfsRun = await load(tmpfsUrl, REQUESTS);
		}
		const ms = (value: number) => `${value.toFixed(2)} ms`;
		return {
			[`bot webhooks/s (${REQUESTS}, ${IN_FLIGHT} in flight)`]: botRun.rate.toFixed(0),
			'bare node:http webhooks/s': bareRun.rate.toFixed(0),
			'throughput ratio bot/bare (goal >= 0.5)': (botRun.rate / bareRun.rate).toFixed(2),
			'p50 / p99 bot': `${ms(percentile(botRun.latencies, 50))} / ${ms(percentile(botRun.latencies, 99))}`,
			'p50 / p99 bare': `${ms(percentile(bareRun.latencies, 50))} / ${ms(percentile(bareRun.latencies, 99))}`,
			'diagnostic: bot with DATA_DIR on tmpfs webhooks/s, p99': tmpfsRun
				? `${tmpfsRun.rate.toFixed(0)}, ${ms(percentile(tmpfsRun.latencies, 99))}`
				: 'no /dev/shm'
		};
	} finally {
		await bare?.stop();
		await bot?.stop();
		await botOnTmpfs?.stop();
		if (tmpfsDataDirectory !== undefined) rmSync(tmpfsDataDirectory, { recursive: true, force: true });
		await discord.stop();
		await kaltura.stop();
	}
}
