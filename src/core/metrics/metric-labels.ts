/**
 * A route as a label: discord.js's bucket route already turns snowflakes into `:id` and webhook tokens into `:token`; any run of
 * five or more digits left (an id shorter than a snowflake) goes too, and the query string, so that no id becomes a label value.
 */
export function metricRoute(route: string): string {
	return route.replace(/\?.*$/, '').replaceAll(/\d{5,}/g, ':id');
}
