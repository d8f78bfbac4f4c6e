/**
 * A second bot process, as far as the usage store is concerned: opens the store of DATA_DIR (argv[2]) and, once told `go`
 * on its standard input, counts argv[4] video searches for guild argv[3], then prints `done` and exits. Started by
 * usage-store-contract.test.ts, twice at once, to count against one SQLite file from two processes.
 */
import { createInterface } from 'node:readline';
import { UsageStore } from '../lib/usage-store.js';
import { UsageStoreConnection } from '../lib/usage-store/usage-store-connection.js';

const [dataDirectory, guildId, times] = process.argv.slice(2);
if (dataDirectory === undefined || guildId === undefined || times === undefined)
	throw new Error('usage: count-usage-process <DATA_DIR> <guildId> <times>');

const failures: unknown[] = [];
const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (...values: unknown[]) => failures.push(values) };
const store = new UsageStore(new UsageStoreConnection({ DATA_DIR: dataDirectory }), logger);
// The first count opens the file (both processes may create it at once), before the start signal: the rest are counted by
// both processes at the same time, rather than by one while the other is still starting.
await store.record(guildId, 'video_searched', {});

const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const line of lines) {
	if (line !== 'go') continue;
	// One at a time in this process: each count is its own transaction, interleaved with the other process's.
	for (let count = 1; count < Number(times); count++) await store.record(guildId, 'video_searched', {});
	await store.close();
	console.log(failures.length === 0 ? 'done' : `failed ${JSON.stringify(failures.map(String))}`);
	lines.close();
}
