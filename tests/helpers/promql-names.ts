/**
 * What a PromQL expression names, found without a full parser: enough for the monitoring test to hold
 * alert rules and dashboard queries to the metric contract. Grafana variables ($instance,
 * $__rate_interval, ${datasource}) are blanked first, so dashboard queries read like plain PromQL.
 */
export interface PromqlNames {
	/** Series names the expression selects, in order of appearance, without repeats. */
	readonly metrics: string[];
	/** For each selector with a name, the label names its matchers use. */
	readonly selectors: { metric: string; labels: string[] }[];
	/** Label names in by(), without(), on(), ignoring(), group_left() and group_right() lists. */
	readonly groupingLabels: string[];
}

const STRING_LITERAL = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const GRAFANA_VARIABLE = /\$\{[^}]*\}|\$\w+/g;
const SELECTOR = /([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}/g;
const MATCHER_LABEL = /([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g;
const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const IDENTIFIER = /(?<![\w.:])[a-zA-Z_:][\w:]*/g;
/** Words of the language that are neither functions (always followed by "(") nor series. */
const KEYWORDS = new Set([
	'and',
	'or',
	'unless',
	'offset',
	'bool',
	'by',
	'without',
	'on',
	'ignoring',
	'group_left',
	'group_right',
	'inf',
	'nan',
	'atan2'
]);

export function promqlNames(expression: string): PromqlNames {
	const text = expression.replace(GRAFANA_VARIABLE, 'x').replace(STRING_LITERAL, '""');
	const selectors = [...text.matchAll(SELECTOR)]
		.filter((match) => match[1] !== undefined)
		.map((match) => ({ metric: match[1] ?? '', labels: [...(match[2] ?? '').matchAll(MATCHER_LABEL)].map((label) => label[1] ?? '') }));
	const groupingLabels = [...text.matchAll(GROUPING)].flatMap((match) =>
		(match[1] ?? '')
			.split(',')
			.map((label) => label.trim())
			.filter((label) => label !== '')
	);
	// Label lists, matchers and range/offset durations hold no series names: drop them before the scan.
	const bare = text
		.replace(GROUPING, ' ')
		.replace(/\{[^}]*\}/g, ' ')
		.replace(/\[[^\]]*\]/g, ' ');
	const metrics = new Set<string>();
	for (const match of bare.matchAll(IDENTIFIER)) {
		const word = match[0];
		const after = bare.slice((match.index ?? 0) + word.length);
		if (KEYWORDS.has(word.toLowerCase()) || /^\s*\(/.test(after)) continue;
		metrics.add(word);
	}
	return { metrics: [...metrics], selectors, groupingLabels };
}
