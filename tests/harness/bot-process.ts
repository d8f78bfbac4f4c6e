import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');

/** A port nothing listens on right now, for the bot's API. */
export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? done(address.port) : fail(new Error('no port'))));
		});
	});
}

/** The stand-ins a bot process is pointed at; only their addresses and credentials are read. */
export interface StandIns {
	readonly discord: { readonly token: string; readonly restUrl: string };
	readonly kaltura: { readonly partnerId: number; readonly adminSecret: string; readonly serviceUrl: string };
}

/** The variables that point the bot at the stand-ins, as an operator's would point it at Discord and Kaltura. */
export function standInEnvironment({ discord, kaltura }: StandIns): Record<string, string> {
	return {
		DISCORD_TOKEN: discord.token,
		DISCORD_API_URL: discord.restUrl,
		KALTURA_PARTNER_ID: String(kaltura.partnerId),
		KALTURA_ADMIN_SECRET: kaltura.adminSecret,
		KALTURA_SERVICE_URL: kaltura.serviceUrl
	};
}

export interface BotProcessOptions {
	/** Variables on top of a clean environment (PATH and HOME only): the bot sees nothing else of the test's. */
	readonly env: Readonly<Record<string, string>>;
	/** Where the bot's output goes besides memory, as plain text (no colour codes); the sandbox keeps it in a file so the prompt stays readable. */
	readonly logFile?: string;
	/**
	 * The bot's working directory (default: the checkout, as `npm start`). The bot loads a `.env` from its working
	 * directory, so a run that must see only `env` (the sandbox) starts elsewhere; code and `config/` are found
	 * from the code's own location either way.
	 */
	readonly cwd?: string;
	/** How long to wait for `/api/v1/ready`. */
	readonly readyTimeoutMs?: number;
	/** Run the compiled build (`node dist/src/main.js`, as the Docker image does) instead of `tsx src/main.ts`; build first. */
	readonly compiled?: boolean;
}

/**
 * The bot as `npm start` runs it (`tsx src/main.ts`), in its own process, so the end-to-end suite and
 * the sandbox exercise the real entry point: environment parsing, start-up order, signals, exit codes.
 */
export class BotProcess {
	readonly #child: ChildProcess;
	readonly #output: string[] = [];
	readonly #log: WriteStream | undefined;
	readonly #exited: Promise<number | null>;

	private constructor(
		child: ChildProcess,
		public readonly apiUrl: string,
		log: WriteStream | undefined
	) {
		this.#child = child;
		this.#log = log;
		const collect = (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			this.#output.push(text);
			this.#log?.write(stripVTControlCharacters(text));
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		this.#exited = new Promise((done) => child.once('exit', (code) => done(code)));
	}

	public static async start(options: BotProcessOptions): Promise<BotProcess> {
		const port = options.env.API_PORT ?? String(await freePort());
		const env = {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			API_HOST: '127.0.0.1',
			DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-bot-')),
			...options.env,
			API_PORT: port
		};
		// Outside the checkout tsx would not find the project's tsconfig.json by itself.
		const [command, args] = options.compiled
			? [process.execPath, [join(PROJECT_ROOT, 'dist/src/main.js')]]
			: [TSX, [join(PROJECT_ROOT, 'src/main.ts')]];
		const cwd = options.cwd ?? PROJECT_ROOT;
		const childEnv = options.compiled || cwd === PROJECT_ROOT ? env : { TSX_TSCONFIG_PATH: join(PROJECT_ROOT, 'tsconfig.json'), ...env };
		const child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
		const bot = new BotProcess(child, `http://127.0.0.1:${port}/api/v1`, log);
		await bot.#waitUntilReady(options.readyTimeoutMs ?? 30_000);
		return bot;
	}

	/** The process id, for resource measurements. */
	public get pid(): number {
		return this.#child.pid ?? -1;
	}

	/** The node process running the bot itself: `tsx` starts it as its child, and a SIGKILL meant for the bot must hit it. */
	public get nodePid(): number {
		const children = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
		return children[0] ?? this.pid;
	}

	/** Everything the bot printed so far. */
	public output(): string {
		return this.#output.join('');
	}

	public get exitCode(): Promise<number | null> {
		return this.#exited;
	}

	/** SIGTERM, as a container runtime stops it; resolves with the exit code. */
	public async stop(): Promise<number | null> {
		if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
		const code = await Promise.race([this.#exited, new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000))]);
		if (code === 'timeout') {
			this.#child.kill('SIGKILL');
			throw new Error(`The bot did not exit within 10 s of SIGTERM. Output:\n${this.output().slice(-2000)}`);
		}
		this.#log?.end();
		return code;
	}

	async #waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let exited = false;
		void this.#exited.then(() => (exited = true));
		for (;;) {
			if (exited) throw new Error(`The bot exited before it was ready. Output:\n${this.output().slice(-3000)}`);
			try {
				const response = await fetch(`${this.apiUrl}/ready`);
				if (response.status === 200) return;
			} catch {
				// Not listening yet.
			}
			if (Date.now() > deadline) {
				this.#child.kill('SIGKILL');
				throw new Error(`The bot was not ready within ${timeoutMs} ms. Output:\n${this.output().slice(-3000)}`);
			}
			await new Promise((done) => setTimeout(done, 100));
		}
	}
}
