import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BotProcess, freePort } from '../harness/bot-process.js';
import { rejectionOf } from '../helpers/rejection-of.js';
import { TEST_SECRETS } from '../helpers/test-bot.js';

/** Everything `npm start` needs to get as far as Discord; no stand-in answers, so the start must fail. */
function operatorEnvironment(overrides: Record<string, string>): Record<string, string> {
	return {
		...TEST_SECRETS,
		KALTURA_PARTNER_ID: '1234',
		KALTURA_SERVICE_URL: 'http://127.0.0.1:9',
		...overrides
	};
}

/** What `npm start` printed before it gave up: BotProcess.start rejects with the process's output. */
async function startFailure(env: Record<string, string>): Promise<string> {
	const error = await rejectionOf(BotProcess.start({ env: operatorEnvironment(env), readyTimeoutMs: 60_000 }));
	const message = error instanceof Error ? error.message : String(error);
	expect(message).to.include('The bot exited before it was ready');
	// No secret in what the operator sees, whatever failed.
	for (const secret of Object.values(TEST_SECRETS)) expect(message).to.not.include(secret);
	return message;
}

describe('npm start: a failed start says what the bot was doing, what it tried and what to check', function () {
	this.timeout(90_000);

	it('GIVEN Discord at a port where nothing listens THEN the REST URL and a refused connection are named', async function () {
		const port = await freePort();

		const output = await startFailure({ DISCORD_API_URL: `http://127.0.0.1:${port}/api` });

		expect(output).to.include("Cannot start: Connecting to Discord's REST API failed.");
		expect(output).to.include(`Tried: GET http://127.0.0.1:${port}/api/v10/gateway/bot`);
		expect(output).to.match(/Error: .*ECONNREFUSED/);
		expect(output).to.include(`Check: nothing accepts connections at 127.0.0.1:${port}: check the host and port in DISCORD_API_URL`);
	});

	it('GIVEN a Discord host name that does not resolve THEN DNS is what to check', async function () {
		const output = await startFailure({ DISCORD_API_URL: 'http://discord-api.invalid/api' });

		expect(output).to.include("Cannot start: Connecting to Discord's REST API failed.");
		expect(output).to.include('Tried: GET http://discord-api.invalid/api/v10/gateway/bot');
		expect(output).to.match(/Error: getaddrinfo (ENOTFOUND|EAI_AGAIN) discord-api\.invalid/);
		expect(output).to.include('Check: the name discord-api.invalid does not resolve: check DISCORD_API_URL');
		expect(output).to.include("this machine's DNS");
	});

	describe('before Discord is tried', function () {
		let occupied: Server | undefined;

		afterEach(function (done) {
			if (occupied === undefined) return done();
			occupied.close(() => done());
			occupied = undefined;
		});

		it('GIVEN the API port taken by another process THEN the address and how to free it are named', async function () {
			const port = await freePort();
			// Hangs up at once: BotProcess polls this port for readiness, and a silent listener would hold that poll.
			occupied = createServer((socket) => socket.destroy());
			await new Promise<void>((done) => occupied!.listen(port, '127.0.0.1', done));

			const output = await startFailure({ API_PORT: String(port), DISCORD_API_URL: 'http://127.0.0.1:9/api' });

			expect(output).to.include('Cannot start: Opening the HTTP API failed.');
			expect(output).to.include(`Tried: http://127.0.0.1:${port}/api/v1`);
			expect(output).to.include('EADDRINUSE');
			expect(output).to.include(`Check: another process already listens on port ${port}`);
			expect(output).to.include('set API_PORT to a free port');
		});

		it('GIVEN a DATA_DIR that is a file THEN the SQLite file and DATA_DIR are named', async function () {
			const notADirectory = join(mkdtempSync(join(tmpdir(), 'startup-data-')), 'a-file');
			writeFileSync(notADirectory, 'not a directory');

			const output = await startFailure({ DATA_DIR: notADirectory, DISCORD_API_URL: 'http://127.0.0.1:9/api' });

			expect(output).to.include('Cannot start: Opening the SQLite data file failed.');
			expect(output).to.include(`Tried: ${join(notADirectory, 'keyv.sqlite')}`);
			expect(output).to.include('Check: that DATA_DIR is a directory the bot');
		});

		it('GIVEN a Redis that does not answer THEN its address is named without its password', async function () {
			const port = await freePort();

			const output = await startFailure({ REDIS_URL: `redis://:redis-pa55word@127.0.0.1:${port}`, DISCORD_API_URL: 'http://127.0.0.1:9/api' });

			expect(output).to.include('Cannot start: Connecting to Redis failed.');
			expect(output).to.match(new RegExp(`Tried: redis://:[^@\\s]+@127\\.0\\.0\\.1:${port}`));
			expect(output).to.include(`Check: nothing accepts connections at 127.0.0.1:${port}: check the host and port in REDIS_URL`);
			expect(output).to.not.include('redis-pa55word');
		});
	});
});
