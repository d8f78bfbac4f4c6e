import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { z } from 'zod';
import { contractMetricOf, isContractSeries, TARGET_LABELS } from '../../helpers/metrics-contract.js';
import { promqlNames } from '../../helpers/promql-names.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PROMETHEUS = join(ROOT, 'deploy', 'prometheus');
const ALERTS = join(PROMETHEUS, 'alerts.yml');
const ALERT_TESTS = join(PROMETHEUS, 'alerts.test.yml');
const PROMETHEUS_CONFIG = join(PROMETHEUS, 'prometheus.yml');
const ALERTMANAGER_CONFIG = join(ROOT, 'deploy', 'alertmanager', 'alertmanager.yml');
const DASHBOARD = join(ROOT, 'deploy', 'grafana', 'dashboards', 'kaltura-bot.json');
const OPERATIONS = join(ROOT, 'docs', 'operations.md');

const alertRules = z.object({
	groups: z.array(
		z.object({
			name: z.string(),
			rules: z.array(
				z.object({
					alert: z.string(),
					expr: z.string(),
					labels: z.object({ severity: z.enum(['info', 'warning', 'critical']) }),
					annotations: z.object({ summary: z.string(), runbook_url: z.string() })
				})
			)
		})
	)
});
const alertTests = z.object({
	tests: z.array(
		z.object({
			alert_rule_test: z
				.array(
					z.object({ alertname: z.string(), exp_alerts: z.array(z.object({ exp_labels: z.record(z.string(), z.string()) })).default([]) })
				)
				.default([])
		})
	)
});
interface Panel {
	title?: string;
	targets?: { expr?: string; legendFormat?: string }[];
	panels?: Panel[];
}
const panel: z.ZodType<Panel> = z.lazy(() =>
	z.object({
		title: z.string().optional(),
		targets: z.array(z.object({ expr: z.string().optional(), legendFormat: z.string().optional() })).optional(),
		panels: z.array(panel).optional()
	})
);
const dashboardSchema = z.object({
	panels: z.array(panel),
	templating: z.object({ list: z.array(z.object({ name: z.string(), query: z.unknown().optional() })) })
});

const rules = alertRules.parse(parse(readFileSync(ALERTS, 'utf8'))).groups.flatMap((group) => group.rules);
const dashboard = dashboardSchema.parse(JSON.parse(readFileSync(DASHBOARD, 'utf8')));
const panelsOf = (panels: Panel[]): Panel[] => panels.flatMap((each) => [each, ...panelsOf(each.panels ?? [])]);
const dashboardQueries = panelsOf(dashboard.panels).flatMap((each) =>
	(each.targets ?? []).flatMap((target) =>
		target.expr === undefined ? [] : [{ where: each.title ?? '(untitled)', expr: target.expr, legend: target.legendFormat ?? '' }]
	)
);
const variableQueries = dashboard.templating.list.flatMap((variable) => {
	const query = z.object({ query: z.string() }).safeParse(variable.query);
	const expr = query.success ? /^label_values\((.*),\s*\w+\)$/.exec(query.data.query)?.[1] : undefined;
	return expr === undefined ? [] : [{ where: `variable ${variable.name}`, expr, legend: '' }];
});
const queries = [
	...rules.map((rule) => ({ where: `alert ${rule.alert} (${rule.labels.severity})`, expr: rule.expr, legend: '' })),
	...dashboardQueries,
	...variableQueries
];

/** The labels a series of the contract may carry, a histogram's buckets with their `le`. */
function labelsOf(series: string): string[] | undefined {
	const entry = contractMetricOf(series);
	if (entry !== undefined) return [...entry.metric.labels, ...TARGET_LABELS, ...(series.endsWith('_bucket') ? ['le'] : [])];
	return series === 'up' ? [...TARGET_LABELS] : undefined;
}

/** GitHub's anchor for a Markdown heading. */
const anchorOf = (heading: string): string =>
	heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');

