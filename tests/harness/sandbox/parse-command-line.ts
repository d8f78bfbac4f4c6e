/** A slash command as a person types it at the sandbox prompt: `/plugins enable plugin:videos`. */
export interface TypedCommand {
	readonly name: string;
	readonly subcommandGroup?: string;
	readonly subcommand?: string;
	readonly options: Record<string, string>;
}

/**
 * Parses `/name [group] [sub] key:value key:"quoted value" ...`. Words before the first option are the
 * command path; an option's value runs until the next ` key:` so values may contain spaces, as in
 * Discord's own client (`/video search query:team onboarding`).
 */
export function parseCommandLine(line: string): TypedCommand {
	const text = line.trim();
	if (!text.startsWith('/')) throw new Error('A command starts with "/", e.g. /plugins list');
	const firstOption = text.search(/\s[\w-]+:/);
	const path = (firstOption === -1 ? text : text.slice(0, firstOption)).slice(1).trim().split(/\s+/).filter(Boolean);
	const [name, ...rest] = path;
	if (name === undefined) throw new Error('Type a command name after "/"');
	if (rest.length > 2) throw new Error(`Too many words before the options: ${rest.join(' ')}`);

	const options: Record<string, string> = {};
	if (firstOption !== -1) {
		for (const part of text.slice(firstOption).trim().split(/\s+(?=[\w-]+:)/)) {
			const separator = part.indexOf(':');
			const key = part.slice(0, separator);
			const value = part.slice(separator + 1).trim().replace(/^"(.*)"$/s, '$1');
			options[key] = value;
		}
	}
	const [first, second] = rest;
	if (second !== undefined) return { name, subcommandGroup: first!, subcommand: second, options };
	if (first !== undefined) return { name, subcommand: first, options };
	return { name, options };
}
