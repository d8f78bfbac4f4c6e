import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ComponentType,
	InteractionContextType,
	InteractionType,
	Locale,
	PermissionFlagsBits
} from 'discord-api-types/v10';
import type {
	APIApplicationCommand,
	APIApplicationCommandAutocompleteInteraction,
	APIApplicationCommandOption,
	APIAttachment,
	APIChatInputApplicationCommandInteraction,
	APIInteraction,
	APIInteractionDataResolved,
	APIInteractionDataResolvedChannel,
	APIInteractionDataResolvedGuildMember,
	APIInteractionGuildMember,
	APIMessage,
	APIMessageApplicationCommandInteraction,
	APIMessageComponentInteraction,
	APIModalSubmitInteraction,
	APIModalSubmissionComponent,
	APIUser,
	APIUserApplicationCommandInteraction
} from 'discord-api-types/v10';
import type { GatewayServer } from './gateway.js';
import { newInteractionToken, type InteractionHandle, type InteractionRecord, type InteractionService } from './interactions.js';
import type { DiscordState } from './state.js';

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/** Who acts, and where. Omit `guildId` (and give a user) for a DM with the bot. */
export interface ActorInput {
	guildId?: string;
	/** Default: the guild's system channel ("general"), or the DM channel. */
	channelId?: string;
	/** The acting member's user id (alias: `userId`). */
	memberId?: string;
	userId?: string;
	/** The user's client locale. Default en-US. */
	locale?: Locale;
}

export interface AttachmentInput {
	filename: string;
	size?: number;
	contentType?: string;
	url?: string;
}

export type OptionValueInput = string | number | boolean;
/** A plain value (typed from the registered command), or an explicitly typed one. */
export type OptionInput = OptionValueInput | AttachmentInput | { type: ApplicationCommandOptionType; value: OptionValueInput | AttachmentInput };

export interface SlashCommandInput extends ActorInput {
	name: string;
	subcommandGroup?: string;
	subcommand?: string;
	options?: Record<string, OptionInput>;
	/** Invoke even if the member lacks the command's default_member_permissions. */
	bypassPermissions?: boolean;
}

export interface AutocompleteInput extends ActorInput {
	name: string;
	subcommandGroup?: string;
	subcommand?: string;
	/** What is typed so far; the focused option's value is sent as a string. */
	options?: Record<string, OptionValueInput>;
	/** Name of the option being typed. */
	focused: string;
}

export interface UserContextMenuInput extends ActorInput {
	name: string;
	targetUserId: string;
	bypassPermissions?: boolean;
}

export interface MessageContextMenuInput extends ActorInput {
	name: string;
	targetMessageId: string;
	bypassPermissions?: boolean;
}

export interface PressButtonInput {
	messageId: string;
	customId: string;
	memberId?: string;
	userId?: string;
	locale?: Locale;
}

export interface SelectMenuInput extends PressButtonInput {
	values: string[];
}

export interface SubmitModalInput extends ActorInput {
	customId: string;
	/** Text input values (or select values) by custom_id. */
	fields: Record<string, string | string[]>;
	/** The message whose component opened the modal, if any. */
	messageId?: string;
}

export interface ActorContext {
	state: DiscordState;
	gateway: GatewayServer;
	interactions: InteractionService;
}

interface ResolvedActor {
	user: APIUser;
	guildId: string | undefined;
	channelId: string;
	locale: Locale;
}

/** Permissions Discord reports for DMs in `app_permissions`. */
const DM_PERMISSIONS =
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AttachFiles |
	PermissionFlagsBits.ReadMessageHistory |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.UseExternalEmojis |
	PermissionFlagsBits.MentionEveryone |
	PermissionFlagsBits.UseApplicationCommands;

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * Builds INTERACTION_CREATE payloads the way Discord does for a member acting in the
 * client, registers them, dispatches them, and returns the handle.
 */
export class Actors {
	public constructor(private readonly context: ActorContext) {}

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

	// ------------------------------------------------------------------------- components

