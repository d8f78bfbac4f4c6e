import {
	ChannelType,
	GuildDefaultMessageNotifications,
	GuildExplicitContentFilter,
	GuildMFALevel,
	GuildNSFWLevel,
	GuildPremiumTier,
	GuildSystemChannelFlags,
	GuildVerificationLevel,
	Locale
} from 'discord-api-types/v10';
import type {
	APIApplicationCommand,
	APIChannel,
	APIGuild,
	APIGuildMember,
	APIMessage,
	APIOverwrite,
	APIRole,
	APIUser,
	ChannelFlags,
	GuildFeature,
	RoleFlags,
	UserFlags
} from 'discord-api-types/v10';
import { DiscordErrors } from './errors.js';
import type { UploadedFile } from './http.js';
import {
	computeBasePermissions,
	computeChannelPermissions,
	DEFAULT_EVERYONE_PERMISSIONS,
	toPermissionBits,
	type PermissionInput,
	type PermissionSubject
} from './permissions.js';
import type { SnowflakeGenerator } from './snowflake.js';
import type { ChangeNotifier } from './waiters.js';

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

/**
 * Everything the stand-in knows: users, guilds (channels, roles, members), messages,
 * DM channels and application commands. Pure data plus rendering to API shapes; it
 * neither talks HTTP nor dispatches gateway events (the server does that).
 */
export class DiscordState {
	public readonly users = new Map<string, APIUser>();
	public readonly guilds = new Map<string, StoredGuild>();
	public readonly channels = new Map<string, APIChannel>();
	/** Channel messages in creation order, per channel. Ephemeral messages are not here. */
	public readonly channelMessages = new Map<string, Map<string, APIMessage>>();
	/** Ephemeral messages (only reachable through their interaction token). */
	public readonly ephemeralMessages = new Map<string, APIMessage>();
	/** DM channel id per recipient user id. */
	public readonly dmChannels = new Map<string, string>();
	public readonly globalCommands = new Map<string, APIApplicationCommand>();
	public readonly guildCommands = new Map<string, Map<string, APIApplicationCommand>>();
	public readonly messageEvents: MessageEvent[] = [];
	/** Users that refuse DMs from the bot. */
	public readonly closedDMs = new Set<string>();
	/** Uploaded files by attachment id (served under /attachments/…). */
	public readonly attachmentFiles = new Map<string, UploadedFile>();

	public readonly ids: SnowflakeGenerator;
	public readonly botUser: APIUser;
	public readonly applicationId: string;
	readonly #notifier: ChangeNotifier;

	public constructor(options: DiscordStateOptions) {
		this.ids = options.ids;
		this.#notifier = options.notifier;
		this.botUser = options.botUser;
		this.applicationId = options.applicationId;
		this.users.set(this.botUser.id, this.botUser);
	}

	public nextId(): string {
		return this.ids.next();
	}

	public changed(): void {
		this.#notifier.notify();
	}

	// ----------------------------------------------------------------------------- users

	public addUser(input: AddUserInput): APIUser {
		const id = input.id ?? this.nextId();
		if (this.users.has(id)) throw new Error(`Discord stand-in: user ${id} already exists`);
		const user: APIUser = {
			id,
			username: input.username,
			discriminator: '0',
			global_name: input.globalName ?? null,
			avatar: input.avatar ?? null,
			bot: input.bot ?? false,
			system: false,
			banner: null,
			accent_color: null,
			public_flags: 0 as UserFlags,
			flags: 0 as UserFlags,
			avatar_decoration_data: null,
			collectibles: null,
			primary_guild: null
		};
		this.users.set(id, user);
		if (input.acceptsDirectMessages === false) this.closedDMs.add(id);
		this.changed();
		return user;
	}

	public requireUser(id: string): APIUser {
		const user = this.users.get(id);
		if (!user) throw new Error(`Discord stand-in: unknown user ${id}`);
		return user;
	}

	// ----------------------------------------------------------------------------- guilds

