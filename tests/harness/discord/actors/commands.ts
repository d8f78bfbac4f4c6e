import { ApplicationCommandType, InteractionType } from 'discord-api-types/v10';
import type {
	APIApplicationCommandAutocompleteInteraction,
	APIChatInputApplicationCommandInteraction,
	APIInteractionDataResolved,
	APIMessageApplicationCommandInteraction,
	APIUserApplicationCommandInteraction
} from 'discord-api-types/v10';
import type { InteractionHandle } from '../interactions.js';
import type { AutocompleteInput, MessageContextMenuInput, SlashCommandInput, UserContextMenuInput } from './inputs.js';
import { inferType, OptionActors, unknownOption, wrapSubcommand } from './options.js';

/** Application commands: slash commands, their autocomplete, and user and message context menus. */
export class CommandActors extends OptionActors {
	// ------------------------------------------------------------------------- application commands

	public runSlashCommand(input: SlashCommandInput): InteractionHandle {
		const actor = this.resolveActor(input);
		const command = this.context.state.findCommand(input.name, ApplicationCommandType.ChatInput, actor.guildId);
		this.checkCommandPermissions(command, actor, input.bypassPermissions);
		const resolved: APIInteractionDataResolved = {};
		const definitions = command ? this.targetOptions(command, input) : undefined;
		const values = this.buildValueOptions(input.options ?? {}, definitions, actor, resolved, `/${input.name}`);
		const options = wrapSubcommand(values, input.subcommandGroup, input.subcommand);
		const data: APIChatInputApplicationCommandInteraction['data'] = {
			id: command?.id ?? this.context.state.nextId(),
			name: input.name,
			type: ApplicationCommandType.ChatInput
		};
		if (options.length > 0) data.options = options as unknown as NonNullable<typeof data.options>;
		if (Object.keys(resolved).length > 0) data.resolved = resolved;
		if (command?.guild_id) data.guild_id = command.guild_id;
		const payload = {
			...this.base(InteractionType.ApplicationCommand, actor),
			data
		} as APIChatInputApplicationCommandInteraction;
		return this.dispatch(payload, actor, null);
	}

	public autocomplete(input: AutocompleteInput): InteractionHandle {
		const actor = this.resolveActor(input);
		const command = this.context.state.findCommand(input.name, ApplicationCommandType.ChatInput, actor.guildId);
		const definitions = command ? this.targetOptions(command, input) : undefined;
		const provided = input.options ?? {};
		if (!(input.focused in provided)) provided[input.focused] = '';
		const values: Record<string, unknown>[] = [];
		for (const [name, raw] of Object.entries(provided)) {
			const definition = definitions?.find((d) => d.name === name);
			if (definitions && !definition) throw unknownOption(`/${input.name}`, name, definitions);
			const type = definition?.type ?? inferType(raw);
			const focused = name === input.focused;
			const option: Record<string, unknown> = { name, type, value: focused ? String(raw) : raw };
			if (focused) option.focused = true;
			values.push(option);
		}
		if (definitions) {
			const focusedDefinition = definitions.find((d) => d.name === input.focused);
			if (!focusedDefinition || !('autocomplete' in focusedDefinition) || focusedDefinition.autocomplete !== true) {
				throw new Error(`Discord stand-in: option "${input.focused}" of /${input.name} has no autocomplete, so Discord would not send one`);
			}
		}
		const options = wrapSubcommand(values, input.subcommandGroup, input.subcommand);
		const data = {
			id: command?.id ?? this.context.state.nextId(),
			name: input.name,
			type: ApplicationCommandType.ChatInput,
			options,
			...(command?.guild_id ? { guild_id: command.guild_id } : {})
		} as unknown as APIApplicationCommandAutocompleteInteraction['data'];
		const payload = {
			...this.base(InteractionType.ApplicationCommandAutocomplete, actor),
			data
		} as APIApplicationCommandAutocompleteInteraction;
		return this.dispatch(payload, actor, null);
	}

	public runUserContextMenu(input: UserContextMenuInput): InteractionHandle {
		const actor = this.resolveActor(input);
		const state = this.context.state;
		const command = state.findCommand(input.name, ApplicationCommandType.User, actor.guildId);
		this.checkCommandPermissions(command, actor, input.bypassPermissions);
		const target = state.requireUser(input.targetUserId);
		const resolved: APIInteractionDataResolved = { users: { [target.id]: target } };
		if (actor.guildId && state.guilds.get(actor.guildId)?.members.has(target.id)) {
			resolved.members = { [target.id]: this.resolvedMember(actor.guildId, target.id, actor.channelId) };
		}
		const data: APIUserApplicationCommandInteraction['data'] = {
			id: command?.id ?? state.nextId(),
			name: input.name,
			type: ApplicationCommandType.User,
			target_id: target.id,
			resolved: resolved as APIUserApplicationCommandInteraction['data']['resolved']
		};
		if (command?.guild_id) data.guild_id = command.guild_id;
		const payload = { ...this.base(InteractionType.ApplicationCommand, actor), data } as APIUserApplicationCommandInteraction;
		return this.dispatch(payload, actor, null);
	}

	public runMessageContextMenu(input: MessageContextMenuInput): InteractionHandle {
		const state = this.context.state;
		const found = state.findMessage(input.targetMessageId);
		if (!found) throw new Error(`Discord stand-in: unknown message ${input.targetMessageId}`);
		const actor = this.resolveActor({ ...input, channelId: input.channelId ?? found.message.channel_id });
		const command = state.findCommand(input.name, ApplicationCommandType.Message, actor.guildId);
		this.checkCommandPermissions(command, actor, input.bypassPermissions);
		const data: APIMessageApplicationCommandInteraction['data'] = {
			id: command?.id ?? state.nextId(),
			name: input.name,
			type: ApplicationCommandType.Message,
			target_id: found.message.id,
			resolved: { messages: { [found.message.id]: found.message } }
		};
		if (command?.guild_id) data.guild_id = command.guild_id;
		const payload = { ...this.base(InteractionType.ApplicationCommand, actor), data } as APIMessageApplicationCommandInteraction;
		return this.dispatch(payload, actor, null);
	}
}
