import type { APIGuildMember, APIRole, RoleFlags } from 'discord-api-types/v10';
import { computeBasePermissions, computeChannelPermissions, toPermissionBits, type PermissionSubject } from '../permissions.js';
import { ChannelState } from './channels.js';
import type { AddMemberInput, AddRoleInput, StoredMember, UpdateMemberInput } from './shapes.js';
import { compareIds } from './store.js';

/** Roles, members and the permissions they add up to. */
export class MemberState extends ChannelState {
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
}