	public pressButton(input: PressButtonInput): InteractionHandle {
		const { message, component, actor } = this.componentTarget(input);
		if (component.type !== ComponentType.Button) {
			throw new Error(`Discord stand-in: "${input.customId}" is a component of type ${String(component.type)}, not a button; use selectMenu()`);
		}
		const data = { custom_id: input.customId, component_type: ComponentType.Button } as APIMessageComponentInteraction['data'];
		const payload = { ...this.base(InteractionType.MessageComponent, actor), data, message } as APIMessageComponentInteraction;
		return this.dispatch(payload, actor, message.id);
	}

	public selectMenu(input: SelectMenuInput): InteractionHandle {
		const { message, component, actor } = this.componentTarget(input);
		const type = component.type as number;
		const selectTypes = [
			ComponentType.StringSelect,
			ComponentType.UserSelect,
			ComponentType.RoleSelect,
			ComponentType.MentionableSelect,
			ComponentType.ChannelSelect
		] as number[];
		if (!selectTypes.includes(type)) {
			throw new Error(`Discord stand-in: "${input.customId}" is a component of type ${type}, not a select menu`);
		}
		const min = typeof component.min_values === 'number' ? component.min_values : 1;
		const max = typeof component.max_values === 'number' ? component.max_values : 1;
		if (input.values.length < min || input.values.length > max) {
			throw new Error(`Discord stand-in: select "${input.customId}" takes ${min}..${max} values, got ${input.values.length}`);
		}
		if (type === ComponentType.StringSelect && Array.isArray(component.options)) {
			const allowed = (component.options as { value: string }[]).map((o) => o.value);
			const wrong = input.values.filter((v) => !allowed.includes(v));
			if (wrong.length > 0) throw new Error(`Discord stand-in: select "${input.customId}" has no option(s) ${wrong.join(', ')}`);
		}
		const resolved: APIInteractionDataResolved = {};
		if (type !== ComponentType.StringSelect) {
			for (const value of input.values) this.resolveMentionable(value, type, actor, resolved);
		}
		const data = {
			custom_id: input.customId,
			component_type: type,
			values: input.values,
			...(Object.keys(resolved).length > 0 ? { resolved } : {})
		} as unknown as APIMessageComponentInteraction['data'];
		const payload = { ...this.base(InteractionType.MessageComponent, actor), data, message } as APIMessageComponentInteraction;
		return this.dispatch(payload, actor, message.id);
	}

	// ------------------------------------------------------------------------- modals

