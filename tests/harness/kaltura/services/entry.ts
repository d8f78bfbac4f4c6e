/** media, baseEntry, liveStream services over one entry table. */
import { isEntryEntitled } from '../entitlement.js';
import { apiError, invalidKs } from '../errors.js';
import { applyFilter, applyOrder, applyPager, type FilterSpec } from '../filters.js';
import { applyWritable, int, obj, reqObj, reqStr, requireObjectType, requireProps, type Obj, type Params } from '../params.js';
import { clone, listResponse } from '../serialize.js';
import { coerceNumeric, ENTRY_INT_FIELDS } from '../state.js';
import { isAdmin, ksUserId, type CallContext, type ServiceDef } from './types.js';

const ENTRY_READONLY = [
	'id',
	'partnerId',
	'createdAt',
	'updatedAt',
	'status',
	'moderationStatus',
	'moderationCount',
	'type',
	'rank',
	'totalRank',
	'votes',
	'plays',
	'views',
	'version',
	'thumbnailUrl',
	'downloadUrl',
	'dataUrl',
	'rootEntryId',
	'replacementStatus',
	'replacingEntryId',
	'replacedEntryId',
	'duration',
	'msDuration',
	'width',
	'height',
	'lastPlayedAt',
	'flavorParamsIds',
	'creatorId',
	'searchText',
	'liveStatus',
	'firstBroadcast',
	'lastBroadcast',
	'currentBroadcastStartTime',
	'streamName',
	'streamPassword',
	'primaryBroadcastingUrl',
	'secondaryBroadcastingUrl',
	'primarySecuredBroadcastingUrl',
	'recordedEntryId',
	'lastBroadcastEndTime',
	'recordingStatus',
	'broadcastTime'
];
const MEDIA_TYPES = ['KalturaMediaEntry'];
const LIVE_TYPES = ['KalturaLiveStreamEntry', 'KalturaLiveStreamAdminEntry'];
const BASE_TYPES = ['KalturaBaseEntry', 'KalturaMediaEntry', 'KalturaLiveStreamEntry', 'KalturaDataEntry', 'KalturaExternalMediaEntry'];

type EntryKind = 'media' | 'live' | 'any';

function kindMatches(e: Obj, kind: EntryKind): boolean {
	if (kind === 'media') return e.type === 1;
	if (kind === 'live') return e.type === 7;
	return true;
}

/**
 * The entry as the session may see it: one of another partner, of another kind, or one the session is not entitled to
 * (entitlement.ts) is not found, the same ENTRY_ID_NOT_FOUND whether it exists or not.
 */
export function getEntryOf(ctx: CallContext, id: string, kind: EntryKind): Obj {
	const e = ctx.state.getEntry(id);
	if (!e || e.partnerId !== ctx.partnerId || !kindMatches(e, kind) || !isEntryEntitled(ctx.state, ctx.ks, e))
		throw apiError('ENTRY_ID_NOT_FOUND', id);
	return e;
}

/** KalturaEntryService::checkIfUserAllowedToUpdateEntry: owner, entitled editor, `edit:<id>` / `edit:*`, or admin. */
function checkCanEdit(ctx: CallContext, e: Obj): void {
	if (isAdmin(ctx)) return;
	const user = ksUserId(ctx);
	if (
		user !== '' &&
		(e.userId === user ||
			String(e.entitledUsersEdit ?? '')
				.split(',')
				.includes(user))
	)
		return;
	const edit = ctx.ks?.privileges.edit;
	if (edit !== undefined && (edit === '*' || edit.split('/').includes(String(e.id)))) return;
	throw invalidKs.wrongType();
}

function searchText(e: Obj): string {
	return [e.id, e.name, e.description, e.tags, e.referenceId, e.adminTags].filter(Boolean).join(' ').toLowerCase();
}

