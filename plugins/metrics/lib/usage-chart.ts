import { Resvg } from '@resvg/resvg-js';
import { parse, View, type Spec } from 'vega';
import { meetingsStartedOf, type UsageReport } from './usage-report.js';

const SERIES = [
	{ label: 'Meetings started', color: '#4c78a8', count: meetingsStartedOf },
	{ label: 'Joins', color: '#f58518', count: (day: UsageReport['series'][number]) => day.joins },
	{ label: 'Video searches', color: '#54a24b', count: (day: UsageReport['series'][number]) => day.videoSearches },
	{ label: 'Video shares', color: '#eeca3b', count: (day: UsageReport['series'][number]) => day.videoShares },
	{ label: 'Notifications delivered', color: '#b279a2', count: (day: UsageReport['series'][number]) => day.notificationsDelivered },
	{ label: 'Notifications failed', color: '#e45756', count: (day: UsageReport['series'][number]) => day.notificationsFailed }
] as const;

/** Wide enough for 30 labelled days; Discord scales the image down to the embed. */
const WIDTH = 720;
const HEIGHT = 260;

/** A stacked bar per UTC day of the report, one colour per kind of usage, as a Vega spec with the data inline. */
export function usageChartSpec(report: UsageReport): Spec {
	const values = report.series.flatMap((day) =>
		SERIES.map((series, order) => ({ day: day.day.slice(5), kind: series.label, order, count: series.count(day) }))
	);
	return {
		width: WIDTH,
		height: HEIGHT,
		padding: 12,
		background: 'white',
		title: { text: `Usage, last ${report.days} days (UTC)`, font: 'sans-serif' },
		config: { axis: { labelFont: 'sans-serif', titleFont: 'sans-serif' }, legend: { labelFont: 'sans-serif' } },
		data: [{ name: 'usage', values, transform: [{ type: 'stack', groupby: ['day'], field: 'count', sort: { field: 'order' } }] }],
		scales: [
			{ name: 'x', type: 'band', domain: { data: 'usage', field: 'day' }, range: 'width', padding: 0.15 },
			{ name: 'y', type: 'linear', domain: { data: 'usage', field: 'y1' }, range: 'height', nice: true, zero: true },
			{ name: 'color', type: 'ordinal', domain: SERIES.map((series) => series.label), range: SERIES.map((series) => series.color) }
		],
		axes: [
			{ orient: 'bottom', scale: 'x', labelAngle: -45, labelAlign: 'right', labelBaseline: 'middle' },
			{ orient: 'left', scale: 'y', tickMinStep: 1, grid: true }
		],
		legends: [{ fill: 'color', orient: 'top', direction: 'horizontal', labelLimit: 200 }],
		marks: [
			{
				type: 'rect',
				from: { data: 'usage' },
				encode: {
					enter: {
						x: { scale: 'x', field: 'day' },
						width: { scale: 'x', band: 1 },
						y: { scale: 'y', field: 'y0' },
						y2: { scale: 'y', field: 'y1' },
						fill: { scale: 'color', field: 'kind' }
					}
				}
			}
		]
	};
}

/**
 * The report's chart as a PNG: Vega lays it out and draws SVG headless (no canvas), resvg rasterises it. Text uses the
 * machine's fonts (a sans-serif one, DejaVu Sans where installed); on a machine without fonts the bars still draw, unlabelled.
 */
export async function renderUsageChart(report: UsageReport): Promise<Buffer> {
	const view = new View(parse(usageChartSpec(report)), { renderer: 'none' });
	try {
		const svg = await view.toSVG();
		const png = new Resvg(svg, {
			font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
			background: 'white'
		})
			.render()
			.asPng();
		return png;
	} finally {
		view.finalize();
	}
}
