import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { BotMetrics } from '../../../src/core/metrics/bot-metrics.js';
import { defineCounter, defineGauge, defineHistogram, metricDefinitions, metricsRecording } from '../../../src/core/metrics/instruments.js';
import { metricRoute } from '../../../src/core/metrics/metric-labels.js';

describe('core metrics: instruments on one bot registry', () => {
	const previous = Reflect.get(container, 'metrics') as unknown;
	let metrics: BotMetrics;

	beforeEach(() => {
		metrics = new BotMetrics(metricDefinitions);
		container.metrics = metrics;
	});

	after(() => Reflect.set(container, 'metrics', previous));

	const counter = defineCounter({ name: 'unit_things_total', help: 'Things', labelNames: ['kind'] });
	const histogram = defineHistogram({ name: 'unit_duration_seconds', help: 'Durations', labelNames: ['kind'], buckets: [0.1, 1] });
	let gaugeValue = 7;
	defineGauge({ name: 'unit_depth', help: 'Depth', collect: (gauge) => gauge.set(gaugeValue) });

	it('GIVEN recording is off THEN instruments record nothing and the registry is empty', async () => {
		counter.inc({ kind: 'a' });
		histogram.observe({ kind: 'a' }, 0.5);
		expect(metrics.enabled).to.equal(false);
		expect((await metrics.registry.metrics()).trim()).to.equal('');
	});

	it('GIVEN recording is on THEN counters, histograms and collected gauges appear, prefixed, with the process metrics', async () => {
		metrics.enable();
		counter.inc({ kind: 'a' }, 2);
		histogram.observe({ kind: 'a' }, 0.5);
		const stop = histogram.startTimer();
		stop({ kind: 'b' });
		gaugeValue = 9;
		const { text, contentType } = await metrics.scrape();
		expect(contentType).to.match(/^text\/plain/);
		expect(text).to.match(/^kaltura_bot_unit_things_total\{kind="a"\} 2$/m);
		expect(text).to.match(/^kaltura_bot_unit_duration_seconds_bucket\{le="1",kind="a"\} 1$/m);
		expect(text).to.match(/^kaltura_bot_unit_duration_seconds_count\{kind="b"\} 1$/m);
		expect(text).to.match(/^kaltura_bot_unit_depth 9$/m);
		expect(text).to.match(/^kaltura_bot_process_cpu_user_seconds_total /m);
	});

	it('GIVEN recording is turned off again THEN what was counted stays and nothing more is counted', async () => {
		metrics.enable();
		counter.inc({ kind: 'a' });
		metrics.disable();
		counter.inc({ kind: 'a' });
		expect(await metrics.registry.metrics()).to.match(/^kaltura_bot_unit_things_total\{kind="a"\} 1$/m);
	});

	it('GIVEN another bot records after the first THEN instruments record on its registry, and no more on the first', async () => {
		metrics.enable();
		counter.inc({ kind: 'a' });
		histogram.observe({ kind: 'a' }, 0.5);
		const first = metrics;
		const second = new BotMetrics(metricDefinitions);
		container.metrics = second;
		expect(metricsRecording()).to.equal(false);
		second.enable();
		expect(metricsRecording()).to.equal(true);
		counter.inc({ kind: 'b' }, 3);
		histogram.observe({ kind: 'b' }, 0.5);
		const secondText = await second.registry.metrics();
		expect(secondText).to.match(/^kaltura_bot_unit_things_total\{kind="b"\} 3$/m);
		expect(secondText).to.match(/^kaltura_bot_unit_duration_seconds_count\{kind="b"\} 1$/m);
		expect(secondText).to.not.match(/kind="a"/);
		const firstText = await first.registry.metrics();
		expect(firstText).to.match(/^kaltura_bot_unit_things_total\{kind="a"\} 1$/m);
		expect(firstText).to.not.match(/kind="b"/);
	});

	it('GIVEN a timer THEN the duration it records is the time that passed, in seconds', async () => {
		metrics.enable();
		const stop = histogram.startTimer();
		await new Promise((resolve) => setTimeout(resolve, 120));
		stop({ kind: 'timed' });
		const sum = /^kaltura_bot_unit_duration_seconds_sum\{kind="timed"\} (\S+)$/m.exec(await metrics.registry.metrics());
		expect(Number(sum?.[1])).to.be.within(0.1, 1);
	});

	it('GIVEN a name defined again as another kind or with other labels THEN it is refused', () => {
		expect(() => defineGauge({ name: 'unit_things_total', help: 'Things', labelNames: ['kind'] })).to.throw(TypeError, /unit_things_total/);
		expect(() => defineCounter({ name: 'unit_things_total', help: 'Things', labelNames: ['other'] })).to.throw(TypeError);
		expect(() => defineCounter({ name: 'unit_things_total', help: 'Things', labelNames: ['kind'] })).to.not.throw();
	});

	it('GIVEN a route with ids THEN the label keeps the template only', () => {
		expect(metricRoute('/channels/:id/messages')).to.equal('/channels/:id/messages');
		expect(metricRoute('/guilds/12345/members/987654?limit=5')).to.equal('/guilds/:id/members/:id');
	});
});
