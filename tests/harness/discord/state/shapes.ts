import type { ChannelType, Locale } from 'discord-api-types/v10';
import type { APIMessage, APIOverwrite, APIRole, APIUser, GuildFeature } from 'discord-api-types/v10';
import type { PermissionInput } from '../permissions.js';
import type { SnowflakeGenerator } from '../snowflake.js';
import type { ChangeNotifier } from '../waiters.js';

// ---------------------------------------------------------------------------------------------
// Stored shapes
// ---------------------------------------------------------------------------------------------

export interface StoredGuild {
	id: string;
	name: string;
	ownerId: string;
	icon: string | null;
	description: string | null;
	preferredLocale: Locale;
	features: GuildFeature[];
	systemChannelId: string | null;
	/** Channel ids in creation order. */
	channelIds: Set<string>;
	/** Roles by id; @everyone has the guild's id. */
	roles: Map<string, APIRole>;
	/** Members by user id. */
	members: Map<string, StoredMember>;
}

export interface StoredMember {
	userId: string;
	roles: string[];
	nick: string | null;
	avatar: string | null;
	joinedAt: string;
	premiumSince: string | null;
	pending: boolean;
	communicationDisabledUntil: string | null;
	flags: number;
	deaf: boolean;
	mute: boolean;
}

export type MessageEventKind = 'create' | 'update' | 'delete';

/** How a message came to be; useful to tell bot traffic from seeded/user traffic. */
export type MessageSource =
	| 'rest' // the bot via POST/PATCH/DELETE /channels/:id/messages
	| 'interaction-callback' // POST /interactions/:id/:token/callback
	| 'interaction-webhook' // @original edits and follow-ups
	| 'seed' // the test, silently
	| 'user'; // the test acting as a member (dispatched)

export interface MessageEvent {
	kind: MessageEventKind;
	channelId: string;
	messageId: string;
	/** Snapshot of the message after the change (before it, for deletes). */
	message: APIMessage;
	ephemeral: boolean;
	source: MessageSource;
	/** Id of the interaction the message belongs to, if any. */
	interactionId?: string;
	at: number;
}

// ---------------------------------------------------------------------------------------------
// Seeding inputs
// ---------------------------------------------------------------------------------------------

export interface AddUserInput {
	id?: string;
	username: string;
	globalName?: string | null;
	bot?: boolean;
	avatar?: string | null;
	/** false: POST /channels/:dm/messages to this user fails with 50007. Default true. */
	acceptsDirectMessages?: boolean;
}

export interface AddGuildInput {
	id?: string;
	name: string;
	/** Existing user id of the owner. Default: a new user "<name>-owner", added as member. */
	ownerId?: string;
	icon?: string | null;
	description?: string | null;
	preferredLocale?: Locale;
	features?: GuildFeature[];
	/** @everyone permissions. Default: Discord's default set for new guilds. */
	everyonePermissions?: PermissionInput;
	/** Whether the bot is a member (and gets the guild in READY). Default true. */
	botIsMember?: boolean;
	/** Permissions of the bot's managed role. Default 0 (everything comes from @everyone). */
	botPermissions?: PermissionInput;
	/** Create the "general" text channel new guilds come with. Default true. */
	createGeneralChannel?: boolean;
}

export interface AddChannelInput {
	id?: string;
	name: string;
	type?: ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildVoice | ChannelType.GuildStageVoice | ChannelType.GuildCategory;
	parentId?: string | null;
	topic?: string | null;
	nsfw?: boolean;
	position?: number;
	rateLimitPerUser?: number;
	permissionOverwrites?: APIOverwrite[];
}

export interface AddRoleInput {
	id?: string;
	name: string;
	permissions?: PermissionInput;
	color?: number;
	hoist?: boolean;
	mentionable?: boolean;
	position?: number;
	managed?: boolean;
}

export interface AddMemberInput {
	/** An existing user id, or the user to create. */
	user: string | AddUserInput;
	roles?: string[];
	nick?: string | null;
	joinedAt?: Date | string;
	pending?: boolean;
	avatar?: string | null;
	communicationDisabledUntil?: string | null;
}

export interface UpdateMemberInput {
	roles?: string[];
	nick?: string | null;
	pending?: boolean;
	communicationDisabledUntil?: string | null;
}

export type CommandScope = { guildId?: string | undefined };

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

export interface DiscordStateOptions {
	ids: SnowflakeGenerator;
	notifier: ChangeNotifier;
	botUser: APIUser;
	applicationId: string;
}
