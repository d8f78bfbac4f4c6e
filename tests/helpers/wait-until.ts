/** Polls `probe` every 25 ms until it gives a value (neither undefined nor false), and returns it; throws after `timeoutMs`. */
export async function waitUntil<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((done) => setTimeout(done, 25));
	}
}
