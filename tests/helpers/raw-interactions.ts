import {
	ApplicationCommandOptionType,
	ApplicationCommandType,
	InteractionType,
	type APIApplicationCommandInteractionDataOption,
	type APIChatInputApplicationCommandInteraction,
	type APIMessageComponentButtonInteraction,
	type APIInteractionGuildMember
} from 'discord-api-types/v10';

export const APPLICATION_ID = '900000000000000001';
export const CHANNEL_ID = '700000000000000001';

let counter = 0n;
const nextSnowflake = () => String(800000000000000000n + ++counter);

export interface ActingMember {
	readonly id: string;
	readonly username: string;
	/** Permission bit set as Discord sends it (a decimal string). */
	readonly permissions: bigint;
}

export const ADMIN: ActingMember = { id: '300000000000000001', username: 'admin', permissions: 0x20n | 0x8n };
export const MEMBER: ActingMember = { id: '300000000000000002', username: 'member', permissions: 0n };

function guildMember(member: ActingMember): APIInteractionGuildMember {
	return {
		user: { id: member.id, username: member.username, discriminator: '0', global_name: member.username, avatar: null },
		roles: [],
		joined_at: '2024-01-01T00:00:00.000Z',
		deaf: false,
		mute: false,
		flags: 0 as APIInteractionGuildMember['flags'],
		permissions: String(member.permissions)
	};
}

/** A slash command interaction as the gateway delivers it, in a guild the client has not cached. */
export function chatInputInteraction(options: {
	guildId: string;
	member: ActingMember;
	name: string;
	subcommand?: string;
	options?: APIApplicationCommandInteractionDataOption[];
}): APIChatInputApplicationCommandInteraction {
	const inner = options.options ?? [];
	const data =
		options.subcommand === undefined ? inner : [{ type: ApplicationCommandOptionType.Subcommand, name: options.subcommand, options: inner }];
	return {
		id: nextSnowflake(),
		application_id: APPLICATION_ID,
		type: InteractionType.ApplicationCommand,
		token: `token-${nextSnowflake()}`,
		version: 1,
		guild_id: options.guildId,
		channel_id: CHANNEL_ID,
		channel: { id: CHANNEL_ID, type: 0, guild_id: options.guildId, name: 'general' } as APIChatInputApplicationCommandInteraction['channel'],
		member: guildMember(options.member),
		app_permissions: '8',
		locale: 'en-US',
		guild_locale: 'en-US',
		entitlements: [],
		authorizing_integration_owners: { 0: options.guildId },
		context: 0,
		attachment_size_limit: 8_388_608,
		data: {
			id: nextSnowflake(),
			name: options.name,
			type: ApplicationCommandType.ChatInput,
			options: data as APIApplicationCommandInteractionDataOption[]
		}
	} as APIChatInputApplicationCommandInteraction;
}

export function stringOption(name: string, value: string): APIApplicationCommandInteractionDataOption {
	return { type: ApplicationCommandOptionType.String, name, value };
}

/** A button press on a message the bot posted earlier. */
export function buttonInteraction(options: { guildId: string; member: ActingMember; customId: string }): APIMessageComponentButtonInteraction {
	const base = chatInputInteraction({ guildId: options.guildId, member: options.member, name: 'unused' });
	return {
		...base,
		type: InteractionType.MessageComponent,
		message: {
			id: nextSnowflake(),
			channel_id: CHANNEL_ID,
			author: { id: APPLICATION_ID, username: 'bot', discriminator: '0', global_name: null, avatar: null, bot: true },
			content: '',
			timestamp: '2024-01-01T00:00:00.000Z',
			edited_timestamp: null,
			tts: false,
			mention_everyone: false,
			mentions: [],
			mention_roles: [],
			attachments: [],
			embeds: [],
			pinned: false,
			type: 0
		},
		data: { custom_id: options.customId, component_type: 2 }
	} as unknown as APIMessageComponentButtonInteraction;
}

/** Hands a raw interaction to a client as its gateway would (the client's own INTERACTION_CREATE action). */
export function dispatchInteraction(client: object, raw: unknown): void {
	(Reflect.get(client, 'actions') as { InteractionCreate: { handle(data: unknown): void } }).InteractionCreate.handle(raw);
}
