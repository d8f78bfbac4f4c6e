import { container } from '@sapphire/framework';
import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import type { BotMetrics, GaugeSpec, HistogramSpec, MetricDefinition, MetricSpec } from './bot-metrics.js';

/** Every label of the metric, each a bounded value (a command name, an outcome, a route template; never an id). */
export type MetricLabels<Label extends string> = Readonly<Record<Label, string>>;

export interface CounterInstrument<Label extends string> {
	inc(labels: MetricLabels<Label>, value?: number): void;
}

export interface GaugeInstrument<Label extends string> {
	set(labels: MetricLabels<Label>, value: number): void;
	inc(labels: MetricLabels<Label>, value?: number): void;
	dec(labels: MetricLabels<Label>, value?: number): void;
}

export interface HistogramInstrument<Label extends string> {
	/** Records one duration, in seconds. */
	observe(labels: MetricLabels<Label>, seconds: number): void;
	/** Starts a clock; call what it returns with the labels known at the end (an outcome) to record the duration. */
	startTimer(): (labels: MetricLabels<Label>) => void;
}

/** Metrics defined by the core and the plugins, in the order they were defined; each bot makes them on its own registry. */
const definitions = new Map<string, MetricDefinition>();

/** What the bot's metrics are while it records, or undefined (no bot yet, or the metrics plugin is off): then instruments do nothing. */
function recording(): BotMetrics | undefined {
	// Undefined before the first bot is built (a unit test importing a module that defines metrics).
	const metrics: BotMetrics | undefined = container.metrics;
	return metrics?.enabled ? metrics : undefined;
}

/** Whether the bot records, for a listener that would otherwise keep something per event only for the metrics. */
export function metricsRecording(): boolean {
	return recording() !== undefined;
}

/**
 * The prom-client metric of `definition` on the bot that records, or undefined while none does. Looked up on the bot once and
 * kept until another bot records (tests build several in one process), rather than by name at every event: the hot path
 * of an instrument is then one property read, one comparison and prom-client's own update.
 */
function boundTo<M extends Metric>(definition: MetricDefinition, kind: abstract new (...args: never[]) => M): () => M | undefined {
	let boundMetrics: BotMetrics | undefined;
	let bound: M | undefined;
	return () => {
		const metrics = recording();
		if (metrics === undefined) return undefined;
		if (metrics !== boundMetrics) {
			const made = metrics.instrument(definition);
			bound = made instanceof kind ? made : undefined;
			boundMetrics = metrics;
		}
		return bound;
	};
}

function define(definition: MetricDefinition): void {
	const known = definitions.get(definition.spec.name);
	if (known !== undefined && (known.kind !== definition.kind || String(known.spec.labelNames) !== String(definition.spec.labelNames)))
		throw new TypeError(`The metric ${definition.spec.name} is already defined as a ${known.kind} with other labels.`);
	definitions.set(definition.spec.name, definition);
	// A plugin loaded while the bot records: its gauges' collect callbacks join at once.
	recording()?.instrument(definition);
}

/** The metrics defined so far, for a bot that starts recording. */
export function metricDefinitions(): Iterable<MetricDefinition> {
	return definitions.values();
}

/**
 * Declares a counter. Declare at module level and record where the event happens; defining the same name again with the same
 * kind and labels gives the same metric (a plugin reloaded at run time).
 */
export function defineCounter<Label extends string = never>(spec: MetricSpec<Label>): CounterInstrument<Label> {
	const definition: MetricDefinition = { kind: 'counter', spec };
	define(definition);
	const counter = boundTo(definition, Counter);
	return {
		inc: (labels, value = 1) => counter()?.inc(labels, value)
	};
}

/** Declares a gauge, set where its value changes or read at each scrape by `collect`. */
export function defineGauge<Label extends string = never>(spec: GaugeSpec<Label>): GaugeInstrument<Label> {
	// The collect callback's gauge is the one made from this spec, so its label names are `Label`.
	const definition = { kind: 'gauge', spec } as MetricDefinition;
	define(definition);
	const gauge = boundTo(definition, Gauge);
	return {
		set: (labels, value) => gauge()?.set(labels, value),
		inc: (labels, value = 1) => gauge()?.inc(labels, value),
		dec: (labels, value = 1) => gauge()?.dec(labels, value)
	};
}

/** Declares a histogram of durations in seconds. */
export function defineHistogram<Label extends string = never>(spec: HistogramSpec<Label>): HistogramInstrument<Label> {
	const definition: MetricDefinition = { kind: 'histogram', spec };
	define(definition);
	const histogram = boundTo(definition, Histogram);
	return {
		observe: (labels, seconds) => histogram()?.observe(labels, seconds),
		startTimer: () => {
			// A double rather than a BigInt: nothing allocated per call, and microseconds are more than a histogram needs.
			const started = performance.now();
			return (labels) => histogram()?.observe(labels, (performance.now() - started) / 1000);
		}
	};
}

/** The bot's metrics, for the exporter (the metrics plugin): turn recording on and off, and scrape. */
export function botMetrics(): BotMetrics {
	return container.metrics;
}
