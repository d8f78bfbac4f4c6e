import { container } from '@sapphire/framework';
import { Counter, Gauge, Histogram } from 'prom-client';
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
	const counter = () => {
		const made = recording()?.instrument(definition);
		return made instanceof Counter ? made : undefined;
	};
	return {
		inc: (labels, value = 1) => counter()?.inc(labels, value)
	};
}

/** Declares a gauge, set where its value changes or read at each scrape by `collect`. */
export function defineGauge<Label extends string = never>(spec: GaugeSpec<Label>): GaugeInstrument<Label> {
	// The collect callback's gauge is the one made from this spec, so its label names are `Label`.
	const definition = { kind: 'gauge', spec } as MetricDefinition;
	define(definition);
	const gauge = () => {
		const made = recording()?.instrument(definition);
		return made instanceof Gauge ? made : undefined;
	};
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
	const histogram = () => {
		const made = recording()?.instrument(definition);
		return made instanceof Histogram ? made : undefined;
	};
	return {
		observe: (labels, seconds) => histogram()?.observe(labels, seconds),
		startTimer: () => {
			const started = process.hrtime.bigint();
			return (labels) => histogram()?.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
		}
	};
}

/** The bot's metrics, for the exporter (the metrics plugin): turn recording on and off, and scrape. */
export function botMetrics(): BotMetrics {
	return container.metrics;
}
