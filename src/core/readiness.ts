/** A dependency the bot needs to serve requests; `check` answers quickly and never throws. */
export interface ReadinessCheck {
	readonly name: string;
	check(): Promise<boolean>;
	/** What to do about it, reported while the check fails (never a secret: the probe is public). */
	reason?(): string;
}

export interface ReadinessReport {
	readonly ready: boolean;
	readonly checks: Readonly<Record<string, boolean>>;
	/** The reasons of the failing checks that give one, by check name. */
	readonly reasons: Readonly<Record<string, string>>;
}

/** What `/api/v1/ready` reports: each dependency's state, each with its own time limit so one hung service cannot hang the probe. */
export class Readiness {
	readonly #checks: ReadinessCheck[] = [];

	public constructor(private readonly timeoutMs = 2000) {}

	public add(check: ReadinessCheck): this {
		this.#checks.push(check);
		return this;
	}

	public async report(): Promise<ReadinessReport> {
		const results = await Promise.all(this.#checks.map(async (check) => [check, await this.#withTimeout(() => check.check())] as const));
		const reasons: Record<string, string> = {};
		for (const [check, ok] of results) {
			const reason = ok ? undefined : check.reason?.();
			if (reason !== undefined) reasons[check.name] = reason;
		}
		return { ready: results.every(([, ok]) => ok), checks: Object.fromEntries(results.map(([check, ok]) => [check.name, ok])), reasons };
	}

	async #withTimeout(check: () => Promise<boolean>): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<boolean>((resolve) => {
			timer = setTimeout(() => resolve(false), this.timeoutMs);
		});
		try {
			return await Promise.race([check().catch(() => false), timeout]);
		} finally {
			clearTimeout(timer);
		}
	}
}