export function entryFilterSpec(ctx: CallContext): FilterSpec<Obj> {
	const words = (v: unknown) =>
		String(v)
			.toLowerCase()
			.split(/[\s,]+/)
			.filter(Boolean);
	return {
		special: {
			freeText: (e, v) => {
				// "a|b" = any of the groups; words inside a group must all match
				return String(v)
					.split('|')
					.some((group) => words(group).every((w) => searchText(e).includes(w)));
			},
			searchTextMatchAnd: (e, v) => words(v).every((w) => searchText(e).includes(w)),
			searchTextMatchOr: (e, v) => words(v).some((w) => searchText(e).includes(w)),
			isRoot: (e, v) => (Number(v) === 1 ? e.rootEntryId === e.id : Number(v) === 0 ? e.rootEntryId !== e.id : true),
			isLive: (e, v) => (Number(v) === 1 ? e.liveStatus === 1 : Number(v) === 0 ? e.liveStatus !== 1 : true),
			isRecordedEntryIdEmpty: (e, v) => (Number(v) === 1 ? !e.recordedEntryId : Number(v) === 0 ? !!e.recordedEntryId : true),
			categoryAncestorIdIn: (e, v) => {
				const ids = String(v)
					.split(',')
					.map((s) => s.trim());
				return ctx.state.categoryEntries.some(
					(ce) =>
						ce.entryId === e.id &&
						ce.status === 2 &&
						String(ce.categoryFullIds)
							.split('>')
							.some((x) => ids.includes(x))
				);
			},
			categoriesFullNameIn: (e, v) => {
				const names = String(v)
					.split(',')
					.map((s) => s.trim());
				return String(e.categories ?? '')
					.split(',')
					.some((c) => names.includes(c));
			}
		},
		ignore: ['excludedFreeTextGroups', 'hasMediaServerHostname', 'redirectFromEntryId'],
		field: (e, f) => {
			switch (f) {
				case 'tagsName':
					return `${String(e.tags ?? '')} ${String(e.name ?? '')}`;
				case 'tagsAdminTags':
					return `${String(e.tags ?? '')} ${String(e.adminTags ?? '')}`;
				case 'tagsAdminTagsName':
					return `${String(e.tags ?? '')} ${String(e.adminTags ?? '')} ${String(e.name ?? '')}`;
				default:
					return undefined;
			}
		}
	};
}

/**
 * KalturaBaseEntryFilter::setDefaultStatus / setDefaultModerationStatus: without any status condition
 * only READY entries are listed; without a moderation condition PENDING_MODERATION (1) and REJECTED (3)
 * are left out.
 */
export function withEntryDefaults(filter: Obj | undefined): Obj {
	const f: Obj = { ...(filter ?? {}) };
	const unset = (k: string) => f[k] === undefined || f[k] === null || f[k] === '';
	if (['statusEqual', 'statusIn', 'statusNotEqual', 'statusNotIn'].every(unset)) f.statusEqual = 2;
	if (['moderationStatusEqual', 'moderationStatusIn', 'moderationStatusNotEqual', 'moderationStatusNotIn'].every(unset)) {
		f.moderationStatusNotIn = '1,3';
	}
	return f;
}