	public submitModal(input: SubmitModalInput): InteractionHandle {
		const state = this.context.state;
		const source = input.messageId ? state.findMessage(input.messageId)?.message : undefined;
		if (input.messageId && !source) throw new Error(`Discord stand-in: unknown message ${input.messageId}`);
		const actor = this.resolveActor({ ...input, channelId: input.channelId ?? source?.channel_id });
		const components: APIModalSubmissionComponent[] = Object.entries(input.fields).map(([customId, value]) =>
			Array.isArray(value)
				? ({
						type: ComponentType.Label,
						component: { type: ComponentType.StringSelect, custom_id: customId, values: value }
					} as APIModalSubmissionComponent)
				: { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: customId, value }] }
		);
		return this.dispatchModal(input.customId, components, actor, source);
	}

	/** `handle.submitModal()`: answers the modal a previous interaction opened. */
	public submitModalFor(record: InteractionRecord, fields: Record<string, string | string[]>): InteractionHandle {
		const modal = record.modal!;
		const actor: ResolvedActor = {
			user: record.user,
			guildId: record.guildId,
			channelId: record.channelId,
			locale: (record.payload as { locale?: Locale }).locale ?? Locale.EnglishUS
		};
		const take = (customId: string, required: boolean | undefined, label: string): string | string[] => {
			const value = fields[customId];
			if ((value === undefined || value === '') && required !== false) {
				throw new Error(`Discord stand-in: modal "${modal.custom_id}" requires a value for "${label || customId}"`);
			}
			return value ?? '';
		};
		const known = new Set<string>();
		const components: APIModalSubmissionComponent[] = [];
		for (const component of modal.components) {
			if (component.type === ComponentType.ActionRow) {
				components.push({
					type: ComponentType.ActionRow,
					components: component.components.map((input) => {
						known.add(input.custom_id);
						const value = take(input.custom_id, input.required, input.label ?? '');
						return { type: ComponentType.TextInput, custom_id: input.custom_id, value: Array.isArray(value) ? value.join(',') : value };
					})
				});
			} else if (component.type === ComponentType.Label) {
				const inner = component.component as { type: ComponentType; custom_id: string; required?: boolean };
				known.add(inner.custom_id);
				const value = take(inner.custom_id, inner.required, component.label);
				const submitted =
					inner.type === ComponentType.TextInput
						? { type: ComponentType.TextInput, custom_id: inner.custom_id, value: Array.isArray(value) ? value.join(',') : value }
						: { type: inner.type, custom_id: inner.custom_id, values: Array.isArray(value) ? value : [value] };
				components.push({
					type: ComponentType.Label,
					...(component.id !== undefined ? { id: component.id } : {}),
					component: submitted
				} as APIModalSubmissionComponent);
			} else if (component.type === ComponentType.TextDisplay) {
				components.push({
					type: ComponentType.TextDisplay,
					...(component.id !== undefined ? { id: component.id } : {})
				} as APIModalSubmissionComponent);
			}
		}
		const unknown = Object.keys(fields).filter((k) => !known.has(k));
		if (unknown.length > 0) {
			throw new Error(`Discord stand-in: modal "${modal.custom_id}" has no input(s) ${unknown.join(', ')} (has: ${[...known].join(', ')})`);
		}
		const source = record.sourceMessageId ? this.context.state.findMessage(record.sourceMessageId)?.message : undefined;
		return this.dispatchModal(modal.custom_id, components, actor, source, record);
	}

	private dispatchModal(
		customId: string,
		components: APIModalSubmissionComponent[],
		actor: ResolvedActor,
		source: APIMessage | undefined,
		trigger?: InteractionRecord
	): InteractionHandle {
		const payload = {
			...this.base(InteractionType.ModalSubmit, actor),
			data: { custom_id: customId, components },
			...(source ? { message: source } : {})
		} as APIModalSubmitInteraction;
		return this.dispatch(payload, actor, source?.id ?? null, trigger);
	}

	// ------------------------------------------------------------------------- building blocks

	private dispatch(payload: APIInteraction, actor: ResolvedActor, sourceMessageId: string | null, trigger?: InteractionRecord): InteractionHandle {
		const handle = this.context.interactions.register(payload, {
			channelId: actor.channelId,
			guildId: actor.guildId,
			user: actor.user,
			sourceMessageId,
			...(trigger ? { trigger } : {})
		});
		const reached = this.context.gateway.interactionCreate(payload);
		if (reached === 0) {
			this.context.interactions.unregister(handle);
			throw new Error('Discord stand-in: no gateway session would receive this interaction — log the bot in first (or check its shard)');
		}
		return handle;
	}

	private resolveActor(input: ActorInput & { channelId?: string | undefined }): ResolvedActor {
		const state = this.context.state;
		const userId = input.memberId ?? input.userId;
		if (!userId) throw new Error('Discord stand-in: say who acts (memberId or userId)');
		const user = state.requireUser(userId);
		let guildId = input.guildId;
		if (guildId === undefined && input.channelId !== undefined) guildId = state.guildIdOfChannel(input.channelId);
		if (guildId === undefined) {
			const dm = state.ensureDMChannel(userId);
			if (input.channelId !== undefined && input.channelId !== dm.id) {
				throw new Error(`Discord stand-in: channel ${input.channelId} is not the DM channel of user ${userId}`);
			}
			return { user, guildId: undefined, channelId: dm.id, locale: input.locale ?? Locale.EnglishUS };
		}
		const guild = state.requireGuild(guildId);
		if (!guild.members.has(userId)) throw new Error(`Discord stand-in: user ${userId} is not a member of guild ${guildId}`);
		if (!guild.members.has(state.botUser.id)) throw new Error(`Discord stand-in: the bot is not in guild ${guildId}`);
		const channelId = input.channelId ?? guild.systemChannelId ?? undefined;
		if (!channelId) throw new Error(`Discord stand-in: guild ${guildId} has no system channel; pass channelId`);
		if (state.guildIdOfChannel(channelId) !== guildId) {
			throw new Error(`Discord stand-in: channel ${channelId} is not in guild ${guildId}`);
		}
		return { user, guildId, channelId, locale: input.locale ?? Locale.EnglishUS };
	}

	private base(type: InteractionType, actor: ResolvedActor): Record<string, unknown> {
		const state = this.context.state;
		const channel = state.requireChannel(actor.channelId);
		const payload: Record<string, unknown> = {
			id: state.nextId(),
			application_id: state.applicationId,
			type,
			token: newInteractionToken(),
			version: 1,
			locale: actor.locale,
			entitlements: [],
			attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
			channel_id: actor.channelId
		};
		if (actor.guildId) {
			const guild = state.requireGuild(actor.guildId);
			const memberPermissions = state.channelPermissions(actor.guildId, actor.user.id, actor.channelId);
			const appPermissions = state.channelPermissions(actor.guildId, state.botUser.id, actor.channelId);
			const member: APIInteractionGuildMember = {
				...state.memberToAPI(actor.guildId, actor.user.id),
				permissions: memberPermissions.toString()
			};
			Object.assign(payload, {
				guild_id: actor.guildId,
				guild: { id: guild.id, locale: guild.preferredLocale, features: [...guild.features] },
				guild_locale: guild.preferredLocale,
				member,
				app_permissions: appPermissions.toString(),
				channel: { ...channel, permissions: memberPermissions.toString() },
				authorizing_integration_owners: { '0': actor.guildId },
				context: InteractionContextType.Guild
			});
		} else {
			Object.assign(payload, {
				user: actor.user,
				app_permissions: DM_PERMISSIONS.toString(),
				channel: { ...channel, recipients: [actor.user] },
				authorizing_integration_owners: { '0': '0' },
				context: InteractionContextType.BotDM
			});
		}
		return payload;
	}

	private checkCommandPermissions(command: APIApplicationCommand | undefined, actor: ResolvedActor, bypass?: boolean): void {
		if (!command || bypass || !actor.guildId) return;
		const required = command.default_member_permissions;
		if (required === null || required === undefined) return;
		const permissions = this.context.state.channelPermissions(actor.guildId, actor.user.id, actor.channelId);
		const bits = BigInt(required);
		if ((permissions & bits) !== bits) {
			throw new Error(
				`Discord stand-in: member ${actor.user.id} lacks default_member_permissions ${required} of "${command.name}", so Discord would not offer the command (pass bypassPermissions to send it anyway)`
			);
		}
	}

	/** The value options of the command, sub-command or group/sub-command being invoked. */
	private targetOptions(
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

	private buildValueOptions(
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

	private coerceValue(
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

	/** Adds users/members/roles/channels for `id` to `resolved`, as Discord does. */
	private resolveMentionable(id: string, kind: number, actor: ResolvedActor, resolved: APIInteractionDataResolved): void {
		const state = this.context.state;
		const guild = actor.guildId ? state.guilds.get(actor.guildId) : undefined;
		const wantsUser = kind === ComponentType.UserSelect || kind === ComponentType.MentionableSelect;
		const wantsRole = kind === ComponentType.RoleSelect || kind === ComponentType.MentionableSelect;
		if (wantsUser && state.users.has(id)) {
			resolved.users = { ...resolved.users, [id]: state.requireUser(id) };
			if (guild?.members.has(id) && actor.guildId) {
				resolved.members = { ...resolved.members, [id]: this.resolvedMember(actor.guildId, id, actor.channelId) };
			}
			return;
		}
		if (wantsRole && guild?.roles.has(id)) {
			resolved.roles = { ...resolved.roles, [id]: guild.roles.get(id)! };
			return;
		}
		if (kind === ComponentType.ChannelSelect && state.channels.has(id)) {
			resolved.channels = { ...resolved.channels, [id]: this.resolvedChannel(id, actor) };
			return;
		}
		throw new Error(`Discord stand-in: ${id} is not a ${describeKind(kind)} Discord could resolve here`);
	}

	private resolvedMember(guildId: string, userId: string, channelId: string): APIInteractionDataResolvedGuildMember {
		const { user: _user, deaf: _deaf, mute: _mute, ...member } = this.context.state.memberToAPI(guildId, userId);
		return {
			...member,
			joined_at: member.joined_at,
			permissions: this.context.state.channelPermissions(guildId, userId, channelId).toString()
		} as APIInteractionDataResolvedGuildMember;
	}

	private resolvedChannel(channelId: string, actor: ResolvedActor): APIInteractionDataResolvedChannel {
		const state = this.context.state;
		const channel = state.requireChannel(channelId);
		const permissions =
			actor.guildId && 'guild_id' in channel && channel.guild_id === actor.guildId
				? state.channelPermissions(actor.guildId, actor.user.id, channelId)
				: 0n;
		const result: Record<string, unknown> = {
			id: channel.id,
			type: channel.type,
			name: channel.name ?? null,
			permissions: permissions.toString()
		};
		if ('parent_id' in channel) result.parent_id = channel.parent_id ?? null;
		return result as unknown as APIInteractionDataResolvedChannel;
	}

	private makeAttachment(input: AttachmentInput): APIAttachment {
		const id = this.context.state.nextId();
		const url = input.url ?? `https://cdn.discordapp.com/ephemeral-attachments/${id}/${encodeURIComponent(input.filename)}`;
		const attachment: APIAttachment = {
			id,
			filename: input.filename,
			size: input.size ?? 0,
			url,
			proxy_url: url,
			ephemeral: true
		};
		if (input.contentType !== undefined) attachment.content_type = input.contentType;
		return attachment;
	}

	private componentTarget(input: PressButtonInput): {
		message: APIMessage;
		component: Record<string, unknown>;
		actor: ResolvedActor;
	} {
		const state = this.context.state;
		const found = state.findMessage(input.messageId);
		if (!found) throw new Error(`Discord stand-in: unknown message ${input.messageId}`);
		const message = found.message;
		const all: Record<string, unknown>[] = [];
		collectComponents(message.components ?? [], all);
		const component = all.find((c) => c.custom_id === input.customId);
		if (!component) {
			const ids = all.map((c) => c.custom_id).filter((id) => typeof id === 'string');
			throw new Error(`Discord stand-in: message ${message.id} has no component "${input.customId}" (has: ${ids.join(', ') || 'none'})`);
		}
		if (component.disabled === true) throw new Error(`Discord stand-in: component "${input.customId}" is disabled`);
		const actor = this.resolveActor({
			...(input.memberId !== undefined ? { memberId: input.memberId } : {}),
			...(input.userId !== undefined ? { userId: input.userId } : {}),
			...(input.locale !== undefined ? { locale: input.locale } : {}),
			channelId: message.channel_id
		});
		return { message, component, actor };
	}
}

function collectComponents(components: readonly unknown[], into: Record<string, unknown>[]): void {
	for (const component of components) {
		if (typeof component !== 'object' || component === null) continue;
		const c = component as Record<string, unknown>;
		into.push(c);
		if (Array.isArray(c.components)) collectComponents(c.components, into);
		if (c.accessory) collectComponents([c.accessory], into);
		if (c.component) collectComponents([c.component], into);
	}
}

function wrapSubcommand(values: Record<string, unknown>[], group?: string, subcommand?: string): Record<string, unknown>[] {
	if (subcommand === undefined) return values;
	const sub = { name: subcommand, type: ApplicationCommandOptionType.Subcommand, options: values };
	if (group === undefined) return [sub];
	return [{ name: group, type: ApplicationCommandOptionType.SubcommandGroup, options: [sub] }];
}

function isExplicit(raw: OptionInput): raw is { type: ApplicationCommandOptionType; value: OptionValueInput | AttachmentInput } {
	return typeof raw === 'object' && raw !== null && 'type' in raw && 'value' in raw;
}

function inferType(raw: OptionInput): ApplicationCommandOptionType {
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

function describeKind(kind: number): string {
	switch (kind) {
		case ComponentType.UserSelect:
			return 'user';
		case ComponentType.RoleSelect:
			return 'role';
		case ComponentType.ChannelSelect:
			return 'channel';
		default:
			return 'user or role';
	}
}

function unknownOption(path: string, name: string, definitions: APIApplicationCommandOption[]): Error {
	return new Error(`Discord stand-in: ${path} has no option "${name}" (has: ${definitions.map((d) => d.name).join(', ') || 'none'})`);
}
