import { TITLE_MAX } from './meeting-input.js';

/** The message's first non-empty line, cut to a title's length; a message with no text is named after its author. */
export function titleFromMessage(content: string, authorName: string): string {
	const firstLine = content
		.split('\n')
		.map((line) => line.trim())
		.find((line) => line !== '');
	if (firstLine === undefined) return `Meeting about ${authorName}’s message`.slice(0, TITLE_MAX);
	return firstLine.length <= TITLE_MAX ? firstLine : `${firstLine.slice(0, TITLE_MAX - 1)}…`;
}