describe('Monitoring files follow the metric contract', () => {
	it('finds series, matcher labels and grouping labels in PromQL, and refuses a name outside the contract', () => {
		const names = promqlNames(
			'sum by (le) (rate(kaltura_bot_delivery_lag_seconds_bucket{instance=~"$instance"}[5m])) / on() kaltura_bot_guilds offset 1h'
		);
		expect(names.metrics).to.deep.equal(['kaltura_bot_delivery_lag_seconds_bucket', 'kaltura_bot_guilds']);
		expect(names.selectors).to.deep.equal([{ metric: 'kaltura_bot_delivery_lag_seconds_bucket', labels: ['instance'] }]);
		expect(names.groupingLabels).to.deep.equal(['le']);
		expect(isContractSeries('kaltura_bot_delivery_lag_seconds_bucket')).to.equal(true);
		expect(isContractSeries('kaltura_bot_process_resident_memory_bytes')).to.equal(true);
		expect(isContractSeries('kaltura_bot_guilds_total')).to.equal(false);
		expect(isContractSeries('kaltura_bot_interactions_total_bucket')).to.equal(false);
	});

	it('reads every alert rule and dashboard query', () => {
		expect(rules.length).to.be.greaterThan(10);
		expect(dashboardQueries.length).to.be.greaterThan(30);
		expect(variableQueries.map((query) => query.expr)).to.deep.equal(['up{job="kaltura-bot"}']);
	});

	it('names only series of the contract', () => {
		const unknown = queries.flatMap((query) =>
			promqlNames(query.expr)
				.metrics.filter((name) => !isContractSeries(name))
				.map((name) => `${query.where}: ${name}`)
		);
		expect(unknown).to.deep.equal([]);
	});

	it('matches and groups on labels the contract gives those series', () => {
		const wrong = queries.flatMap((query) => {
			const names = promqlNames(query.expr);
			const badMatchers = names.selectors.flatMap(({ metric, labels }) => {
				const allowed = labelsOf(metric);
				// prom-client's default metrics carry labels of their own (space, version…), outside the table.
				return allowed === undefined ? [] : labels.filter((label) => !allowed.includes(label)).map((label) => `${metric}{${label}}`);
			});
			const inQuery = new Set([...TARGET_LABELS, ...names.metrics.flatMap((metric) => labelsOf(metric) ?? [])]);
			const legendLabels = [...query.legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '');
			const badGroups = [...names.groupingLabels, ...legendLabels].filter((label) => !inQuery.has(label)).map((label) => `by/legend ${label}`);
			return [...badMatchers, ...badGroups].map((problem) => `${query.where}: ${problem}`);
		});
		expect(wrong).to.deep.equal([]);
	});

	it('links every alert to a runbook section of docs/operations.md', () => {
		const anchors = new Set([...readFileSync(OPERATIONS, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] ?? '')));
		const broken = rules
			.map((rule) => rule.annotations.runbook_url)
			.filter((url) => !(url.startsWith('docs/operations.md#') && anchors.has(url.slice('docs/operations.md#'.length))));
		expect(broken).to.deep.equal([]);
	});

	it('tests every alert both firing, at each of its severities, and staying quiet', () => {
		const cases = alertTests.parse(parse(readFileSync(ALERT_TESTS, 'utf8'))).tests.flatMap((test) => test.alert_rule_test);
		const firing = new Set(cases.flatMap((each) => each.exp_alerts.map((alert) => `${each.alertname} ${alert.exp_labels.severity ?? ''}`)));
		const quiet = new Set(cases.filter((each) => each.exp_alerts.length === 0).map((each) => each.alertname));
		expect(rules.map((rule) => `${rule.alert} ${rule.labels.severity}`).filter((key) => !firing.has(key))).to.deep.equal([]);
		expect(rules.map((rule) => rule.alert).filter((name) => !quiet.has(name))).to.deep.equal([]);
	});
});

