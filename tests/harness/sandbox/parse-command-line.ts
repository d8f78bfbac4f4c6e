/** A slash command as a person types it at the sandbox prompt: `/plugins enable plugin:videos`. */
export interface TypedCommand {
	readonly name: string;
	readonly subcommandGroup?: string;
	readonly subcommand?: string;
	readonly options: Record<string, string>;
}

/** ` key:` where an option starts. */
const OPTION_START = /\s([\w-]+):/g;

/**
 * Parses `/name [group] [sub] key:value key:"quoted value" ...`. Words before the first option are the
 * command path. An option's value runs until the next ` key:` so values may contain spaces, as in Discord's
 * own client (`/video search query:team onboarding`); a value that itself contains ` word:` is quoted
 * (`value:"Agenda: intro"`), and `\"` is a quote inside quotes. `key:` with nothing after it is an empty value.
 */
export function parseCommandLine(line: string): TypedCommand {
	const text = line.trim();
	if (!text.startsWith('/')) throw new Error('A command starts with "/", e.g. /plugins list');
	const firstOption = nextOptionStart(text, 0);
	const path = (firstOption === -1 ? text : text.slice(0, firstOption)).slice(1).trim().split(/\s+/).filter(Boolean);
	const [name, ...rest] = path;
	if (name === undefined) throw new Error('Type a command name after "/"');
	if (rest.length > 2) throw new Error(`Too many words before the options: ${rest.join(' ')}`);

	const options: Record<string, string> = {};
	let position = firstOption;
	while (position !== -1) {
		const match = /^\s*([\w-]+):/.exec(text.slice(position))!;
		const key = match[1]!;
		let cursor = position + match[0].length;
		let value: string;
		if (text[cursor] === '"') {
			const closing = closingQuote(text, cursor + 1);
			if (closing === -1) throw new Error(`The quoted value of ${key}: has no closing "`);
			value = text.slice(cursor + 1, closing).replace(/\\"/g, '"');
			cursor = closing + 1;
			if (cursor < text.length && !/\s/.test(text[cursor]!)) throw new Error(`Put a space after the closing " of ${key}:`);
			position = nextOptionStart(text, cursor);
			const between = text.slice(cursor, position === -1 ? text.length : position).trim();
			if (between !== '') throw new Error(`"${between}" after the quoted value of ${key}: is not an option (key:value)`);
		} else {
			position = nextOptionStart(text, cursor);
			value = text.slice(cursor, position === -1 ? text.length : position).trim();
		}
		if (key in options) throw new Error(`${key}: is given twice`);
		options[key] = value;
	}
	const [first, second] = rest;
	if (second !== undefined) return { name, subcommandGroup: first!, subcommand: second, options };
	if (first !== undefined) return { name, subcommand: first, options };
	return { name, options };
}

function nextOptionStart(text: string, from: number): number {
	OPTION_START.lastIndex = Math.max(0, from - 1);
	const match = OPTION_START.exec(text);
	return match === null ? -1 : match.index;
}

function closingQuote(text: string, from: number): number {
	for (let index = from; index < text.length; index++) {
		if (text[index] === '\\' && text[index + 1] === '"') index++;
		else if (text[index] === '"') return index;
	}
	return -1;
}
