import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import type { ErrorPath, FormErrors } from './errors.js';

/**
 * Application command registration rules as Discord enforces them, reporting violations
 * in Discord's nested `Invalid Form Body` (50035) format. Codes and messages that were
 * observed in real Discord responses: APPLICATION_COMMAND_INVALID_NAME, BASE_TYPE_BAD_LENGTH,
 * BASE_TYPE_MAX_LENGTH, APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID,
 * APPLICATION_COMMANDS_DUPLICATE_NAME, APPLICATION_COMMAND_INVALID_DESCRIPTION. Codes for the
 * rarer rules (nesting, duplicate option names, choice types, size) are best effort.
 */

export const CHAT_INPUT_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
export const MAX_OPTIONS = 25;
export const MAX_CHOICES = 25;
export const MAX_COMMAND_SIZE = 8_000;

/** Per-scope limits Discord applies to the number of commands of each type. */
export const MAX_COMMANDS_PER_TYPE: Readonly<Record<number, number>> = {
	[ApplicationCommandType.ChatInput]: 100,
	[ApplicationCommandType.User]: 15,
	[ApplicationCommandType.Message]: 15,
	[ApplicationCommandType.PrimaryEntryPoint]: 1
};

const SUBCOMMAND_TYPES = new Set<number>([ApplicationCommandOptionType.Subcommand, ApplicationCommandOptionType.SubcommandGroup]);
const CHOICE_TYPES = new Set<number>([
	ApplicationCommandOptionType.String,
	ApplicationCommandOptionType.Integer,
	ApplicationCommandOptionType.Number
]);
const NUMERIC_TYPES = new Set<number>([ApplicationCommandOptionType.Integer, ApplicationCommandOptionType.Number]);
const VALID_OPTION_TYPES = new Set<number>(Object.values(ApplicationCommandOptionType).filter((v): v is number => typeof v === 'number'));

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates one command body (POST, PATCH-merged, or an element of a PUT). */
export function validateCommand(body: unknown, path: ErrorPath, errors: FormErrors): void {
	if (!isObject(body)) {
		errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
		return;
	}
	const type = body.type ?? ApplicationCommandType.ChatInput;
	if (typeof type !== 'number' || !(type in MAX_COMMANDS_PER_TYPE)) {
		errors.add([...path, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
		return;
	}
	const chatInput = type === ApplicationCommandType.ChatInput;

	validateName(body.name, [...path, 'name'], errors, chatInput);
	validateLocalizedNames(body.name_localizations, [...path, 'name_localizations'], errors, chatInput);

	if (chatInput) {
		validateDescription(body.description, [...path, 'description'], errors);
		validateLocalizedDescriptions(body.description_localizations, [...path, 'description_localizations'], errors);
	} else if (typeof body.description === 'string' && body.description.length > 0) {
		errors.add([...path, 'description'], 'APPLICATION_COMMAND_INVALID_DESCRIPTION', 'Context menu commands cannot have description');
	}

	if (body.options !== undefined && body.options !== null) {
		if (!Array.isArray(body.options)) {
			errors.add([...path, 'options'], 'BASE_TYPE_ARRAY', 'Must be an array.');
		} else if (!chatInput && body.options.length > 0) {
			errors.add([...path, 'options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 0 or fewer in length.');
		} else {
			validateOptions(body.options, [...path, 'options'], errors, 'command');
		}
	}

	if (
		body.default_member_permissions !== undefined &&
		body.default_member_permissions !== null &&
		!(typeof body.default_member_permissions === 'string' && /^\d+$/.test(body.default_member_permissions))
	) {
		errors.add([...path, 'default_member_permissions'], 'NUMBER_TYPE_COERCE', 'Value is not int.');
	}
	validateEnumArray(body.contexts, [0, 1, 2], [...path, 'contexts'], errors);
	validateEnumArray(body.integration_types, [0, 1], [...path, 'integration_types'], errors);

	if (errors.size === 0 && commandSize(body) > MAX_COMMAND_SIZE) {
		errors.add(path, 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_SIZE})`);
	}
}

/** Validates a PUT bulk-overwrite body: each command, then duplicate names per type. */
export function validateCommandList(body: unknown, errors: FormErrors): void {
	if (!Array.isArray(body)) {
		errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
		return;
	}
	const seen = new Set<string>();
	body.forEach((command: unknown, index) => {
		validateCommand(command, [index], errors);
		if (!isObject(command) || typeof command.name !== 'string') return;
		const key = `${String(command.type ?? 1)}:${command.name}`;
		if (seen.has(key)) {
			errors.add([index], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
		}
		seen.add(key);
	});
	const perType = new Map<number, number>();
	for (const command of body as unknown[]) {
		const type = isObject(command) && typeof command.type === 'number' ? command.type : 1;
		perType.set(type, (perType.get(type) ?? 0) + 1);
	}
	for (const [type, count] of perType) {
		const max = MAX_COMMANDS_PER_TYPE[type];
		if (max !== undefined && count > max) {
			errors.add([], 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
		}
	}
}

function validateName(name: unknown, path: ErrorPath, errors: FormErrors, chatInputRules: boolean): void {
	if (name === undefined || name === null) {
		errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
		return;
	}
	if (typeof name !== 'string') {
		errors.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
		return;
	}
	const length = [...name].length;
	if (length < 1 || length > 32) {
		errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
		return;
	}
	if (chatInputRules) {
		if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
			errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
		}
	} else if (name.trim().length === 0) {
		errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
	}
}

function validateDescription(description: unknown, path: ErrorPath, errors: FormErrors): void {
	if (description === undefined || description === null) {
		errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
		return;
	}
	if (typeof description !== 'string') {
		errors.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
		return;
	}
	const length = [...description].length;
	if (length < 1 || length > 100) errors.add(path, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
}

function validateLocalizedNames(value: unknown, path: ErrorPath, errors: FormErrors, chatInputRules: boolean): void {
	if (value === undefined || value === null) return;
	if (!isObject(value)) {
		errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
		return;
	}
	for (const [locale, name] of Object.entries(value)) {
		if (name !== null) validateName(name, [...path, locale], errors, chatInputRules);
	}
}

function validateLocalizedDescriptions(value: unknown, path: ErrorPath, errors: FormErrors): void {
	if (value === undefined || value === null) return;
	if (!isObject(value)) {
		errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
		return;
	}
	for (const [locale, description] of Object.entries(value)) {
		if (description !== null) validateDescription(description, [...path, locale], errors);
	}
}

function validateEnumArray(value: unknown, allowed: number[], path: ErrorPath, errors: FormErrors): void {
	if (value === undefined || value === null) return;
	if (!Array.isArray(value)) {
		errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
		return;
	}
	value.forEach((entry: unknown, index) => {
		if (typeof entry !== 'number' || !allowed.includes(entry)) {
			errors.add([...path, index], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);
		}
	});
}

/** Where an options array sits: on the command, in a sub-command group, or in a sub-command. */
type OptionsContext = 'command' | 'group' | 'subcommand';

function validateOptions(options: unknown[], path: ErrorPath, errors: FormErrors, context: OptionsContext): void {
	if (options.length > MAX_OPTIONS) {
		errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_OPTIONS} or fewer in length.`);
	}
	const types = options.map((o) => (isObject(o) && typeof o.type === 'number' ? o.type : undefined));
	const subcommandLike = types.filter((t) => t !== undefined && SUBCOMMAND_TYPES.has(t)).length;
	if (subcommandLike > 0 && subcommandLike < options.length) {
		errors.add(
			path,
			'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
			'Sub-command and sub-command group option types are mutually exclusive to all other types'
		);
	}

	const names = new Set<string>();
	let sawOptional = false;
	options.forEach((option: unknown, index) => {
		const optionPath = [...path, index];
		if (!isObject(option)) {
			errors.add(optionPath, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
			return;
		}
		const type = option.type;
		if (typeof type !== 'number' || !VALID_OPTION_TYPES.has(type)) {
			errors.add([...optionPath, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
			return;
		}
		validateName(option.name, [...optionPath, 'name'], errors, true);
		validateLocalizedNames(option.name_localizations, [...optionPath, 'name_localizations'], errors, true);
		validateDescription(option.description, [...optionPath, 'description'], errors);
		validateLocalizedDescriptions(option.description_localizations, [...optionPath, 'description_localizations'], errors);

		if (typeof option.name === 'string') {
			if (names.has(option.name)) {
				errors.add(
					optionPath,
					'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
					`Option name ${option.name} is already used in these options`
				);
			}
			names.add(option.name);
		}

		if (type === ApplicationCommandOptionType.SubcommandGroup) {
			if (context !== 'command') {
				errors.add([...optionPath, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-command groups can only be top-level options');
				return;
			}
			const children = Array.isArray(option.options) ? (option.options as unknown[]) : [];
			if (children.length === 0) {
				errors.add([...optionPath, 'options'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
			} else if (children.some((c) => !isObject(c) || c.type !== ApplicationCommandOptionType.Subcommand)) {
				errors.add(
					[...optionPath, 'options'],
					'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
					'Sub-command groups can only contain sub-commands'
				);
			} else {
				validateOptions(children, [...optionPath, 'options'], errors, 'group');
			}
			return;
		}
		if (type === ApplicationCommandOptionType.Subcommand) {
			if (context === 'subcommand') {
				errors.add([...optionPath, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-commands cannot be nested in sub-commands');
				return;
			}
			const children = Array.isArray(option.options) ? (option.options as unknown[]) : [];
			if (children.some((c) => isObject(c) && typeof c.type === 'number' && SUBCOMMAND_TYPES.has(c.type))) {
				errors.add(
					[...optionPath, 'options'],
					'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID',
					'Sub-commands cannot contain sub-commands or sub-command groups'
				);
			} else if (children.length > 0) {
				validateOptions(children, [...optionPath, 'options'], errors, 'subcommand');
			}
			return;
		}

		// A value option.
		const required = option.required === true;
		if (required && sawOptional) {
			errors.add(optionPath, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
		}
		if (!required) sawOptional = true;
		validateValueOption(option, type, optionPath, errors);
	});
}

function validateValueOption(option: Json, type: number, path: ErrorPath, errors: FormErrors): void {
	const choices = option.choices;
	if (choices !== undefined && choices !== null) {
		if (!CHOICE_TYPES.has(type)) {
			errors.add(
				[...path, 'choices'],
				'APPLICATION_COMMAND_OPTION_CHOICES_INVALID',
				'Choices are only allowed on string, integer and number options'
			);
		} else if (!Array.isArray(choices)) {
			errors.add([...path, 'choices'], 'BASE_TYPE_ARRAY', 'Must be an array.');
		} else {
			if (choices.length > MAX_CHOICES) {
				errors.add([...path, 'choices'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CHOICES} or fewer in length.`);
			}
			choices.forEach((choice: unknown, index) => validateChoice(choice, type, [...path, 'choices', index], errors));
			if (option.autocomplete === true && choices.length > 0) {
				errors.add(
					[...path, 'autocomplete'],
					'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
					'Autocomplete cannot be enabled on options with choices'
				);
			}
		}
	}
	if (option.autocomplete === true && !CHOICE_TYPES.has(type)) {
		errors.add(
			[...path, 'autocomplete'],
			'APPLICATION_COMMAND_AUTOCOMPLETE_INVALID',
			'Autocomplete is only allowed on string, integer and number options'
		);
	}
	for (const key of ['min_value', 'max_value'] as const) {
		if (option[key] === undefined || option[key] === null) continue;
		if (!NUMERIC_TYPES.has(type)) errors.add([...path, key], 'BASE_TYPE_INVALID', 'Only allowed on integer and number options');
		else if (typeof option[key] !== 'number') errors.add([...path, key], 'NUMBER_TYPE_COERCE', 'Value is not a number.');
	}
	for (const key of ['min_length', 'max_length'] as const) {
		const value = option[key];
		if (value === undefined || value === null) continue;
		if (type !== ApplicationCommandOptionType.String) {
			errors.add([...path, key], 'BASE_TYPE_INVALID', 'Only allowed on string options');
		} else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 6000) {
			errors.add([...path, key], 'NUMBER_TYPE_MAX', 'Int value should be between 0 and 6000.');
		}
	}
	if (option.channel_types !== undefined && type !== ApplicationCommandOptionType.Channel) {
		errors.add([...path, 'channel_types'], 'BASE_TYPE_INVALID', 'Only allowed on channel options');
	}
}

function validateChoice(choice: unknown, type: number, path: ErrorPath, errors: FormErrors): void {
	if (!isObject(choice)) {
		errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
		return;
	}
	if (typeof choice.name !== 'string') {
		errors.add([...path, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
	} else {
		const length = [...choice.name].length;
		if (length < 1 || length > 100) errors.add([...path, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	}
	validateLocalizedChoiceNames(choice.name_localizations, [...path, 'name_localizations'], errors);
	const value = choice.value;
	if (type === ApplicationCommandOptionType.String) {
		if (typeof value !== 'string') errors.add([...path, 'value'], 'BASE_TYPE_STRING', 'Must be a string.');
		else if ([...value].length < 1 || [...value].length > 100) {
			errors.add([...path, 'value'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
		}
	} else if (type === ApplicationCommandOptionType.Integer) {
		if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
			errors.add([...path, 'value'], 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
		}
	} else if (typeof value !== 'number' || !Number.isFinite(value)) {
		errors.add([...path, 'value'], 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not a number.`);
	}
}

function validateLocalizedChoiceNames(value: unknown, path: ErrorPath, errors: FormErrors): void {
	if (value === undefined || value === null || !isObject(value)) return;
	for (const [locale, name] of Object.entries(value)) {
		if (typeof name === 'string' && ([...name].length < 1 || [...name].length > 100)) {
			errors.add([...path, locale], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
		}
	}
}

/** Characters counted towards Discord's 8000 limit: names, descriptions and choice values. */
function commandSize(command: Json): number {
	let size = 0;
	const add = (value: unknown): void => {
		if (typeof value === 'string') size += [...value].length;
		else if (typeof value === 'number') size += String(value).length;
	};
	const walk = (node: Json): void => {
		add(node.name);
		add(node.description);
		if (Array.isArray(node.choices)) {
			for (const choice of node.choices as unknown[]) {
				if (isObject(choice)) {
					add(choice.name);
					add(choice.value);
				}
			}
		}
		if (Array.isArray(node.options)) for (const child of node.options as unknown[]) if (isObject(child)) walk(child);
	};
	walk(command);
	return size;
}