const TOOLS = ['promtool', 'amtool'];
const isCi = (): boolean => !['', 'false', '0', undefined].includes(process.env.CI);
const run = (command: string, args: string[]) => {
	const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
	return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`, error: result.error };
};

describe('Monitoring files pass promtool and amtool', function () {
	this.timeout(60_000);

	before(function () {
		const missing = TOOLS.filter((tool) => run(tool, ['--version']).error !== undefined);
		if (missing.length === 0) return;
		if (isCi())
			throw new Error(
				`CI is set but ${missing.join(' and ')} cannot be run; .ci/run installs them (apt packages prometheus, prometheus-alertmanager)`
			);
		console.warn(
			`\n  SKIPPING promtool/amtool checks: ${missing.join(' and ')} not found on PATH.\n` +
				'  Install the Debian packages prometheus and prometheus-alertmanager to run them; with CI set, this fails instead of skipping.\n'
		);
		this.skip();
	});

	it('promtool check rules accepts every alert rule', () => {
		const result = run('promtool', ['check', 'rules', ALERTS]);
		expect(result.output).to.include(`SUCCESS: ${rules.length} rules found`);
		expect(result.status, result.output).to.equal(0);
	});

	it('promtool test rules passes the alert unit tests', () => {
		const result = run('promtool', ['test', 'rules', ALERT_TESTS]);
		expect(result.status, result.output).to.equal(0);
		expect(result.output).to.include('SUCCESS');
	});

	it('promtool test rules fails a case whose alert does not fire', () => {
		// Shows the unit tests can fail: the bot is up, yet the case expects the down alert.
		const folder = mkdtempSync(join(tmpdir(), 'alerts-test-'));
		try {
			const file = join(folder, 'wrong.test.yml');
			writeFileSync(
				file,
				JSON.stringify({
					rule_files: [ALERTS],
					tests: [
						{
							interval: '1m',
							input_series: [{ series: 'up{job="kaltura-bot", instance="bot:9464"}', values: '1x10' }],
							alert_rule_test: [
								{
									eval_time: '8m',
									alertname: 'KalturaBotDown',
									exp_alerts: [{ exp_labels: { severity: 'critical', job: 'kaltura-bot', instance: 'bot:9464' } }]
								}
							]
						}
					]
				})
			);
			const result = run('promtool', ['test', 'rules', file]);
			expect(result.status, result.output).to.equal(1);
			expect(result.output).to.include('FAILED');
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('promtool check config accepts the Prometheus configuration and the kaltura-bot job', () => {
		const result = run('promtool', ['check', 'config', PROMETHEUS_CONFIG]);
		expect(result.status, result.output).to.equal(0);
		const config = z
			.object({ scrape_configs: z.array(z.object({ job_name: z.string() })) })
			.parse(parse(readFileSync(PROMETHEUS_CONFIG, 'utf8')));
		expect(config.scrape_configs.map((job) => job.job_name)).to.include('kaltura-bot');
	});

	it('every dashboard query is valid PromQL', () => {
		// promtool parses expressions only inside rule files: wrap each query in a recording rule, with
		// Grafana's variables given values Prometheus accepts.
		const folder = mkdtempSync(join(tmpdir(), 'dashboard-queries-'));
		try {
			const file = join(folder, 'queries.yml');
			const recorded = [...dashboardQueries, ...variableQueries].map((query, index) => ({
				record: `dashboard:query_${index}`,
				expr: query.expr.replaceAll('$__rate_interval', '5m').replaceAll('$instance', '.*')
			}));
			writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules: recorded }] }));
			const result = run('promtool', ['check', 'rules', file]);
			expect(result.output).to.include(`SUCCESS: ${recorded.length} rules found`);
			expect(result.status, result.output).to.equal(0);
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('amtool check-config accepts the Alertmanager configuration', () => {
		const result = run('amtool', ['check-config', ALERTMANAGER_CONFIG]);
		expect(result.status, result.output).to.equal(0);
		expect(result.output).to.include('SUCCESS');
	});

	for (const [severity, receiver] of [
		['critical', 'pager'],
		['warning', 'chat'],
		['info', 'low-priority']
	] as const) {
		it(`Alertmanager routes ${severity} alerts to ${receiver}`, () => {
			const result = run('amtool', [
				'config',
				'routes',
				'test',
				`--config.file=${ALERTMANAGER_CONFIG}`,
				`--verify.receivers=${receiver}`,
				'alertname=KalturaBotStorageDown',
				`severity=${severity}`
			]);
			expect(result.status, result.output).to.equal(0);
		});
	}
});