	public addGuild(input: AddGuildInput): StoredGuild {
		const id = input.id ?? this.nextId();
		if (this.guilds.has(id)) throw new Error(`Discord stand-in: guild ${id} already exists`);
		let ownerId = input.ownerId;
		if (ownerId !== undefined) this.requireUser(ownerId);
		else ownerId = this.addUser({ username: `${slug(input.name)}-owner` }).id;
		const guild: StoredGuild = {
			id,
			name: input.name,
			ownerId,
			icon: input.icon ?? null,
			description: input.description ?? null,
			preferredLocale: input.preferredLocale ?? Locale.EnglishUS,
			features: input.features ?? [],
			systemChannelId: null,
			channelIds: new Set(),
			roles: new Map(),
			members: new Map()
		};
		this.guilds.set(id, guild);
		guild.roles.set(id, {
			id,
			name: '@everyone',
			color: 0,
			colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
			hoist: false,
			icon: null,
			unicode_emoji: null,
			position: 0,
			permissions: toPermissionBits(input.everyonePermissions, DEFAULT_EVERYONE_PERMISSIONS).toString(),
			managed: false,
			mentionable: false,
			flags: 0 as RoleFlags
		});
		this.addMember(id, { user: ownerId });
		if (input.createGeneralChannel !== false) {
			guild.systemChannelId = this.addChannel(id, { name: 'general' }).id;
		}
		if (input.botIsMember !== false) this.addBotToGuild(id, input.botPermissions);
		this.changed();
		return guild;
	}

	/** Makes the bot a member of the guild, with its managed role (as an OAuth2 invite does). */
	public addBotToGuild(guildId: string, permissions?: PermissionInput): StoredMember {
		const guild = this.requireGuild(guildId);
		const existing = guild.members.get(this.botUser.id);
		if (existing) return existing;
		const role = this.addRole(guildId, {
			name: this.botUser.username,
			permissions: toPermissionBits(permissions, 0n),
			managed: true
		});
		role.tags = { bot_id: this.botUser.id };
		return this.addMember(guildId, { user: this.botUser.id, roles: [role.id] });
	}

	public requireGuild(id: string): StoredGuild {
		const guild = this.guilds.get(id);
		if (!guild) throw new Error(`Discord stand-in: unknown guild ${id}`);
		return guild;
	}

	/** Guilds the bot is a member of, in creation order. */
	public botGuilds(): StoredGuild[] {
		const result: StoredGuild[] = [];
		for (const guild of this.guilds.values()) if (guild.members.has(this.botUser.id)) result.push(guild);
		return result;
	}

	public isBotInGuild(guildId: string): boolean {
		return this.guilds.get(guildId)?.members.has(this.botUser.id) ?? false;
	}

	// ----------------------------------------------------------------------------- channels

	public addChannel(guildId: string, input: AddChannelInput): APIChannel {
		const guild = this.requireGuild(guildId);
		const id = input.id ?? this.nextId();
		if (this.channels.has(id)) throw new Error(`Discord stand-in: channel ${id} already exists`);
		const type = input.type ?? ChannelType.GuildText;
		const position = input.position ?? countOfType(this, guild, type);
		const base = {
			id,
			guild_id: guildId,
			name: input.name,
			position,
			permission_overwrites: input.permissionOverwrites ?? [],
			nsfw: input.nsfw ?? false,
			flags: 0
		};
		const parentId = input.parentId ?? null;
		let channel: APIChannel;
		switch (type) {
			case ChannelType.GuildText:
			case ChannelType.GuildAnnouncement:
				channel = {
					...base,
					type,
					parent_id: parentId,
					topic: input.topic ?? null,
					rate_limit_per_user: input.rateLimitPerUser ?? 0,
					last_message_id: null,
					last_pin_timestamp: null
				};
				break;
			case ChannelType.GuildVoice:
			case ChannelType.GuildStageVoice:
				channel = {
					...base,
					type,
					parent_id: parentId,
					bitrate: 64_000,
					user_limit: 0,
					rtc_region: null,
					rate_limit_per_user: input.rateLimitPerUser ?? 0,
					last_message_id: null
				};
				break;
			case ChannelType.GuildCategory:
				channel = { ...base, type, parent_id: null };
				break;
		}
		this.channels.set(id, channel);
		guild.channelIds.add(id);
		this.changed();
		return channel;
	}