function listEntries(p: Params, ctx: CallContext, kind: EntryKind): { page: Obj[]; totalCount: number } {
	const filter = withEntryDefaults(obj(p, 'filter'));
	const all = [...ctx.state.entries.values()].filter(
		(e) => e.partnerId === ctx.partnerId && e.status !== 3 && kindMatches(e, kind) && isEntryEntitled(ctx.state, ctx.ks, e)
	);
	const filtered = applyFilter(all, filter, entryFilterSpec(ctx), ctx.warnings);
	const ordered = applyOrder(filtered, filter.orderBy, '-createdAt');
	return applyPager(ordered, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
}

function addEntry(ctx: CallContext, input: Obj, objectType: string, extra: Obj): Obj {
	const e: Obj = {};
	applyWritable(e, input, ENTRY_READONLY);
	coerceNumeric(e, ENTRY_INT_FIELDS);
	// a USER KS always owns what it creates; an ADMIN KS may set userId
	e.userId = isAdmin(ctx) ? (e.userId ?? ksUserId(ctx)) : ksUserId(ctx);
	e.creatorId = ksUserId(ctx) || e.userId;
	return ctx.state.addEntry({ ...e, ...extra, objectType }, ctx.partnerId);
}

function updateEntry(ctx: CallContext, id: string, input: Obj, kind: EntryKind): Obj {
	const e = getEntryOf(ctx, id, kind);
	checkCanEdit(ctx, e);
	const patch: Obj = {};
	applyWritable(patch, input, ENTRY_READONLY);
	if (!isAdmin(ctx)) delete patch.userId;
	return ctx.state.updateEntry(id, patch);
}

function deleteEntry(ctx: CallContext, id: string, kind: EntryKind): null {
	const e = getEntryOf(ctx, id, kind);
	checkCanEdit(ctx, e);
	ctx.state.deleteEntry(id);
	return null;
}

/** Simulated ingest: IMPORT/PRECONVERT now, READY after state.conversionDelayMs. */
function ingest(ctx: CallContext, id: string, firstStatus: number): Obj {
	const e = ctx.state.setEntryStatus(id, firstStatus);
	ctx.state.later(ctx.state.conversionDelayMs, () => {
		const cur = ctx.state.getEntry(id);
		if (cur && (cur.status === 0 || cur.status === 1)) {
			ctx.state.updateEntry(id, { status: 2, duration: (cur.duration as number) || 60 });
		}
	});
	return e;
}

export const mediaService: ServiceDef = {
	add: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'entry');
			const t = requireObjectType(input, MEDIA_TYPES);
			requireProps(input, t, ['mediaType']);
			return clone(addEntry(ctx, input, t, { status: 7 }));
		}
	},
	addcontent: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const id = reqStr(p, 'entryId');
			const e = getEntryOf(ctx, id, 'media');
			checkCanEdit(ctx, e);
			return clone(ingest(ctx, id, 1));
		}
	},
	addfromurl: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'mediaEntry');
			const t = requireObjectType(input, MEDIA_TYPES);
			requireProps(input, t, ['mediaType']);
			reqStr(p, 'url');
			const e = addEntry(ctx, input, t, { status: 7 });
			return clone(ingest(ctx, e.id as string, 0));
		}
	},
	get: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return clone(getEntryOf(ctx, reqStr(p, 'entryId'), 'media'));
		}
	},
	update: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(updateEntry(ctx, reqStr(p, 'entryId'), reqObj(p, 'mediaEntry'), 'media'));
		}
	},
	delete: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return deleteEntry(ctx, reqStr(p, 'entryId'), 'media');
		}
	},
	list: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const { page, totalCount } = listEntries(p, ctx, 'media');
			return listResponse('KalturaMediaListResponse', clone(page), totalCount);
		}
	},
	count: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return listEntries({ filter: p.filter, pager: { pageSize: 500, pageIndex: 1 } }, ctx, 'media').totalCount;
		}
	}
};

export const baseEntryService: ServiceDef = {
	add: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'entry');
			const t = requireObjectType(input, BASE_TYPES);
			const kind = LIVE_TYPES.includes(t) ? 'KalturaLiveStreamEntry' : t === 'KalturaBaseEntry' ? 'KalturaMediaEntry' : t;
			return clone(addEntry(ctx, input, kind, { status: 7 }));
		}
	},
	get: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return clone(getEntryOf(ctx, reqStr(p, 'entryId'), 'any'));
		}
	},
	getbyids: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const ids = reqStr(p, 'entryIds')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			return clone(
				ids
					.map((id) => ctx.state.getEntry(id))
					.filter((e): e is Obj => !!e && e.partnerId === ctx.partnerId && isEntryEntitled(ctx.state, ctx.ks, e))
			);
		}
	},
	update: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return clone(updateEntry(ctx, reqStr(p, 'entryId'), reqObj(p, 'baseEntry'), 'any'));
		}
	},
	delete: {
		access: 'user',
		handler(p: Params, ctx: CallContext) {
			return deleteEntry(ctx, reqStr(p, 'entryId'), 'any');
		}
	},
	list: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const { page, totalCount } = listEntries(p, ctx, 'any');
			return listResponse('KalturaBaseEntryListResponse', clone(page), totalCount);
		}
	},
	listbyreferenceid: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const refId = reqStr(p, 'refId');
			const { page, totalCount } = listEntries({ filter: { referenceIdEqual: refId }, pager: p.pager }, ctx, 'any');
			return listResponse('KalturaBaseEntryListResponse', clone(page), totalCount);
		}
	},
	count: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return listEntries({ filter: p.filter, pager: { pageSize: 500 } }, ctx, 'any').totalCount;
		}
	}
};

/** EntrySourceType LIVE_STREAM and LIVE_STREAM_ONTEXTDATA_CAPTIONS: the sources Kaltura itself ingests. */
const KALTURA_LIVE_SOURCES = [32, 42];
/** The ingest fields of a KalturaLiveStreamEntry: the stream's password is in each (`?t=`, `p=`). */
const INGEST_FIELDS = [
	'primaryBroadcastingUrl',
	'secondaryBroadcastingUrl',
	'primarySecuredBroadcastingUrl',
	'secondarySecuredBroadcastingUrl',
	'primaryRtspBroadcastingUrl',
	'secondaryRtspBroadcastingUrl',
	'primarySrtBroadcastingUrl',
	'primarySrtStreamId',
	'secondarySrtBroadcastingUrl',
	'secondarySrtStreamId',
	'srtPass'
];

