import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Whether Prometheus's server binary is on PATH (Debian's `prometheus` package). */
export const hasPrometheus = (): boolean => spawnSync('prometheus', ['--version']).status === 0;

/** A port nothing listens on now, on the loopback interface. */
export async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
	const address = server.address();
	await new Promise<void>((closed) => server.close(() => closed()));
	if (address === null || typeof address === 'string') throw new Error('The probe server has no port');
	return address.port;
}

const queryAnswer = z.object({
	status: z.string(),
	data: z
		.object({
			resultType: z.string(),
			result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]).optional() }))
		})
		.optional(),
	error: z.string().optional()
});
export type QueryAnswer = z.output<typeof queryAnswer> & { readonly httpStatus: number };

const targetsAnswer = z.object({
	data: z.object({ activeTargets: z.array(z.object({ labels: z.record(z.string(), z.string()), lastScrape: z.string(), health: z.string() })) })
});

export interface PrometheusOptions {
	/** The job name, and `host:port` and path of the one target it scrapes. */
	readonly job: string;
	readonly target: string;
	readonly metricsPath: string;
	/** Absolute paths of rule files to load. */
	readonly ruleFiles: readonly string[];
}

/** A Prometheus server run as a child process on a temporary config and data directory, scraping one target every second. */
export class PrometheusProcess {
	private constructor(
		private readonly child: ChildProcess,
		private readonly directory: string,
		public readonly url: string,
		private readonly output: string[]
	) {}

	public static async start(options: PrometheusOptions): Promise<PrometheusProcess> {
		const directory = mkdtempSync(join(tmpdir(), 'prometheus-'));
		const config = join(directory, 'prometheus.yml');
		// JSON is YAML: no YAML writer needed for a config this small.
		const settings = {
			global: { scrape_interval: '1s', evaluation_interval: '1s' },
			rule_files: options.ruleFiles,
			scrape_configs: [{ job_name: options.job, metrics_path: options.metricsPath, static_configs: [{ targets: [options.target] }] }]
		};
		writeFileSync(config, JSON.stringify(settings));
		const port = await freePort();
		const output: string[] = [];
		const child = spawn(
			'prometheus',
			[
				`--config.file=${config}`,
				`--storage.tsdb.path=${join(directory, 'data')}`,
				`--web.listen-address=127.0.0.1:${port}`,
				'--log.level=warn'
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
		const prometheus = new PrometheusProcess(child, directory, `http://127.0.0.1:${port}`, output);
		try {
			await prometheus.waitReady();
		} catch (error) {
			await prometheus.stop();
			throw error;
		}
		return prometheus;
	}

	private async waitReady(timeoutMs = 15_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}: ${this.output.join('')}`);
			const ready = await fetch(`${this.url}/-/ready`).then(
				(response) => response.ok,
				() => false
			);
			if (ready) return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error(`prometheus was not ready within ${timeoutMs} ms: ${this.output.join('')}`);
	}

	/** Evaluates `query` now through `/api/v1/query`; a parse error is an answer too (HTTP 400, status error). */
	public async query(query: string): Promise<QueryAnswer> {
		const response = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query })}`);
		return { ...queryAnswer.parse(await response.json()), httpStatus: response.status };
	}

	/** The time of the last scrape of `job`'s target, and its health, from `/api/v1/targets`. */
	public async lastScrape(job: string): Promise<{ at: number; health: string } | undefined> {
		const response = await fetch(`${this.url}/api/v1/targets?state=active`);
		const target = targetsAnswer.parse(await response.json()).data.activeTargets.find((each) => each.labels.job === job);
		return target === undefined ? undefined : { at: Date.parse(target.lastScrape), health: target.health };
	}

	/** Resolves once two scrapes of `job`, both started after the call, have been made and were healthy. */
	public async waitForTwoScrapes(job: string, timeoutMs = 10_000): Promise<void> {
		const since = Date.now();
		const deadline = since + timeoutMs;
		const seen = new Set<number>();
		while (seen.size < 2) {
			if (Date.now() > deadline) throw new Error(`prometheus did not scrape ${job} twice within ${timeoutMs} ms`);
			const scrape = await this.lastScrape(job);
			if (scrape !== undefined && scrape.at > since) {
				if (scrape.health !== 'up') throw new Error(`the scrape of ${job} is ${scrape.health}`);
				seen.add(scrape.at);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	public async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			const exited = new Promise((resolve) => this.child.once('exit', resolve));
			this.child.kill('SIGTERM');
			const killer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(killer);
		}
		rmSync(this.directory, { recursive: true, force: true });
	}
}
