import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { freePort } from '../tests/harness/bot-process.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..');

export interface CompiledBot {
	readonly apiUrl: string;
	readonly pid: number;
	stop(): Promise<void>;
}

/**
 * Fresh compiled builds, one per entry of `variants`, each in a directory of its own (`<root>/dist`, with the package.json the
 * build writes there for `#sdk`), next to links to the checkout's `node_modules` and `config/` (the bot finds both from where its
 * code is). Fresh, so that no file left in the checkout's `dist/` by an earlier build is loaded. The checkout is compiled once and
 * copied, so every variant runs the same code; the plugins a variant lists are removed from its copy: they are then not loaded at
 * all (without `metrics`, every instrument is the no-op of a bot without it), and nothing else differs.
 */
export function compiledTrees(variants: Record<string, readonly string[]>): Record<string, string> {
	const [first, ...others] = Object.keys(variants);
	if (first === undefined) return {};
	const roots: Record<string, string> = { [first]: mkdtempSync(join(tmpdir(), `kaltura-discord-bench-${first}-`)) };
	const firstRoot = roots[first] ?? '';
	try {
		compileInto(join(firstRoot, 'dist'));
	} catch (error) {
		rmSync(firstRoot, { recursive: true, force: true });
		throw error;
	}
	for (const variant of others) {
		const root = mkdtempSync(join(tmpdir(), `kaltura-discord-bench-${variant}-`));
		cpSync(join(firstRoot, 'dist'), join(root, 'dist'), { recursive: true });
		roots[variant] = root;
	}
	for (const [variant, root] of Object.entries(roots)) {
		for (const plugin of variants[variant] ?? []) rmSync(join(root, 'dist', 'plugins', plugin), { recursive: true, force: true });
		symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
		symlinkSync(join(PROJECT_ROOT, 'config'), join(root, 'config'));
	}
	return roots;
}

/**
 * tsc emits even when the checkout has type errors (exit status 2); the build is used then, with a warning, since a bench run
 * need not wait for every file of a checkout being edited to typecheck. Any other failure stops the bench.
 */
function compileInto(outDir: string): void {
	const typescript = join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	try {
		execFileSync(process.execPath, [typescript, '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: PROJECT_ROOT, stdio: 'inherit' });
	} catch (error) {
		const status = error instanceof Error && 'status' in error ? error.status : undefined;
		if (status !== 2 || !existsSync(join(outDir, 'src', 'main.js'))) throw error;
		console.warn('  (the checkout has type errors, listed above; the bench runs the JavaScript tsc emitted anyway)');
	}
	const { name, version, type, imports } = z
		.object({ name: z.string(), version: z.string(), type: z.string(), imports: z.record(z.string(), z.string()) })
		.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')));
	writeFileSync(join(outDir, 'package.json'), JSON.stringify({ name, version, private: true, type, imports }));
}

/**
 * The compiled bot of `root`, ready once its API says so, with its data on tmpfs where there is one (an fsync then costs
 * nothing, so the disk's mood does not weigh on one side more than the other). `nodeOptions` are passed to node (a CPU profile).
 */
export async function startCompiledBot(root: string, env: Record<string, string>, nodeOptions: readonly string[] = []): Promise<CompiledBot> {
	const port = String(await freePort());
	const dataDirectory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kaltura-discord-bench-'));
	const child: ChildProcess = spawn(process.execPath, [...nodeOptions, join(root, 'dist/src/main.js')], {
		cwd: root,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			API_HOST: '127.0.0.1',
			API_PORT: port,
			DATA_DIR: dataDirectory,
			JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
			NODE_ENV: 'production',
			LOG_LEVEL: 'warn',
			...env
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const exited = new Promise((done) => child.once('exit', done));
	const apiUrl = `http://127.0.0.1:${port}/api/v1`;
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null || child.pid === undefined) throw new Error(`the bot of ${root} exited before it was ready`);
		const ready = await fetch(`${apiUrl}/ready`).then(
			(response) => response.status === 200,
			() => false
		);
		if (ready) break;
		if (Date.now() > deadline) throw new Error(`the bot of ${root} was not ready in 120 s`);
		await new Promise((done) => setTimeout(done, 200));
	}
	return {
		apiUrl,
		pid: child.pid,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
			rmSync(dataDirectory, { recursive: true, force: true });
		}
	};
}