	public requireChannel(id: string): APIChannel {
		const channel = this.channels.get(id);
		if (!channel) throw new Error(`Discord stand-in: unknown channel ${id}`);
		return channel;
	}

	public guildIdOfChannel(channelId: string): string | undefined {
		const channel = this.channels.get(channelId);
		return channel && 'guild_id' in channel ? channel.guild_id : undefined;
	}

	public guildChannels(guildId: string): APIChannel[] {
		const guild = this.requireGuild(guildId);
		const result: APIChannel[] = [];
		for (const id of guild.channelIds) {
			const channel = this.channels.get(id);
			if (channel) result.push(channel);
		}
		return result;
	}

	/** The DM channel between the bot and `userId`, created on first use. */
	public ensureDMChannel(userId: string): APIChannel {
		const recipient = this.requireUser(userId);
		const existing = this.dmChannels.get(userId);
		if (existing) return this.requireChannel(existing);
		const channel: APIChannel = {
			id: this.nextId(),
			type: ChannelType.DM,
			name: null,
			last_message_id: null,
			recipients: [recipient],
			flags: 0 as ChannelFlags
		};
		this.channels.set(channel.id, channel);
		this.dmChannels.set(userId, channel.id);
		this.changed();
		return channel;
	}

	// ----------------------------------------------------------------------------- roles

	public addRole(guildId: string, input: AddRoleInput): APIRole {
		const guild = this.requireGuild(guildId);
		const id = input.id ?? this.nextId();
		if (guild.roles.has(id)) throw new Error(`Discord stand-in: role ${id} already exists`);
		const role: APIRole = {
			id,
			name: input.name,
			color: input.color ?? 0,
			colors: { primary_color: input.color ?? 0, secondary_color: null, tertiary_color: null },
			hoist: input.hoist ?? false,
			icon: null,
			unicode_emoji: null,
			position: input.position ?? guild.roles.size,
			permissions: toPermissionBits(input.permissions, 0n).toString(),
			managed: input.managed ?? false,
			mentionable: input.mentionable ?? false,
			flags: 0 as RoleFlags
		};
		guild.roles.set(id, role);
		this.changed();
		return role;
	}

	public requireRole(guildId: string, roleId: string): APIRole {
		const role = this.requireGuild(guildId).roles.get(roleId);
		if (!role) throw new Error(`Discord stand-in: unknown role ${roleId} in guild ${guildId}`);
		return role;
	}

	/** Roles sorted as Discord lists them (by position, then id). */
	public guildRoles(guildId: string): APIRole[] {
		return [...this.requireGuild(guildId).roles.values()].sort((a, b) => a.position - b.position || compareIds(a.id, b.id));
	}

	// ----------------------------------------------------------------------------- members

	public addMember(guildId: string, input: AddMemberInput): StoredMember {
		const guild = this.requireGuild(guildId);
		const userId = typeof input.user === 'string' ? this.requireUser(input.user).id : this.addUser(input.user).id;
		if (guild.members.has(userId)) throw new Error(`Discord stand-in: user ${userId} is already in guild ${guildId}`);
		for (const roleId of input.roles ?? []) this.requireRole(guildId, roleId);
		const joinedAt = input.joinedAt ?? new Date();
		const member: StoredMember = {
			userId,
			roles: [...(input.roles ?? [])],
			nick: input.nick ?? null,
			avatar: input.avatar ?? null,
			joinedAt: typeof joinedAt === 'string' ? joinedAt : joinedAt.toISOString(),
			premiumSince: null,
			pending: input.pending ?? false,
			communicationDisabledUntil: input.communicationDisabledUntil ?? null,
			flags: 0,
			deaf: false,
			mute: false
		};
		guild.members.set(userId, member);
		this.changed();
		return member;
	}

