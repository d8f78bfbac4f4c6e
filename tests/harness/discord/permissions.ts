import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIOverwrite, APIRole } from 'discord-api-types/v10';

/** Every permission bit discord-api-types knows. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((acc, bit) => acc | bit, 0n);

/**
 * What Discord gives @everyone in a newly created guild (the "default" permission
 * set shown in the role editor).
 */
export const DEFAULT_EVERYONE_PERMISSIONS: bigint =
	PermissionFlagsBits.CreateInstantInvite |
	PermissionFlagsBits.AddReactions |
	PermissionFlagsBits.Stream |
	PermissionFlagsBits.ViewChannel |
	PermissionFlagsBits.SendMessages |
	PermissionFlagsBits.EmbedLinks |
	PermissionFlagsBits.AttachFiles |
	PermissionFlagsBits.ReadMessageHistory |
	PermissionFlagsBits.MentionEveryone |
	PermissionFlagsBits.UseExternalEmojis |
	PermissionFlagsBits.Connect |
	PermissionFlagsBits.Speak |
	PermissionFlagsBits.UseVAD |
	PermissionFlagsBits.ChangeNickname |
	PermissionFlagsBits.UseApplicationCommands |
	PermissionFlagsBits.RequestToSpeak |
	PermissionFlagsBits.CreatePublicThreads |
	PermissionFlagsBits.CreatePrivateThreads |
	PermissionFlagsBits.UseExternalStickers |
	PermissionFlagsBits.SendMessagesInThreads |
	PermissionFlagsBits.UseEmbeddedActivities |
	PermissionFlagsBits.SendVoiceMessages |
	PermissionFlagsBits.SendPolls |
	PermissionFlagsBits.UseExternalApps;

export type PermissionInput = bigint | string | number;

export function toPermissionBits(value: PermissionInput | undefined, fallback = 0n): bigint {
	if (value === undefined) return fallback;
	return BigInt(value);
}

export interface PermissionSubject {
	guildId: string;
	ownerId: string;
	/** All roles of the guild, by id (must contain @everyone, whose id is the guild id). */
	roles: ReadonlyMap<string, APIRole>;
	userId: string;
	/** The member's role ids (without @everyone). */
	memberRoleIds: readonly string[];
}

/** Guild-level permissions, as Discord computes them ("base permissions"). */
export function computeBasePermissions(subject: PermissionSubject): bigint {
	if (subject.userId === subject.ownerId) return ALL_PERMISSIONS;
	let permissions = BigInt(subject.roles.get(subject.guildId)?.permissions ?? '0');
	for (const roleId of subject.memberRoleIds) {
		const role = subject.roles.get(roleId);
		if (role) permissions |= BigInt(role.permissions);
	}
	if ((permissions & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
	return permissions;
}

/** Channel-level permissions: base permissions with the channel's overwrites applied. */
export function computeChannelPermissions(subject: PermissionSubject, overwrites: readonly APIOverwrite[]): bigint {
	const base = computeBasePermissions(subject);
	if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
	let permissions = base;
	const everyone = overwrites.find((o) => o.id === subject.guildId);
	if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
	let allow = 0n;
	let deny = 0n;
	for (const overwrite of overwrites) {
		if (overwrite.type === OverwriteType.Role && subject.memberRoleIds.includes(overwrite.id)) {
			allow |= BigInt(overwrite.allow);
			deny |= BigInt(overwrite.deny);
		}
	}
	permissions = (permissions & ~deny) | allow;
	const member = overwrites.find((o) => o.type === OverwriteType.Member && o.id === subject.userId);
	if (member) permissions = (permissions & ~BigInt(member.deny)) | BigInt(member.allow);
	// Without View Channel nothing else applies.
	if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return 0n;
	return permissions;
}
