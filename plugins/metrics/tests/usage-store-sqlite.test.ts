import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { UsageStore } from '../lib/usage-store.js';
import { sqliteUsageFile, UsageStoreConnection } from '../lib/usage-store/usage-store-connection.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TSX = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const COUNTING_PROCESS = join(import.meta.dirname, 'count-usage-process.ts');

function quietLogger() {
	const warnings: unknown[][] = [];
	const ignore = () => undefined;
	return { warnings, logger: { debug: ignore, info: ignore, error: ignore, warn: (...values: unknown[]) => void warnings.push(values) } };
}

/** The next line the child prints, or a failure with what it wrote on stderr. */
function nextLine(child: ChildProcessWithoutNullStreams, lines: AsyncIterator<string>, errors: () => string): Promise<string> {
	return lines.next().then(({ value, done }) => {
		if (done === true) throw new Error(`the counting process ended early (exit ${String(child.exitCode)}): ${errors()}`);
		return String(value);
	});
}

/** Starts a counting process on the directory and waits until it has opened the file and says it is ready. */
async function countingProcess(directory: string, guildId: string, times: number) {
	const child = spawn(TSX, [COUNTING_PROCESS, directory, guildId, String(times)], { cwd: PROJECT_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
	expect(await nextLine(child, lines, () => stderr)).to.equal('ready');
	return { go: () => child.stdin.write('go\n'), finished: () => nextLine(child, lines, () => stderr), child };
}

describe('metrics plugin: usage store in SQLite', function () {
	this.timeout(60_000);
	let directory: string;
	const stores: UsageStore[] = [];
	const storeOn = (dataDirectory: string, logger = quietLogger().logger) => {
		const store = new UsageStore(new UsageStoreConnection({ DATA_DIR: dataDirectory }), logger);
		stores.push(store);
		return store;
	};

	beforeEach(() => {
		directory = mkdtempSync(join(tmpdir(), 'metrics-usage-sqlite-'));
	});

	afterEach(async () => {
		await Promise.all(stores.splice(0).map((store) => store.close()));
		rmSync(directory, { recursive: true, force: true });
	});

	it('GIVEN only reports, forgets and sweeps THEN no file is made; the first event makes it, in WAL mode', async () => {
		const store = storeOn(directory);
		expect((await store.days('g1', 30)).every(({ usage }) => usage.joins + usage.videoSearches === 0)).to.equal(true);
		await store.forget('g1');
		expect(await store.sweep()).to.equal(0);
		expect(existsSync(sqliteUsageFile(directory))).to.equal(false);

		await store.record('g1', 'video_searched', {});
		expect(existsSync(sqliteUsageFile(directory))).to.equal(true);
		const reader = new Database(sqliteUsageFile(directory), { readonly: true });
		try {
			expect(reader.pragma('journal_mode', { simple: true })).to.equal('wal');
			expect(reader.prepare('SELECT guild_id, video_searches FROM usage_days').all()).to.deep.equal([{ guild_id: 'g1', video_searches: 1 }]);
		} finally {
			reader.close();
		}
	});

	it('GIVEN two bot processes counting on one file at once THEN every count of both is kept', async () => {
		const [first, second] = await Promise.all([countingProcess(directory, 'g1', 500), countingProcess(directory, 'g1', 500)]);
		first.go();
		second.go();
		expect(await Promise.all([first.finished(), second.finished()])).to.deep.equal(['done', 'done']);
		const [today] = await storeOn(directory).days('g1', 1);
		expect(today?.usage.videoSearches).to.equal(1000);
	});

	it('GIVEN the file cannot be opened THEN the event is logged, not thrown, and the next event opens it once it can', async () => {
		const blocked = join(directory, 'data');
		// A file where the data directory should be: the store's directory cannot be made.
		writeFileSync(blocked, 'not a directory');
		const { warnings, logger } = quietLogger();
		const store = storeOn(blocked, logger);
		await store.record('g1', 'video_searched', {});
		expect(warnings).to.have.length(1);

		rmSync(blocked);
		mkdirSync(blocked);
		await store.record('g1', 'video_searched', {});
		expect(warnings).to.have.length(1);
		expect((await store.days('g1', 1))[0]?.usage.videoSearches).to.equal(1);
	});
});
