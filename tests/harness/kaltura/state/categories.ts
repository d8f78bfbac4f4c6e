import { apiError } from '../errors.js';
import type { Obj } from '../params.js';
import { KalturaStateCore } from './core.js';
import { EVENT_OBJECT_TYPE, EVENT_TYPE, stripUndefined } from './shapes.js';

/** Categories and the entries assigned to them (KalturaCategoryEntry), with the counts and fields that follow. */
export class KalturaCategoryState extends KalturaStateCore {
	// ---------------------------------------------------------------- categories
	getCategory(id: number): Obj | undefined {
		const c = this.categories.get(id);
		return c && c.status !== 3 ? c : undefined;
	}
	addCategory(input: Obj & { name: string }, partnerId = this.mainPartnerId): Obj {
		const parentId = Number(input.parentId ?? 0);
		const parent = parentId ? this.getCategory(parentId) : undefined;
		if (parentId && !parent) throw apiError('PARENT_CATEGORY_NOT_FOUND', parentId);
		const fullName = parent ? `${String(parent.fullName)}>${input.name}` : input.name;
		for (const c of this.categories.values()) {
			if (c.status !== 3 && c.partnerId === partnerId && c.fullName === fullName) throw apiError('DUPLICATE_CATEGORY', fullName);
		}
		const id = (input.id as number | undefined) ?? this.nextId('category');
		const now = this.now();
		const category: Obj = {
			parentId: 0,
			partnerId,
			entriesCount: 0,
			createdAt: now,
			updatedAt: now,
			appearInList: 1,
			privacy: 1,
			inheritanceType: 2,
			userJoinPolicy: 3,
			defaultPermissionLevel: 3,
			directEntriesCount: 0,
			contributionPolicy: 2,
			membersCount: 0,
			pendingMembersCount: 0,
			status: 2,
			partnerSortValue: 0,
			directSubCategoriesCount: 0,
			moderation: false,
			pendingEntriesCount: 0,
			isAggregationCategory: false,
			...stripUndefined(input),
			id,
			depth: parent ? (parent.depth as number) + 1 : 0,
			fullName,
			fullIds: parent ? `${String(parent.fullIds)}>${id}` : String(id),
			objectType: 'KalturaCategory'
		};
		this.categories.set(id, category);
		if (parent) parent.directSubCategoriesCount = (parent.directSubCategoriesCount as number) + 1;
		this.emit({
			eventType: EVENT_TYPE.OBJECT_CREATED,
			eventObjectType: EVENT_OBJECT_TYPE.CATEGORY,
			object: category,
			modifiedColumns: [],
			partnerId
		});
		return category;
	}
	/** Assign an entry to a category (KalturaCategoryEntry, status ACTIVE 2). */
	addCategoryEntry(entryId: string, categoryId: number, creatorUserId = ''): Obj {
		const entry = this.getEntry(entryId);
		if (!entry) throw apiError('INVALID_ENTRY_ID', entryId);
		const cat = this.getCategory(categoryId);
		if (!cat) throw apiError('CATEGORY_NOT_FOUND', categoryId);
		if (this.categoryEntries.some((ce) => ce.entryId === entryId && ce.categoryId === categoryId && ce.status === 2)) {
			throw apiError('CATEGORY_ENTRY_ALREADY_EXISTS');
		}
		const ce: Obj = {
			categoryId,
			entryId,
			createdAt: this.now(),
			categoryFullIds: cat.fullIds,
			status: 2,
			creatorUserId,
			objectType: 'KalturaCategoryEntry'
		};
		this.categoryEntries.push(ce);
		this.refreshEntryCategoryFields(entry);
		this.refreshCategoryCounts();
		this.emit({
			eventType: EVENT_TYPE.OBJECT_CREATED,
			eventObjectType: EVENT_OBJECT_TYPE.CATEGORYENTRY,
			object: ce,
			modifiedColumns: [],
			partnerId: entry.partnerId as number
		});
		return ce;
	}
	removeCategoryEntry(entryId: string, categoryId: number): void {
		const ce = this.categoryEntries.find((x) => x.entryId === entryId && x.categoryId === categoryId && x.status === 2);
		if (!ce) throw apiError('ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY');
		ce.status = 3;
		const entry = this.getEntry(entryId);
		if (entry) this.refreshEntryCategoryFields(entry);
		this.refreshCategoryCounts();
	}
	protected syncEntryCategories(entry: Obj, categoriesIds: string): void {
		const wanted = new Set(
			categoriesIds
				.split(',')
				.map((s) => Number(s.trim()))
				.filter((n) => n > 0 && this.getCategory(n))
		);
		for (const ce of this.categoryEntries) {
			if (ce.entryId === entry.id && ce.status === 2 && !wanted.has(ce.categoryId as number)) ce.status = 3;
		}
		for (const cid of wanted) {
			if (!this.categoryEntries.some((ce) => ce.entryId === entry.id && ce.categoryId === cid && ce.status === 2)) {
				const cat = this.getCategory(cid);
				this.categoryEntries.push({
					categoryId: cid,
					entryId: entry.id,
					createdAt: this.now(),
					categoryFullIds: cat?.fullIds,
					status: 2,
					creatorUserId: entry.userId,
					objectType: 'KalturaCategoryEntry'
				});
			}
		}
		this.refreshEntryCategoryFields(entry);
		this.refreshCategoryCounts();
	}
	private refreshEntryCategoryFields(entry: Obj): void {
		const cats = this.categoryEntries
			.filter((ce) => ce.entryId === entry.id && ce.status === 2)
			.map((ce) => this.getCategory(ce.categoryId as number))
			.filter((c): c is Obj => !!c);
		entry.categoriesIds = cats.map((c) => c.id).join(',');
		entry.categories = cats.map((c) => c.fullName).join(',');
	}
	private refreshCategoryCounts(): void {
		for (const cat of this.categories.values()) {
			const direct = this.categoryEntries.filter((ce) => ce.categoryId === cat.id && ce.status === 2).length;
			cat.directEntriesCount = direct;
			const prefix = String(cat.fullIds);
			cat.entriesCount = new Set(
				this.categoryEntries
					.filter((ce) => ce.status === 2 && (String(ce.categoryFullIds) === prefix || String(ce.categoryFullIds).startsWith(prefix + '>')))
					.map((ce) => ce.entryId)
			).size;
		}
	}
}
