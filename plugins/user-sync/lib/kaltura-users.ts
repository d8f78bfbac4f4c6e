import { container } from '@sapphire/framework';
import kaltura from 'kaltura-client';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import type { AdminScope } from '../../../src/core/kaltura/kaltura-facade.js';
import type { KalturaUserRecord, SyncedFields } from './kaltura-user-profile.js';

/**
 * The four user calls the plugin makes. Adding, updating and deleting users is admin-only on Kaltura
 * (ADMIN_USER_ADD/_UPDATE/_DELETE, kaltura/server deployment/permissions/service.user.ini), and a USER
 * session reads only its own user, so all of them go through ADMIN sessions limited to these actions.
 */
const SYNC_USERS_SCOPE: AdminScope = {
	actions: ['user.get', 'user.add', 'user.update', 'user.delete'],
	why: 'members’ Kaltura users are created, kept in sync and removed by the bot'
};

export function addKalturaUser(id: string, fields: SyncedFields): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, () => kaltura.services.user!.add!(new kaltura.objects.User!({ id, ...fields })));
}

export function getKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, () => kaltura.services.user!.get!(id));
}

export function updateKalturaUser(id: string, patch: Partial<SyncedFields>): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, () => kaltura.services.user!.update!(id, new kaltura.objects.User!({ ...patch })));
}

export function deleteKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, () => kaltura.services.user!.deleteAction!(id));
}

/** Kaltura answers `INVALID_USER_ID` for get/update/delete of a user it does not have (`USER_NOT_FOUND` on some paths). */
export function isUnknownUser(error: unknown): error is KalturaError {
	return error instanceof KalturaError && (error.code === 'INVALID_USER_ID' || error.code === 'USER_NOT_FOUND');
}
