/**
 * elasticsearch_esearch.searchEntry (kaltura/server plugins/search/providers/elastic_search/services/ESearchService.php;
 * operators and item types from its api/enums; not used by the bot, which lists with media.list): unified (free-text over name/description/tags/...) and field items,
 * nested operators (AND 1 / OR 2 / NOT 3), item types EXACT_MATCH 1, PARTIAL 2, STARTS_WITH 3, EXISTS 4, RANGE 5.
 */
import { apiError } from '../errors.js';
import { applyPager } from '../filters.js';
import { obj, reqObj, type Obj, type Params } from '../params.js';
import { clone } from '../serialize.js';
import type { CallContext, ServiceDef } from './types.js';

/** ESearchEntryFieldName → entry property */
const FIELD_MAP: Record<string, string> = {
	name: 'name',
	description: 'description',
	tags: 'tags',
	admin_tags: 'adminTags',
	id: 'id',
	reference_id: 'referenceId',
	kuser_id: 'userId',
	creator_kuser_id: 'creatorId',
	entry_type: 'type',
	media_type: 'mediaType',
	source_type: 'sourceType',
	created_at: 'createdAt',
	updated_at: 'updatedAt',
	start_date: 'startDate',
	end_date: 'endDate',
	parent_id: 'parentEntryId',
	root_id: 'rootEntryId',
	plays: 'plays',
	votes: 'votes',
	rank: 'rank',
	length_in_msecs: 'msDuration',
	template_entry_id: 'templateEntryId',
	recorded_entry_id: 'recordedEntryId',
	is_live: 'liveStatus',
	display_in_search: 'displayInSearch',
	moderation_status: 'moderationStatus',
	user_names: 'userId',
	entitled_kusers_edit: 'entitledUsersEdit',
	entitled_kusers_publish: 'entitledUsersPublish',
	entitled_kusers_view: 'entitledUsersView',
	conversion_profile_id: 'conversionProfileId',
	access_control_id: 'accessControlId',
	partner_sort_value: 'partnerSortValue',
	last_played_at: 'lastPlayedAt',
	redirect_entry_id: 'redirectEntryId'
};
/** what a KalturaESearchUnifiedItem looks into */
const UNIFIED_FIELDS = ['name', 'description', 'tags', 'adminTags', 'referenceId', 'id'];
const TEXT_FIELDS = new Set(['name', 'description', 'tags', 'adminTags']);

interface Hit {
	field: string;
	value: string;
}

function matchValue(value: unknown, field: string, item: Obj): boolean {
	const itemType = Number(item.itemType ?? 2);
	if (itemType === 4) return value !== undefined && value !== null && value !== '';
	if (itemType === 5) {
		const range = (item.range ?? {}) as Obj;
		const n = Number(value);
		if (!Number.isFinite(n)) return false;
		if (range.greaterThanOrEqual !== undefined && n < Number(range.greaterThanOrEqual)) return false;
		if (range.lessThanOrEqual !== undefined && n > Number(range.lessThanOrEqual)) return false;
		if (range.greaterThan !== undefined && n <= Number(range.greaterThan)) return false;
		if (range.lessThan !== undefined && n >= Number(range.lessThan)) return false;
		return true;
	}
	if (value === undefined || value === null) return false;
	const term = String(item.searchTerm ?? '').toLowerCase();
	const candidates =
		field === 'tags' || field === 'adminTags'
			? String(value)
					.split(',')
					.map((s) => s.trim().toLowerCase())
			: [String(value).toLowerCase()];
	switch (itemType) {
		case 1:
			return candidates.some((c) => c === term);
		case 3:
			return candidates.some((c) => c.startsWith(term));
		default: {
			// PARTIAL: every word of the term appears (analysed text fields); keyword fields need the whole term
			if (!TEXT_FIELDS.has(field)) return candidates.some((c) => c.includes(term));
			const words = term.split(/\s+/).filter(Boolean);
			return candidates.some((c) => words.every((w) => c.includes(w)));
		}
	}
}

