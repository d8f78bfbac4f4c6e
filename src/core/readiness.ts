/** A dependency the bot needs to serve requests; `check` answers quickly and never throws. */
export interface ReadinessCheck {
	readonly name: string;
	check(): Promise<boolean>;
}

export interface ReadinessReport {
	readonly ready: boolean;
	readonly checks: Readonly<Record<string, boolean>>;
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
		const results = await Promise.all(this.#checks.map(async ({ name, check }) => [name, await this.#withTimeout(check)] as const));
		return { ready: results.every(([, ok]) => ok), checks: Object.fromEntries(results) };
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
