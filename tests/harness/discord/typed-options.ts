import {
	ApplicationCommandOptionType,
	PermissionFlagsBits,
	type APIApplicationCommand,
	type APIApplicationCommandOption
} from 'discord-api-types/v10';

/** A value as Discord's client sends it, typed from the command's definition. */
export type TypedValue = string | number | boolean;

export type TypedOptionsResult = { readonly options: Record<string, TypedValue> } | { readonly problem: string };

/**
 * Discord's longest string option value when the command sets no `max_length` (the field's own ceiling:
 * discord-api-docs, Application Commands, "Application Command Option Structure": max_length 1 to 6000).
 */
const STRING_VALUE_LIMIT = 6000;

/**
 * Checks options typed into Discord's client against the registered command, as the client does before it
 * sends anything (discord-api-docs, Application Commands, "Application Command Option Structure"): a required
 * option must be filled, a string stays within `min_length`/`max_length`, a number within `min_value`/`max_value`,
 * an integer is whole, a boolean is True or False, and an option with `choices` takes one of them (typed as the
 * choice's name or its value). An empty optional option is left out, as the client never sends an empty value.
 * Problems come back as a sentence the person can act on.
 */
export function prepareTypedOptions(
	command: APIApplicationCommand,
	path: { readonly subcommandGroup?: string | undefined; readonly subcommand?: string | undefined },
	typed: Readonly<Record<string, string>>
): TypedOptionsResult {
	const target = targetOptions(command, path);
	if ('problem' in target) return target;
	const definitions = target.options;
	const options: Record<string, TypedValue> = {};
	const label = commandLabel(command.name, path);
	for (const [name, raw] of Object.entries(typed)) {
		const definition = definitions.find((candidate) => candidate.name === name);
		if (!definition) {
			const known = definitions.map((candidate) => candidate.name);
			return {
				problem: `${label} has no option "${name}"${known.length > 0 ? `; its options: ${known.join(', ')}` : ' and takes no options'}.`
			};
		}
		if (raw === '') continue;
		const value = typedValue(definition, raw);
		if (typeof value === 'object') return { problem: `${label} ${name}: ${value.problem}` };
		options[name] = value;
	}
	const missing = definitions.filter((definition) => 'required' in definition && definition.required === true && !(definition.name in options));
	if (missing.length > 0) return { problem: `${label} needs ${missing.map((definition) => `${definition.name}:`).join(' and ')} filled in.` };
	return { options };
}

function commandLabel(name: string, path: { readonly subcommandGroup?: string | undefined; readonly subcommand?: string | undefined }): string {
	return `/${[name, path.subcommandGroup, path.subcommand].filter(Boolean).join(' ')}`;
}

function targetOptions(
	command: APIApplicationCommand,
	path: { readonly subcommandGroup?: string | undefined; readonly subcommand?: string | undefined }
): { readonly options: APIApplicationCommandOption[] } | { readonly problem: string } {
	let options: APIApplicationCommandOption[] = command.options ?? [];
	let label = `/${command.name}`;
	const named = (type: ApplicationCommandOptionType) => options.filter((option) => option.type === type);
	if (path.subcommandGroup !== undefined) {
		const groups = named(ApplicationCommandOptionType.SubcommandGroup);
		const group = groups.find((option) => option.name === path.subcommandGroup);
		if (!group || group.type !== ApplicationCommandOptionType.SubcommandGroup) {
			return {
				problem: `${label} has no command group "${path.subcommandGroup}"${groups.length > 0 ? `; its groups: ${groups.map((option) => option.name).join(', ')}` : ''}.`
			};
		}
		options = group.options ?? [];
		label = `${label} ${path.subcommandGroup}`;
	}
	// What may follow here: sub-commands, and at the top level also groups (Discord allows both side by side).
	const subcommands = named(ApplicationCommandOptionType.Subcommand);
	const choices = [...subcommands, ...(path.subcommandGroup === undefined ? named(ApplicationCommandOptionType.SubcommandGroup) : [])].map(
		(option) => option.name
	);
	if (path.subcommand === undefined) {
		return choices.length > 0 ? { problem: `${label} needs one of: ${choices.join(', ')}.` } : { options };
	}
	const subcommand = subcommands.find((option) => option.name === path.subcommand);
	if (!subcommand || subcommand.type !== ApplicationCommandOptionType.Subcommand) {
		const isGroup = choices.includes(path.subcommand);
		return {
			problem: isGroup
				? `${label} ${path.subcommand} needs a sub-command after it.`
				: `${label} has no sub-command "${path.subcommand}"${choices.length > 0 ? `; it has: ${choices.join(', ')}` : ''}.`
		};
	}
	options = subcommand.options ?? [];
	return { options };
}

function typedValue(definition: APIApplicationCommandOption, raw: string): TypedValue | { problem: string } {
	if ('choices' in definition && Array.isArray(definition.choices) && definition.choices.length > 0) {
		const choice = definition.choices.find((candidate) => String(candidate.value) === raw || candidate.name.toLowerCase() === raw.toLowerCase());
		if (!choice) return { problem: `pick one of ${definition.choices.map((candidate) => candidate.name).join(', ')}.` };
		return choice.value;
	}
	switch (definition.type) {
		case ApplicationCommandOptionType.String: {
			const length = [...raw].length;
			const min = definition.min_length ?? 0;
			const max = definition.max_length ?? STRING_VALUE_LIMIT;
			if (length < min) return { problem: `at least ${min} characters (you typed ${length}).` };
			if (length > max) return { problem: `at most ${max} characters (you typed ${length}).` };
			return raw;
		}
		case ApplicationCommandOptionType.Integer:
		case ApplicationCommandOptionType.Number: {
			const value = Number(raw);
			const whole = definition.type === ApplicationCommandOptionType.Integer;
			if (raw.trim() === '' || !Number.isFinite(value) || (whole && !Number.isSafeInteger(value)))
				return { problem: `type a ${whole ? 'whole number' : 'number'}.` };
			if (definition.min_value !== undefined && value < definition.min_value) return { problem: `at least ${definition.min_value}.` };
			if (definition.max_value !== undefined && value > definition.max_value) return { problem: `at most ${definition.max_value}.` };
			return value;
		}
		case ApplicationCommandOptionType.Boolean: {
			const value = raw.toLowerCase();
			if (value !== 'true' && value !== 'false') return { problem: 'True or False.' };
			return value === 'true';
		}
		default:
			return raw;
	}
}

/** Discord's names for permissions where the client's wording differs from the flag's name (Manage Server, not Manage Guild). */
const PERMISSION_WORDS: Readonly<Record<string, string>> = {
	ManageGuild: 'Manage Server',
	ModerateMembers: 'Timeout Members',
	ViewAuditLog: 'View Audit Log'
};

/** "Manage Server and Manage Events" for a `default_member_permissions` bit set. */
export function permissionWords(bits: bigint): string {
	const names = Object.entries(PermissionFlagsBits)
		.filter(([, bit]) => bit !== 0n && (bits & bit) === bit)
		.map(([name]) => PERMISSION_WORDS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'));
	return names.join(' and ');
}
