/**
 * Entry entitlement: whether a session may see an entry, as kaltura/server decides it
 * (alpha/apps/kaltura/lib/kEntitlementUtils.php `initEntitlementEnforcement`, `isEntryEntitled`, `isMemberOfCategory`).
 *
 * Enforcement: the partner's default (Partner::getDefaultEntitlementEnforcement, for partners with FEATURE_ENTITLEMENT;
 * off here unless the partner's `defaultEntitlementEnforcement` says so), turned off by a `disableentitlement` privilege
 * and on by `enableentitlement`, which wins (checked second). A session without enforcement sees every entry.
 *
 * With enforcement, an entry is seen when:
 *  - the KS names it in `disableentitlementforentry` (`/`-separated ids, kSessionBase getDisableEntitlementForEntry);
 *  - the KS user owns it (entry kuserId, the `userId` of the API), or is among its `entitledUsersEdit`,
 *    `entitledUsersPublish` or `entitledUsersView` (entry::isEntitledKuserEdit / Publish / View). Kaltura compares kuser
 *    rows found by partner user id, a case-insensitive column, so the ids compare without case;
 *  - it belongs to no category (ACTIVE or PENDING category entries), for a KS without `privacycontext` or no KS at
 *    all: "entry that doesn't belong to any category is public";
 *  - one of its categories is in the session's privacy context (the KS's `privacycontext` values; without one the
 *    default context, which holds the categories with no `privacyContexts`, category::getSearchIndexPrivacyContexts)
 *    and its privacy is ALL (1), or AUTHENTICATED_USERS (2) for a session that is not anonymous (a widget KS or none).
 *    Kaltura also grants it to the category's members (categoryPeer::MEMBERS); the stand-in has no categoryUser
 *    service, so no session is a member of any category.
 *
 * Reads the filter leaves out answer as if the entry did not exist: entryPeer::filterSelectResults drops it, so
 * KalturaEntryService::getEntry (api_v3/services/KalturaEntryService.php) throws ENTRY_ID_NOT_FOUND, and lists leave
 * it out.
 *
 * `sview:<entryId>` is not an entitlement: KSecureEntryHelper::validateForPlay (alpha/apps/kaltura/lib/
 * KSecureEntryHelper.class.php) skips the moderation and scheduling checks for it, and kAuthenticatedCondition
 * (alpha/lib/model/data/kAuthenticatedCondition.php) lets it through an access control profile that requires a KS.
 */
import { isWidgetKs } from './auth.js';
import type { ParsedKs } from './ks.js';
import type { Obj } from './params.js';
import type { KalturaState } from './state.js';

/** KalturaPrivacyType ALL and AUTHENTICATED_USERS. */
const PRIVACY_ALL = 1;
const PRIVACY_AUTHENTICATED_USERS = 2;
/** KalturaCategoryEntryStatus PENDING and ACTIVE: the category entries entitlement counts. */
const COUNTED_CATEGORY_ENTRY_STATUSES = [1, 2];

/** The privilege's values, split on kSessionBase's PRIVILEGES_DELIMITER `/`. */
function privilegeValues(ks: ParsedKs | undefined, name: string): string[] {
	const value = ks?.privileges[name];
	return value === undefined || value === '' ? [] : value.split('/').map((part) => part.trim());
}

/** Whether entitlement is enforced for this session on this partner. */
export function entitlementEnforced(state: KalturaState, ks: ParsedKs | undefined, partnerId: number): boolean {
	let enforced = state.partner(partnerId)?.defaultEntitlementEnforcement ?? false;
	if (ks?.privileges.disableentitlement !== undefined) enforced = false;
	if (ks?.privileges.enableentitlement !== undefined) enforced = true;
	return enforced;
}

function names(list: unknown, user: string): boolean {
	return String(list ?? '')
		.split(',')
		.some((id) => id.trim().toLowerCase() === user);
}

/** Whether the session (none: an anonymous request) may see the entry. */
export function isEntryEntitled(state: KalturaState, ks: ParsedKs | undefined, entry: Obj): boolean {
	const partnerId = entry.partnerId as number;
	if (!entitlementEnforced(state, ks, partnerId)) return true;
	if (privilegeValues(ks, 'disableentitlementforentry').includes(String(entry.id))) return true;
	const user = (ks?.userId ?? '').toLowerCase();
	if (ks !== undefined && user !== '') {
		if (String(entry.userId ?? '').toLowerCase() === user) return true;
		if (['entitledUsersEdit', 'entitledUsersPublish', 'entitledUsersView'].some((field) => names(entry[field], user))) return true;
	}
	const contexts = privilegeValues(ks, 'privacycontext').flatMap((value) => value.split(','));
	const categories = state.categoryEntries
		.filter((ce) => ce.entryId === entry.id && COUNTED_CATEGORY_ENTRY_STATUSES.includes(ce.status as number))
		.map((ce) => state.getCategory(ce.categoryId as number))
		.filter((category): category is Obj => category !== undefined);
	if (categories.length === 0 && contexts.length === 0) return true;
	const anonymous = ks === undefined || isWidgetKs(ks);
	return categories.some((category) => {
		const own = String(category.privacyContexts ?? '')
			.split(',')
			.map((context) => context.trim())
			.filter((context) => context !== '');
		const inContext = contexts.length === 0 ? own.length === 0 : own.some((context) => contexts.includes(context));
		const privacy = Number(category.privacy ?? PRIVACY_ALL);
		return inContext && (privacy === PRIVACY_ALL || (privacy === PRIVACY_AUTHENTICATED_USERS && !anonymous));
	});
}
