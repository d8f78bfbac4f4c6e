import { ApplicationCommandOptionType, ComponentType } from 'discord-api-types/v10';
import type { APIApplicationCommand, APIApplicationCommandOption, APIInteractionDataResolved } from 'discord-api-types/v10';
import { ActorBase } from './base.js';
import type { AttachmentInput, OptionInput, OptionValueInput, ResolvedActor } from './inputs.js';

/** Command options: finding the invoked (sub-)command's definitions, typing and checking the values given. */
export class OptionActors extends ActorBase {
	/** The value options of the command, sub-command or group/sub-command being invoked. */
	protected targetOptions(
		command: APIApplicationCommand,
		input: { name: string; subcommandGroup?: string | undefined; subcommand?: string | undefined }
	): APIApplicationCommandOption[] {
		let options: APIApplicationCommandOption[] = command.options ?? [];
		const path = `/${input.name}`;
		if (input.subcommandGroup !== undefined) {
			const group = options.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === input.subcommandGroup);
			if (!group || group.type !== ApplicationCommandOptionType.SubcommandGroup) {
				throw new Error(`Discord stand-in: ${path} has no sub-command group "${input.subcommandGroup}"`);
			}
			options = group.options ?? [];
		}
		const hasSubcommands = options.some((o) => o.type === ApplicationCommandOptionType.Subcommand);
		if (input.subcommand !== undefined) {
			const sub = options.find((o) => o.type === ApplicationCommandOptionType.Subcommand && o.name === input.subcommand);
			if (!sub || sub.type !== ApplicationCommandOptionType.Subcommand) {
				throw new Error(`Discord stand-in: ${path} has no sub-command "${input.subcommand}"`);
			}
			return sub.options ?? [];
		}
		if (hasSubcommands || options.some((o) => o.type === ApplicationCommandOptionType.SubcommandGroup)) {
			const names = options.map((o) => o.name).join(', ');
			throw new Error(`Discord stand-in: ${path} needs a sub-command (one of: ${names})`);
		}
		return options;
	}

	protected buildValueOptions(
		provided: Record<string, OptionInput>,
		definitions: APIApplicationCommandOption[] | undefined,
		actor: ResolvedActor,
		resolved: APIInteractionDataResolved,
		path: string
	): Record<string, unknown>[] {
		const result: Record<string, unknown>[] = [];
		for (const [name, raw] of Object.entries(provided)) {
			const definition = definitions?.find((d) => d.name === name);
			if (definitions && !definition) throw unknownOption(path, name, definitions);
			const explicit = isExplicit(raw) ? raw : undefined;
			const type = definition?.type ?? explicit?.type ?? inferType(raw);
			const value = this.coerceValue(
				explicit ? explicit.value : (raw as OptionValueInput | AttachmentInput),
				type,
				name,
				path,
				actor,
				resolved
			);
			if (definition && 'choices' in definition && Array.isArray(definition.choices) && definition.choices.length > 0) {
				const allowed = definition.choices.map((c) => c.value);
				if (!allowed.includes(value as never)) {
					throw new Error(`Discord stand-in: ${path} option "${name}" must be one of ${allowed.join(', ')} (got ${String(value)})`);
				}
			}
			result.push({ name, type, value });
		}
		for (const definition of definitions ?? []) {
			if ('required' in definition && definition.required && !(definition.name in provided)) {
				throw new Error(`Discord stand-in: ${path} requires option "${definition.name}"`);
			}
		}
		return result;
	}

	protected coerceValue(
		raw: OptionValueInput | AttachmentInput,
		type: ApplicationCommandOptionType,
		name: string,
		path: string,
		actor: ResolvedActor,
		resolved: APIInteractionDataResolved
	): OptionValueInput {
		const fail = (expected: string): never => {
			throw new Error(`Discord stand-in: ${path} option "${name}" expects ${expected}, got ${JSON.stringify(raw)}`);
		};
		switch (type) {
			case ApplicationCommandOptionType.String:
				return typeof raw === 'object' ? fail('a string') : String(raw);
			case ApplicationCommandOptionType.Integer: {
				const value = typeof raw === 'string' ? Number(raw) : raw;
				return typeof value === 'number' && Number.isSafeInteger(value) ? value : fail('an integer');
			}
			case ApplicationCommandOptionType.Number: {
				const value = typeof raw === 'string' ? Number(raw) : raw;
				return typeof value === 'number' && Number.isFinite(value) ? value : fail('a number');
			}
			case ApplicationCommandOptionType.Boolean:
				return typeof raw === 'boolean' ? raw : fail('a boolean');
			case ApplicationCommandOptionType.User:
			case ApplicationCommandOptionType.Role:
			case ApplicationCommandOptionType.Mentionable:
			case ApplicationCommandOptionType.Channel: {
				if (typeof raw !== 'string') return fail('an id');
				this.resolveMentionable(raw, optionToComponentType(type), actor, resolved);
				return raw;
			}
			case ApplicationCommandOptionType.Attachment: {
				const attachment = this.makeAttachment(typeof raw === 'string' ? { filename: raw } : (raw as AttachmentInput));
				resolved.attachments = { ...resolved.attachments, [attachment.id]: attachment };
				return attachment.id;
			}
			default:
				return fail('a value option (not a sub-command)');
		}
	}
}

export function wrapSubcommand(values: Record<string, unknown>[], group?: string, subcommand?: string): Record<string, unknown>[] {
	if (subcommand === undefined) return values;
	const sub = { name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: values };
	if (group === undefined) return [sub];
	return [{ name: group, type: ApplicationCommandOptionType.SubcommandGroup, options: [sub] }];
}

function isExplicit(raw: OptionInput): raw is { type: ApplicationCommandOptionType; value: OptionValueInput | AttachmentInput } {
	return typeof raw === 'object' && raw !== null && 'type' in raw && 'value' in raw;
}

export function inferType(raw: OptionInput): ApplicationCommandOptionType {
	if (typeof raw === 'boolean') return ApplicationCommandOptionType.Boolean;
	if (typeof raw === 'number') return Number.isInteger(raw) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
	if (typeof raw === 'object') return ApplicationCommandOptionType.Attachment;
	return ApplicationCommandOptionType.String;
}

function optionToComponentType(type: ApplicationCommandOptionType): number {
	switch (type) {
		case ApplicationCommandOptionType.User:
			return ComponentType.UserSelect;
		case ApplicationCommandOptionType.Role:
			return ComponentType.RoleSelect;
		case ApplicationCommandOptionType.Channel:
			return ComponentType.ChannelSelect;
		default:
			return ComponentType.MentionableSelect;
	}
}

export function unknownOption(path: string, name: string, definitions: APIApplicationCommandOption[]): Error {
	return new Error(`Discord stand-in: ${path} has no option "${name}" (has: ${definitions.map((d) => d.name).join(', ') || 'none'})`);
}
