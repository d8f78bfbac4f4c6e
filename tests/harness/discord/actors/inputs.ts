import type { ApplicationCommandOptionType, Locale } from 'discord-api-types/v10';
import type { APIUser } from 'discord-api-types/v10';
import type { GatewayServer } from '../gateway.js';
import type { InteractionService } from '../interactions.js';
import type { DiscordState } from '../state.js';

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

/** The acting user and where they act, checked against the state. */
export interface ResolvedActor {
	user: APIUser;
	guildId: string | undefined;
	channelId: string;
	locale: Locale;
}
