import { truncate } from '#sdk';
import { TITLE_MAX } from './meeting-input.js';

/** The message's first non-empty line, cut to a title's length; a message with no text is named after its author. */
export function titleFromMessage(content: string, authorName: string): string {
	const firstLine = content
		.split('\n')
		.map((line) => line.trim())
		.find((line) => line !== '');
	// Cut between whole characters (an emoji, a flag, a family stays whole); the title is escaped where it is shown.
	if (firstLine === undefined) return truncate(`Meeting about ${authorName}’s message`, TITLE_MAX);
	return truncate(firstLine, TITLE_MAX);
}
