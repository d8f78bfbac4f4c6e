import { ComponentType, InteractionContextType, type InteractionType, Locale, PermissionFlagsBits } from 'discord-api-types/v10';
import type {
	APIApplicationCommand,
	APIAttachment,
	APIInteraction,
	APIInteractionDataResolved,
	APIInteractionDataResolvedChannel,
	APIInteractionDataResolvedGuildMember,
	APIInteractionGuildMember
} from 'discord-api-types/v10';
import { newInteractionToken, type InteractionHandle, type InteractionRecord } from '../interactions.js';
import type { ActorContext, ActorInput, AttachmentInput, ResolvedActor } from './inputs.js';

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
 * What every kind of interaction needs: who acts where, the common payload fields, permission checks,
 * resolved data, and registering plus dispatching the payload. Each kind adds a layer on top of this one.
 */
export class ActorBase {
	public constructor(protected readonly context: ActorContext) {}

	// ------------------------------------------------------------------------- building blocks

	protected dispatch(
		payload: APIInteraction,
		actor: ResolvedActor,
		sourceMessageId: string | null,
		trigger?: InteractionRecord
	): InteractionHandle {
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

	protected resolveActor(input: ActorInput & { channelId?: string | undefined }): ResolvedActor {
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

	protected base(type: InteractionType, actor: ResolvedActor): Record<string, unknown> {
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

	protected checkCommandPermissions(command: APIApplicationCommand | undefined, actor: ResolvedActor, bypass?: boolean): void {
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

	/** Adds users/members/roles/channels for `id` to `resolved`, as Discord does. */
	protected resolveMentionable(id: string, kind: number, actor: ResolvedActor, resolved: APIInteractionDataResolved): void {
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

	protected resolvedMember(guildId: string, userId: string, channelId: string): APIInteractionDataResolvedGuildMember {
		const { user: _user, deaf: _deaf, mute: _mute, ...member } = this.context.state.memberToAPI(guildId, userId);
		return {
			...member,
			joined_at: member.joined_at,
			permissions: this.context.state.channelPermissions(guildId, userId, channelId).toString()
		} as APIInteractionDataResolvedGuildMember;
	}

	protected resolvedChannel(channelId: string, actor: ResolvedActor): APIInteractionDataResolvedChannel {
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

	protected makeAttachment(input: AttachmentInput): APIAttachment {
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
