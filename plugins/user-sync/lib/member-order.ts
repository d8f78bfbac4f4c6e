/** Compares Discord ids (snowflakes) as the numbers they are: a shorter id is a smaller one. */
export function compareSnowflakes(a: string, b: string): number {
	if (a.length !== b.length) return a.length - b.length;
	return a < b ? -1 : a > b ? 1 : 0;
}