	public updateMember(guildId: string, userId: string, patch: UpdateMemberInput): StoredMember {
		const member = this.requireMember(guildId, userId);
		if (patch.roles) {
			for (const roleId of patch.roles) this.requireRole(guildId, roleId);
			member.roles = [...patch.roles];
		}
		if (patch.nick !== undefined) member.nick = patch.nick;
		if (patch.pending !== undefined) member.pending = patch.pending;
		if (patch.communicationDisabledUntil !== undefined) {
			member.communicationDisabledUntil = patch.communicationDisabledUntil;
		}
		this.changed();
		return member;
	}

	public removeMember(guildId: string, userId: string): StoredMember {
		const guild = this.requireGuild(guildId);
		const member = this.requireMember(guildId, userId);
		guild.members.delete(userId);
		this.changed();
		return member;
	}

	public requireMember(guildId: string, userId: string): StoredMember {
		const member = this.requireGuild(guildId).members.get(userId);
		if (!member) throw new Error(`Discord stand-in: user ${userId} is not a member of guild ${guildId}`);
		return member;
	}

	public memberToAPI(guildId: string, userId: string): APIGuildMember {
		const member = this.requireMember(guildId, userId);
		return {
			user: this.requireUser(userId),
			nick: member.nick,
			avatar: member.avatar,
			banner: null,
			roles: [...member.roles],
			joined_at: member.joinedAt,
			premium_since: member.premiumSince,
			deaf: member.deaf,
			mute: member.mute,
			flags: member.flags,
			pending: member.pending,
			communication_disabled_until: member.communicationDisabledUntil
		};
	}

	// ----------------------------------------------------------------------------- permissions

	public permissionSubject(guildId: string, userId: string): PermissionSubject {
		const guild = this.requireGuild(guildId);
		const member = this.requireMember(guildId, userId);
		return { guildId, ownerId: guild.ownerId, roles: guild.roles, userId, memberRoleIds: member.roles };
	}

	/** Guild-level permissions of a member. */
	public basePermissions(guildId: string, userId: string): bigint {
		return computeBasePermissions(this.permissionSubject(guildId, userId));
	}

	/** Permissions of a member in a channel (overwrites applied; threads use their parent). */
	public channelPermissions(guildId: string, userId: string, channelId: string): bigint {
		const channel = this.requireChannel(channelId);
		const overwrites = 'permission_overwrites' in channel ? (channel.permission_overwrites ?? []) : [];
		return computeChannelPermissions(this.permissionSubject(guildId, userId), overwrites);
	}

	// ----------------------------------------------------------------------------- guild rendering

	public guildToAPI(guildId: string): APIGuild {
		const guild = this.requireGuild(guildId);
		return {
			id: guild.id,
			name: guild.name,
			icon: guild.icon,
			icon_hash: guild.icon,
			splash: null,
			discovery_splash: null,
			owner_id: guild.ownerId,
			afk_channel_id: null,
			afk_timeout: 300,
			widget_enabled: false,
			widget_channel_id: null,
			verification_level: GuildVerificationLevel.None,
			default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
			explicit_content_filter: GuildExplicitContentFilter.Disabled,
			roles: this.guildRoles(guildId),
			emojis: [],
			stickers: [],
			features: [...guild.features],
			mfa_level: GuildMFALevel.None,
			application_id: null,
			system_channel_id: guild.systemChannelId,
			system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
			rules_channel_id: null,
			max_presences: null,
			max_members: 500_000,
			vanity_url_code: null,
			description: guild.description,
			banner: null,
			premium_tier: GuildPremiumTier.None,
			premium_subscription_count: 0,
			preferred_locale: guild.preferredLocale,
			public_updates_channel_id: null,
			max_video_channel_users: 25,
			max_stage_video_channel_users: 50,
			nsfw_level: GuildNSFWLevel.Default,
			premium_progress_bar_enabled: false,
			hub_type: null,
			safety_alerts_channel_id: null,
			incidents_data: null
		};
	}

	// ----------------------------------------------------------------------------- messages

