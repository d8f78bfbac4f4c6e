import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

/** The prefix of every metric the bot exposes, prom-client's process and Node.js metrics included. */
export const METRIC_PREFIX = 'kaltura_bot_';

export interface MetricSpec<Label extends string> {
	/** Without the `kaltura_bot_` prefix, which is added: `interactions_total` becomes `kaltura_bot_interactions_total`. */
	readonly name: string;
	readonly help: string;
	/** Label names; never one whose value is a guild, user, channel, message, entry or meeting id (each id would be a new series). */
	readonly labelNames?: readonly Label[];
}

export interface HistogramSpec<Label extends string> extends MetricSpec<Label> {
	/** Upper bounds in seconds; prom-client's defaults (5 ms to 10 s) otherwise. */
	readonly buckets?: readonly number[];
}

export interface GaugeSpec<Label extends string> extends MetricSpec<Label> {
	/** Sets the gauge's values when it is scraped, for a value read from elsewhere (a guild count, a queue depth). */
	readonly collect?: (gauge: Pick<Gauge<Label>, 'set' | 'reset'>) => void | Promise<void>;
}

export type MetricDefinition =
	| { readonly kind: 'counter'; readonly spec: MetricSpec<string> }
	| { readonly kind: 'gauge'; readonly spec: GaugeSpec<string> }
	| { readonly kind: 'histogram'; readonly spec: HistogramSpec<string> };

/**
 * One bot's metrics: its own prom-client registry (never prom-client's global one, since a process may hold several
 * bots, as the tests do), off until the metrics plugin starts. While off, every instrument is a no-op: nothing is
 * allocated or counted, so a bot without the plugin pays one boolean check per event.
 */
export class BotMetrics {
	public readonly registry = new Registry();
	#enabled = false;
	#processMetrics = false;
	readonly #instruments = new Map<string, Metric>();

	public constructor(private readonly definitions: () => Iterable<MetricDefinition>) {}

	public get enabled(): boolean {
		return this.#enabled;
	}

	/** Starts recording: every metric defined so far appears (at zero), and the process metrics join the registry. */
	public enable(): void {
		this.#enabled = true;
		if (!this.#processMetrics) {
			this.#processMetrics = true;
			collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
		}
		for (const definition of this.definitions()) this.instrument(definition);
	}

	/** Stops recording; what was counted stays, and counting resumes from there on the next `enable`. */
	public disable(): void {
		this.#enabled = false;
	}

	/** The registry's text exposition and its content type, for a scrape. */
	public async scrape(): Promise<{ readonly contentType: string; readonly text: string }> {
		return { contentType: this.registry.contentType, text: await this.registry.metrics() };
	}

	/** The instrument of `definition` on this bot's registry, made on first use. */
	public instrument(definition: MetricDefinition): Metric {
		const name = `${METRIC_PREFIX}${definition.spec.name}`;
		const existing = this.#instruments.get(name);
		if (existing !== undefined) return existing;
		const made = makeInstrument(definition, name, this.registry);
		this.#instruments.set(name, made);
		return made;
	}
}

function makeInstrument(definition: MetricDefinition, name: string, registry: Registry): Metric {
	const labelNames = [...(definition.spec.labelNames ?? [])];
	const base = { name, help: definition.spec.help, labelNames, registers: [registry] };
	switch (definition.kind) {
		case 'counter':
			return new Counter(base);
		case 'histogram':
			return new Histogram({ ...base, ...(definition.spec.buckets ? { buckets: [...definition.spec.buckets] } : {}) });
		case 'gauge': {
			const { collect } = definition.spec;
			// prom-client calls `collect` with the gauge as `this`.
			return new Gauge({
				...base,
				...(collect
					? {
							collect: function collectGauge(this: Gauge) {
								return collect(this);
							}
						}
					: {})
			});
		}
	}
}
