import { container } from '@sapphire/framework';
import { type AdminScope, type BatchItemOutcome, KalturaError, kalturaServices } from '#sdk';
import type { KalturaUserRecord, SyncedFields } from './kaltura-user-profile.js';

/**
 * The five user calls the plugin makes. Listing, adding, updating and deleting users is admin-only on
 * Kaltura (ADMIN_USER_ADD/_UPDATE/_DELETE, and ADMIN_BASE for `list`: kaltura/server
 * deployment/permissions/service.user.ini), and a USER session reads only its own user, so all of them
 * go through ADMIN sessions limited to these actions.
 */
const SYNC_USERS_SCOPE: AdminScope = {
	actions: ['user.get', 'user.list', 'user.add', 'user.update', 'user.delete'],
	why: 'members’ Kaltura users are created, kept in sync and removed by the bot'
};

/**
 * Ids per `user.list`. The API caps an `In` filter at 500 values and a page at 500 objects
 * (baseObjectFilter::$maxInValues, KalturaFilterPager::calcPageSize), but user lists are answered by
 * Sphinx (SphinxSearchPlugin gives kuser a SphinxKuserCriteria), and SphinxCriterion keeps only the first
 * MAX_IN_VALUES = 150 values of an `In` on a text field such as `puser_id`, silently
 * (plugins/search/providers/sphinx_search/lib/SphinxCriterion.php getStringMatchClause). A longer list
 * would make the users past the 150th look missing.
 */
export const USER_LIST_IDS_PER_CALL = 150;

const { user } = kalturaServices;

/**
 * Whether `user.list` can look an id up by `idIn`: the filter is a comma-separated list, so an id with a
 * comma cannot be in it, and SphinxCriterion drops values of one character that are not numbers.
 */
export function isListableUserId(id: string): boolean {
	return !id.includes(',') && (id.length > 1 || /^\d$/.test(id));
}

/**
 * The Kaltura users of these ids that exist, by id in lower case (Kaltura finds ids without regard to
 * case). One `multirequest` of `user.list` calls, {@link USER_LIST_IDS_PER_CALL} ids each. Deleted users
 * are not listed (kuserPeer's default criteria exclude status DELETED), so they count as missing, and
 * `user.add` creates them anew (kuserPeer::addUser looks for an existing user through the same criteria).
 * Throws when any of the lists failed: the caller cannot tell missing users from unread ones then.
 */
export async function listKalturaUsers(ids: readonly string[]): Promise<Map<string, KalturaUserRecord>> {
	const chunks: string[][] = [];
	for (let start = 0; start < ids.length; start += USER_LIST_IDS_PER_CALL) chunks.push(ids.slice(start, start + USER_LIST_IDS_PER_CALL));
	const outcomes = await container.kaltura.adminBatch(SYNC_USERS_SCOPE, () =>
		chunks.map((chunk) => user.listByIds(chunk, { pageSize: chunk.length, pageIndex: 1 }))
	);
	const users = new Map<string, KalturaUserRecord>();
	for (const outcome of outcomes) {
		if (!outcome.ok) throw outcome.error;
		for (const found of outcome.value.objects) users.set(found.id.toLowerCase(), found);
	}
	return users;
}

/** One write of a batch: a user to create, or the fields to change on one. */
export type UserWrite =
	| { readonly kind: 'add'; readonly id: string; readonly fields: SyncedFields }
	| { readonly kind: 'update'; readonly id: string; readonly patch: Partial<SyncedFields> };

/** Sends writes as one `multirequest`; one outcome per write, in order (see KalturaFacade#adminBatch). */
export function writeKalturaUsers(writes: readonly UserWrite[]): Promise<BatchItemOutcome<KalturaUserRecord>[]> {
	return container.kaltura.adminBatch(SYNC_USERS_SCOPE, () =>
		writes.map((write) => (write.kind === 'add' ? user.add(write.id, write.fields) : user.update(write.id, write.patch)))
	);
}

export function addKalturaUser(id: string, fields: SyncedFields): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, user.add(id, fields));
}

export function getKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, user.get(id));
}

export function updateKalturaUser(id: string, patch: Partial<SyncedFields>): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, user.update(id, patch));
}

export function deleteKalturaUser(id: string): Promise<KalturaUserRecord> {
	return container.kaltura.admin(SYNC_USERS_SCOPE, user.delete(id));
}

/** Kaltura answers `INVALID_USER_ID` for get/update/delete of a user it does not have (`USER_NOT_FOUND` on some paths). */
export function isUnknownUser(error: unknown): error is KalturaError {
	return error instanceof KalturaError && (error.code === 'INVALID_USER_ID' || error.code === 'USER_NOT_FOUND');
}