/**
 * KalturaLiveStreamEntry::doFromObject (kaltura/server api_v3/lib/types/entry/KalturaLiveStreamEntry.php): the
 * broadcasting URLs, SRT stream ids and SRT password are nulled unless the session is an admin one, the entry's
 * owner, an entitled editor, or carries `edit:<entryId>`. `streamPassword` (`@requiresPermission all`) and
 * `streamUsername` (`@requiresPermission read`) are read only with CONTENT_MANAGE_BASE
 * (deployment/permissions/object.KalturaLiveStreamEntry.ini; the generated fromObject checks
 * kPermissionManager::getReadPermitted), an admin role's: left out for USER and widget sessions, the owner's too.
 */
function withoutIngestUnlessEditor(ctx: CallContext, e: Obj): Obj {
	const out = clone(e);
	if (isAdmin(ctx)) return out;
	delete out.streamPassword;
	delete out.streamUsername;
	const user = ksUserId(ctx);
	if (
		user !== '' &&
		(e.userId === user ||
			String(e.entitledUsersEdit ?? '')
				.split(',')
				.includes(user))
	)
		return out;
	const edit = ctx.ks?.privileges.edit;
	if (edit !== undefined && (edit === '*' || edit.split('/').includes(String(e.id)))) return out;
	for (const field of INGEST_FIELDS) delete out[field];
	return out;
}

export const liveStreamService: ServiceDef = {
	add: {
		access: 'admin',
		/**
		 * LiveStreamService::addAction (kaltura/server api_v3/services/LiveStreamService.php): the sourceType parameter
		 * wins over the entry's (the partner's default live source otherwise, LIVE_STREAM here); mediaType is mandatory
		 * (KalturaLiveStreamEntry::validateForInsert); the entry is READY at once for a source without a provision job
		 * (LIVE_STREAM); the password, broadcasting URLs and stream name are the server's (state.liveDefaults). Kaltura
		 * builds the URLs on read for any source (LiveStreamEntry getters → kBroadcastUrlManager), from an application
		 * named after the source type, which hosted configurations have only for LIVE_STREAM (`default`), else an
		 * empty URL; the stand-in leaves the ingest fields out for other sources (the bot creates LIVE_STREAM only).
		 */
		handler(p: Params, ctx: CallContext) {
			const input = reqObj(p, 'liveStreamEntry');
			const t = requireObjectType(input, LIVE_TYPES);
			requireProps(input, 'KalturaLiveStreamEntry', ['mediaType']);
			const sourceType = int(p, 'sourceType') ?? (input.sourceType !== undefined ? Number(input.sourceType) : 32);
			const e = addEntry(ctx, input, t === 'KalturaLiveStreamAdminEntry' ? 'KalturaLiveStreamEntry' : t, {
				status: 2,
				mediaType: Number(input.mediaType),
				sourceType
			});
			if (!KALTURA_LIVE_SOURCES.includes(sourceType)) for (const field of INGEST_FIELDS) delete e[field];
			return withoutIngestUnlessEditor(ctx, e);
		}
	},
	get: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			return withoutIngestUnlessEditor(ctx, getEntryOf(ctx, reqStr(p, 'entryId'), 'live'));
		}
	},
	update: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return clone(updateEntry(ctx, reqStr(p, 'entryId'), reqObj(p, 'liveStreamEntry'), 'live'));
		}
	},
	delete: {
		access: 'admin',
		handler(p: Params, ctx: CallContext) {
			return deleteEntry(ctx, reqStr(p, 'entryId'), 'live');
		}
	},
	list: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const { page, totalCount } = listEntries(p, ctx, 'live');
			return listResponse(
				'KalturaLiveStreamListResponse',
				page.map((e) => withoutIngestUnlessEditor(ctx, e)),
				totalCount
			);
		}
	},
	islive: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const id = reqStr(p, 'id');
			// protocol is mandatory on the server even though the client defaults it to null (then omits it)
			reqStr(p, 'protocol');
			const e = getEntryOf(ctx, id, 'live');
			return e.liveStatus === 1;
		}
	}
};

/** For the stand-in's categoryEntry service. */
export function assertEntry(ctx: CallContext, id: string): Obj {
	const e = ctx.state.getEntry(id);
	if (!e || e.partnerId !== ctx.partnerId) throw apiError('INVALID_ENTRY_ID', id);
	return e;
}
