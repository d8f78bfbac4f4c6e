/**
 * The masked links (`[label](target)`) Discord would make of a markdown text: brackets and parentheses
 * count only when not escaped by a backslash (an odd run of backslashes before them). Tests use it to show
 * that text from outside opens no link of its own.
 */
export function maskedLinkTargets(markdown: string): string[] {
	const escaped = (index: number): boolean => {
		let count = 0;
		for (let at = index - 1; at >= 0 && markdown[at] === '\\'; at--) count++;
		return count % 2 === 1;
	};
	const targets: string[] = [];
	for (let open = 0; open < markdown.length; open++) {
		if (markdown[open] !== '[' || escaped(open)) continue;
		let close = open + 1;
		while (close < markdown.length && !(markdown[close] === ']' && !escaped(close))) close++;
		if (markdown[close + 1] !== '(' || escaped(close + 1)) continue;
		let end = close + 2;
		while (end < markdown.length && !(markdown[end] === ')' && !escaped(end))) end++;
		if (end >= markdown.length) continue;
		targets.push(markdown.slice(close + 2, end));
		open = end;
	}
	return targets;
}

/** True when a UTF-16 string holds half a surrogate pair. */
export const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
