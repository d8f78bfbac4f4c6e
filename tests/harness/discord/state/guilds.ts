import {
	GuildDefaultMessageNotifications,
	GuildExplicitContentFilter,
	GuildMFALevel,
	GuildNSFWLevel,
	GuildPremiumTier,
	GuildSystemChannelFlags,
	GuildVerificationLevel,
	Locale
} from 'discord-api-types/v10';
import type { APIGuild, RoleFlags } from 'discord-api-types/v10';
import { DEFAULT_EVERYONE_PERMISSIONS, toPermissionBits, type PermissionInput } from '../permissions.js';
import { MemberState } from './members.js';
import type { AddGuildInput, StoredGuild, StoredMember } from './shapes.js';

/** Creating guilds (with @everyone, owner, "general" and the bot) and rendering them. */
export class GuildState extends MemberState {
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
}

function slug(name: string): string {
	const value = name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return value.length > 0 ? value.slice(0, 24) : 'guild';
}
