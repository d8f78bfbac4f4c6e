/**
 * One place where every state change is announced, so that `waitFor…` helpers can
 * re-check their condition and resolve, or reject with a clear message on timeout
 * instead of hanging a test.
 */
const POLL_INTERVAL_MS = 20;

export class ChangeNotifier {
	readonly #checks = new Set<() => void>();

	/** Re-runs every pending check. Called after each state change. */
	public notify(): void {
		for (const check of [...this.#checks]) check();
	}

	/**
	 * Resolves with the first non-undefined value of `probe()`; it is re-evaluated at
	 * each `notify()` and every 20 ms. Rejects after `timeoutMs` with "Timed out … waiting for <what>"
	 * (plus `diagnose()` output, if given).
	 */
	public waitFor<T>(probe: () => T | undefined, what: string, timeoutMs: number, diagnose?: () => string): Promise<T> {
		const first = probe();
		if (first !== undefined) return Promise.resolve(first);
		return new Promise<T>((resolve, reject) => {
			const check = (): void => {
				let value: T | undefined;
				try {
					value = probe();
				} catch (error) {
					finish();
					reject(error instanceof Error ? error : new Error(String(error)));
					return;
				}
				if (value !== undefined) {
					finish();
					resolve(value);
				}
			};
			const timer = setTimeout(() => {
				finish();
				const detail = diagnose ? `\n${diagnose()}` : '';
				reject(new Error(`Discord stand-in: timed out after ${timeoutMs} ms waiting for ${what}${detail}`));
			}, timeoutMs);
			// Probes may also look at things outside the stand-in (e.g. what the bot saw).
			const poll = setInterval(check, POLL_INTERVAL_MS);
			const finish = (): void => {
				clearTimeout(timer);
				clearInterval(poll);
				this.#checks.delete(check);
			};
			this.#checks.add(check);
		});
	}
}
