/** Percentile of sorted samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank]!;
}

export function median(values: readonly number[]): number {
	return percentile(
		[...values].sort((a, b) => a - b),
		50
	);
}

/** Nanoseconds per call of `body`, run `iterations` times, best-effort against JIT warm-up: the median of `rounds`. */
export async function nanosPerCall(body: () => unknown, iterations: number, rounds = 7): Promise<number> {
	const results: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const start = process.hrtime.bigint();
		for (let index = 0; index < iterations; index++) await body();
		results.push(Number(process.hrtime.bigint() - start) / iterations);
	}
	return median(results);
}

export function nanosPerCallSync(body: () => unknown, iterations: number, rounds = 7): number {
	const results: number[] = [];
	let sink: unknown;
	for (let round = 0; round < rounds; round++) {
		const start = process.hrtime.bigint();
		for (let index = 0; index < iterations; index++) sink = body();
		results.push(Number(process.hrtime.bigint() - start) / iterations);
	}
	if (sink === Symbol.for('never')) console.log(sink);
	return median(results);
}

export function formatMs(nanos: number): string {
	return `${(nanos / 1e6).toFixed(3)} ms`;
}
