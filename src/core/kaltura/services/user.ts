import kaltura from 'kaltura-client';
import { z } from 'zod';
import { kalturaRequest, listRequest, type KalturaList, type KalturaRequest, type Page } from './kaltura-request.js';

/**
 * A KalturaUser, the fields the bot reads: what user sync compares and writes, what /kaltura-profile shows, and
 * the flags identity linking checks. Kaltura leaves unset fields out of its JSON, so only the id is required.
 */
export const kalturaUserSchema = z.object({
	id: z.string(),
	screenName: z.string().optional(),
	firstName: z.string().optional(),
	lastName: z.string().optional(),
	partnerData: z.string().optional(),
	/** KalturaUserStatus: 0 blocked, 1 active, 2 deleted. */
	status: z.number().int().optional(),
	/** Unix seconds. */
	updatedAt: z.number().optional(),
	isAdmin: z.boolean().optional(),
	isAccountOwner: z.boolean().optional()
});
export type KalturaUser = z.output<typeof kalturaUserSchema>;

export type KalturaUserList = KalturaList<KalturaUser>;

/** The fields of a KalturaUser the bot writes. */
export interface KalturaUserFields {
	readonly screenName?: string;
	readonly firstName?: string;
	readonly lastName?: string;
	readonly partnerData?: string;
	readonly status?: number;
}

/**
 * The user service. Reading another user, listing, adding, updating and deleting users are admin actions
 * (kaltura/server deployment/permissions/service.user.ini), so these run with an admin scope.
 */
export const user = {
	get(id: string): KalturaRequest<KalturaUser> {
		return kalturaRequest(() => kaltura.services.user.get(id), kalturaUserSchema);
	},
	/** The users of these ids (KalturaUserFilter `idIn`, comma-separated). */
	listByIds(ids: readonly string[], page: Page): KalturaRequest<KalturaUserList> {
		return listRequest(kalturaUserSchema, page, (pager) =>
			kaltura.services.user.listAction(new kaltura.objects.UserFilter({ idIn: ids.join(',') }), pager)
		);
	},
	add(id: string, fields: KalturaUserFields): KalturaRequest<KalturaUser> {
		return kalturaRequest(() => kaltura.services.user.add(new kaltura.objects.User({ id, ...fields })), kalturaUserSchema);
	},
	/** Changes only the fields given. */
	update(id: string, patch: KalturaUserFields): KalturaRequest<KalturaUser> {
		return kalturaRequest(() => kaltura.services.user.update(id, new kaltura.objects.User({ ...patch })), kalturaUserSchema);
	},
	/** Kaltura answers the user as it was deleted. */
	delete(id: string): KalturaRequest<KalturaUser> {
		return kalturaRequest(() => kaltura.services.user.deleteAction(id), kalturaUserSchema);
	}
};
