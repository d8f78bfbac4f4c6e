import { container } from '@sapphire/framework';
import kaltura from 'kaltura-client';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import type { KalturaUserRecord, SyncedFields } from './kaltura-user-profile.js';

/**
 * The four user calls the plugin makes. Adding, updating and deleting users is admin-only on Kaltura,
 * so all of them go through the facade's ADMIN session, which carries no extra privileges.
 */

export function addKalturaUser(id: string, fields: SyncedFields): Promise<KalturaUserRecord> {
	return container.kaltura.admin('', () => kaltura.services.user!.add!(new kaltura.objects.User!({ id, ...fields })));
}

export function getKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin('', () => kaltura.services.user!.get!(id));
}

export function updateKalturaUser(id: string, patch: Partial<SyncedFields>): Promise<KalturaUserRecord> {
	return container.kaltura.admin('', () => kaltura.services.user!.update!(id, new kaltura.objects.User!({ ...patch })));
}

export function deleteKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin('', () => kaltura.services.user!.deleteAction!(id));
}

/** Kaltura answers `INVALID_USER_ID` for get/update/delete of a user it does not have (`USER_NOT_FOUND` on some paths). */
export function isUnknownUser(error: unknown): error is KalturaError {
	return error instanceof KalturaError && (error.code === 'INVALID_USER_ID' || error.code === 'USER_NOT_FOUND');
}