	/** Stores a new message (channel history, or the ephemeral store) and logs the event. */
	public insertMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): APIMessage {
		if (meta.ephemeral) {
			this.ephemeralMessages.set(message.id, message);
		} else {
			let messages = this.channelMessages.get(message.channel_id);
			if (!messages) {
				messages = new Map();
				this.channelMessages.set(message.channel_id, messages);
			}
			messages.set(message.id, message);
			const channel = this.channels.get(message.channel_id);
			if (channel && 'last_message_id' in channel) channel.last_message_id = message.id;
		}
		this.logMessageEvent('create', message, meta);
		return message;
	}

	/** Finds a message by id: in a channel's history (if given) or anywhere, ephemeral included. */
	public findMessage(messageId: string, channelId?: string): { message: APIMessage; ephemeral: boolean } | undefined {
		if (channelId !== undefined) {
			const message = this.channelMessages.get(channelId)?.get(messageId);
			return message ? { message, ephemeral: false } : undefined;
		}
		for (const messages of this.channelMessages.values()) {
			const message = messages.get(messageId);
			if (message) return { message, ephemeral: false };
		}
		const ephemeral = this.ephemeralMessages.get(messageId);
		return ephemeral ? { message: ephemeral, ephemeral: true } : undefined;
	}

	public replaceMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): APIMessage {
		if (meta.ephemeral) this.ephemeralMessages.set(message.id, message);
		else this.channelMessages.get(message.channel_id)?.set(message.id, message);
		this.logMessageEvent('update', message, meta);
		return message;
	}

	public removeMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): void {
		if (meta.ephemeral) this.ephemeralMessages.delete(message.id);
		else this.channelMessages.get(message.channel_id)?.delete(message.id);
		this.logMessageEvent('delete', message, meta);
	}

	/** A channel's messages, oldest first. */
	public messagesIn(channelId: string): APIMessage[] {
		return [...(this.channelMessages.get(channelId)?.values() ?? [])];
	}

	private logMessageEvent(
		kind: MessageEventKind,
		message: APIMessage,
		meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }
	): void {
		const event: MessageEvent = {
			kind,
			channelId: message.channel_id,
			messageId: message.id,
			message: structuredClone(message),
			ephemeral: meta.ephemeral,
			source: meta.source,
			at: Date.now()
		};
		if (meta.interactionId !== undefined) event.interactionId = meta.interactionId;
		this.messageEvents.push(event);
		this.changed();
	}

	// ----------------------------------------------------------------------------- commands

	public commandMap(scope: CommandScope): Map<string, APIApplicationCommand> {
		if (scope.guildId === undefined) return this.globalCommands;
		let commands = this.guildCommands.get(scope.guildId);
		if (!commands) {
			commands = new Map();
			this.guildCommands.set(scope.guildId, commands);
		}
		return commands;
	}

	/** A registered command by name and type: guild scope first, then global. */
	public findCommand(name: string, type: number, guildId?: string): APIApplicationCommand | undefined {
		if (guildId !== undefined) {
			for (const command of this.guildCommands.get(guildId)?.values() ?? []) {
				if (command.name === name && command.type === type) return command;
			}
		}
		for (const command of this.globalCommands.values()) {
			if (command.name === name && command.type === type) return command;
		}
		return undefined;
	}
}

export function compareIds(a: string, b: string): number {
	const x = BigInt(a);
	const y = BigInt(b);
	return x < y ? -1 : x > y ? 1 : 0;
}

function slug(name: string): string {
	const value = name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return value.length > 0 ? value.slice(0, 24) : 'guild';
}

function countOfType(state: DiscordState, guild: StoredGuild, type: ChannelType): number {
	let count = 0;
	for (const id of guild.channelIds) if (state.channels.get(id)?.type === type) count += 1;
	return count;
}

/** Throws Discord's 404 for a guild the bot cannot see. */
export function requireBotGuild(state: DiscordState, guildId: string): StoredGuild {
	const guild = state.guilds.get(guildId);
	if (!guild) throw DiscordErrors.unknownGuild();
	if (!guild.members.has(state.botUser.id)) throw DiscordErrors.missingAccess();
	return guild;
}