function evalItem(entry: Obj, item: Obj, ctx: CallContext, hits: Hit[]): boolean {
	const type = String(item.objectType ?? '');
	if (type === 'KalturaESearchEntryOperator') {
		const items = Array.isArray(item.searchItems) ? (item.searchItems as Obj[]) : [];
		const op = Number(item.operator ?? 1);
		const results = items.map((i) => evalItem(entry, i, ctx, op === 3 ? [] : hits));
		if (op === 2) return results.some(Boolean);
		if (op === 3) return !results.some(Boolean);
		return results.every(Boolean);
	}
	if (type === 'KalturaESearchUnifiedItem') {
		let any = false;
		for (const f of UNIFIED_FIELDS) {
			if (matchValue(entry[f], f, item)) {
				any = true;
				hits.push({ field: f, value: String(entry[f]) });
			}
		}
		return any;
	}
	if (type === 'KalturaESearchEntryItem') {
		const prop = FIELD_MAP[String(item.fieldName ?? '')];
		if (!prop) throw apiError('INVALID_ENUM_VALUE', String(item.fieldName), 'fieldName', 'KalturaESearchEntryFieldName');
		const value = prop === 'liveStatus' ? (entry.liveStatus === 1 ? 'true' : 'false') : entry[prop];
		const ok = matchValue(value, prop, item);
		if (ok) hits.push({ field: prop, value: String(value) });
		return ok;
	}
	if (type === 'KalturaESearchCategoryEntryItem') {
		const field = String(item.fieldName ?? 'id');
		const cats = ctx.state.categoryEntries
			.filter((ce) => ce.entryId === entry.id && ce.status === 2)
			.map((ce) => ctx.state.getCategory(ce.categoryId as number))
			.filter((c): c is Obj => !!c);
		const values = cats.map((c) => (field === 'name' ? c.name : field === 'full_ids' ? c.fullIds : field === 'ancestor_id' ? c.fullIds : c.id));
		return values.some((v) =>
			field === 'ancestor_id' ? String(v).split('>').includes(String(item.searchTerm)) : matchValue(v, field === 'name' ? 'name' : 'id', item)
		);
	}
	ctx.warnings.push(`unsupported eSearch item ${type}`);
	return false;
}

function highlight(hits: Hit[]): Obj[] | undefined {
	if (!hits.length) return undefined;
	const byField = new Map<string, string[]>();
	for (const h of hits) {
		const list = byField.get(h.field) ?? [];
		if (!list.includes(h.value)) list.push(h.value);
		byField.set(h.field, list);
	}
	return [...byField.entries()].map(([fieldName, values]) => ({
		fieldName,
		hits: values.map((value) => ({ value, objectType: 'KalturaString' })),
		objectType: 'KalturaESearchHighlight'
	}));
}

export const esearchService: ServiceDef = {
	searchentry: {
		access: 'user',
		widget: true,
		handler(p: Params, ctx: CallContext) {
			const params = reqObj(p, 'searchParams');
			const operator = obj(params, 'searchOperator');
			if (!operator) throw apiError('MISSING_MANDATORY_PARAMETER', 'searchOperator');
			const statuses = String(params.objectStatuses ?? '2')
				.split(',')
				.map((s) => Number(s.trim()));
			const scored: Array<{ entry: Obj; hits: Hit[] }> = [];
			for (const entry of ctx.state.entries.values()) {
				if (entry.partnerId !== ctx.partnerId || !statuses.includes(entry.status as number)) continue;
				if (params.objectId && entry.id !== params.objectId) continue;
				if (entry.displayInSearch === -1) continue;
				const hits: Hit[] = [];
				if (evalItem(entry, operator, ctx, hits)) scored.push({ entry, hits });
			}
			const orderItems = ((params.orderBy as Obj | undefined)?.orderItems ?? []) as Obj[];
			if (orderItems.length) {
				scored.sort((a, b) => {
					for (const oi of orderItems) {
						const prop = FIELD_MAP[String(oi.sortField)] ?? String(oi.sortField);
						const dir = String(oi.sortOrder ?? 'desc') === 'asc' ? 1 : -1;
						const x = a.entry[prop];
						const y = b.entry[prop];
						const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
						if (c !== 0) return c * dir;
					}
					return 0;
				});
			} else {
				// relevance: more hits first, then newest
				scored.sort((a, b) => b.hits.length - a.hits.length || (b.entry.createdAt as number) - (a.entry.createdAt as number));
			}
			const { page, totalCount } = applyPager(scored, obj(p, 'pager'), { maxMatches: ctx.state.maxMatches });
			return {
				objects: page.map((s) => ({
					object: clone(s.entry),
					highlight: highlight(s.hits),
					itemsData: [],
					objectType: 'KalturaESearchEntryResult'
				})),
				totalCount,
				objectType: 'KalturaESearchEntryResponse'
			};
		}
	}
};
