/**
 * In-memory Kaltura partner state plus seed helpers for tests. Objects are stored in wire shape
 * (plain JSON with `objectType`), so services can return clones of them directly.
 */
import { randomBytes } from 'node:crypto';
import { apiError } from './errors.js';
import type { Obj } from './params.js';
import { clone } from './serialize.js';
import { stockTemplates } from './templates.js';

/** EventNotificationEventType */
export const EVENT_TYPE = { OBJECT_ADDED: 2, OBJECT_CHANGED: 3, OBJECT_CREATED: 5, OBJECT_DATA_CHANGED: 6, OBJECT_DELETED: 7 } as const;
/** EventNotificationEventObjectType (core numbers, plugin strings) */
export const EVENT_OBJECT_TYPE = {
	ENTRY: 1,
	CATEGORY: 2,
	KUSER: 8,
	CATEGORYENTRY: 37,
	SCHEDULE_EVENT: 'scheduleEventNotifications.ScheduleEvent',
	SCHEDULE_RESOURCE: 'scheduleEventNotifications.ScheduleResource'
} as const;

export interface DomainEvent {
	eventType: number;
	eventObjectType: number | string;
	/** the API object (wire shape) after the change */
	object: Obj;
	/** columns changed (for OBJECT_CHANGED), e.g. ['status'] or ['liveStatus'] */
	modifiedColumns: string[];
	partnerId: number;
}

export interface PartnerConfig {
	id: number;
	adminSecret: string;
	userSecret: string;
	name?: string;
	/** max KS lifetime in seconds (session.start expiry is capped to it) */
	maxKsExpiry?: number;
}

export interface RoleDef {
	id: number;
	systemName: string;
	name?: string;
	/** 'ADMIN' = everything; otherwise "service.action" patterns ("media.*", "*.list") */
	permissions: 'ADMIN' | string[];
}

/** Entry fields that are ints on the wire (coerced from numeric strings on input). */
export const ENTRY_INT_FIELDS = [
	'status',
	'type',
	'mediaType',
	'sourceType',
	'moderationStatus',
	'duration',
	'msDuration',
	'plays',
	'views',
	'width',
	'height',
	'startDate',
	'endDate',
	'accessControlId',
	'conversionProfileId',
	'licenseType',
	'displayInSearch',
	'recordStatus',
	'dvrStatus',
	'dvrWindow',
	'viewMode',
	'liveStatus',
	'recordingStatus',
	'segmentDuration',
	'explicitLive',
	'durationType',
	'mediaDate',
	'partnerSortValue',
	'lastPlayedAt',
	'searchProviderType'
] as const;

export class KalturaState {
	readonly partners = new Map<number, PartnerConfig>();
	readonly users = new Map<string, Obj>(); // key `${pid}|${id}`
	readonly entries = new Map<string, Obj>();
	readonly categories = new Map<number, Obj>();
	readonly categoryEntries: Obj[] = [];
	readonly scheduleResources = new Map<number, Obj>();
	readonly scheduleEvents = new Map<number, Obj>();
	readonly eventResources: Obj[] = [];
	readonly appTokens = new Map<string, Obj>();
	readonly templates = new Map<number, Obj>();
	/** stand-in-only dispatch condition per template id (copied on clone) */
	readonly templateConditions = new Map<number, TemplateCondition>();
	readonly virtualEvents = new Map<number, Obj>();
	readonly roles = new Map<string, RoleDef>(); // by id and by systemName
	/** KS strings ended by session.end (refused until they expire anyway) */
	readonly endedKs = new Set<string>();
	/**
	 * Session ids ended by session.end or appToken.delete, keyed `partnerId_sessionId` (kaltura/server
	 * kSessionBase::buildSessionIdHash hashes that same string), with the unix time the refusal lasts until:
	 * session.end refuses every KS with that `sessionid` for 24 hours (alpha/lib/model/invalidSessionPeer.php
	 * invalidateKs), appToken.delete until the token's expiry (api_v3/services/AppTokenService.php deleteAction).
	 */
	readonly endedSessionIds = new Map<string, number>();
	/** actionslimit bookkeeping: KS → calls made */
	readonly ksUsage = new Map<string, number>();
	/** list results may not go beyond this many matches (QUERY_EXCEEDED_MAX_MATCHES_ALLOWED) */
	maxMatches = 10000;
	/** base used for thumbnailUrl / dataUrl / downloadUrl */
	cdnHost = 'https://cfvod.kaltura.com';

	/** set by the stand-in: eventNotificationTemplate.dispatch sends through it and returns the job id */
	manualDispatch?: (template: Obj, data: Obj | undefined) => number;
	/** The partner has a live recording feature: new live entries record (APPENDED) unless asked otherwise (liveDefaults). */
	liveRecordingAllowed = true;
	/**
	 * The partner's broadcast configuration has an SRT domain (`srt_domain`). Without one Kaltura still answers SRT
	 * fields, but the URL has no host (`srt://:7045`) while the stream ids stay (liveDefaults).
	 */
	srtIngest = true;
	/** media.addContent / addFromUrl: ms until the entry turns READY (status 2) */
	conversionDelayMs = 20;

	private readonly timers = new Set<NodeJS.Timeout>();
	private clockOffsetMs = 0;
	private counters = { category: 100, resource: 5000, event: 30000, template: 9000, virtualEvent: 700, role: 40 };
	private listeners: Array<(e: DomainEvent) => void> = [];

	constructor(readonly mainPartnerId: number) {
		for (const t of stockTemplates()) {
			this.templates.set(t.template.id as number, t.template);
			if (t.condition) this.templateConditions.set(t.template.id as number, t.condition);
		}
	}

	// ---------------------------------------------------------------- clock / ids / events
	/** unix seconds, honouring advanceClock */
	now(): number {
		return Math.floor((Date.now() + this.clockOffsetMs) / 1000);
	}
	/** move the stand-in's clock (KS expiry, app-token expiry, schedule windows) */
	advanceClock(seconds: number): void {
		this.clockOffsetMs += seconds * 1000;
	}
	nextId(kind: keyof KalturaState['counters']): number {
		this.counters[kind] += 1;
		return this.counters[kind];
	}
	randomEntryId(): string {
		const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
		let id: string;
		do {
			const bytes = randomBytes(8);
			id = '0_' + [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
		} while (this.entries.has(id) || this.appTokens.has(id));
		return id;
	}
	/** run later (cancelled by clearTimers / server stop) */
	later(ms: number, fn: () => void): void {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		this.timers.add(t);
	}
	clearTimers(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
	}
	onDomainEvent(listener: (e: DomainEvent) => void): () => void {
		this.listeners.push(listener);
		return () => {
			this.listeners = this.listeners.filter((l) => l !== listener);
		};
	}
	emit(e: Omit<DomainEvent, 'partnerId'> & { partnerId?: number }): void {
		const event: DomainEvent = { ...e, object: clone(e.object), partnerId: e.partnerId ?? this.mainPartnerId };
		for (const l of this.listeners) {
			try {
				l(event);
			} catch {
				/* listeners must not break API calls */
			}
		}
	}

	// ---------------------------------------------------------------- partners & roles
	addPartner(p: PartnerConfig): void {
		this.partners.set(p.id, p);
	}
	partner(id: number): PartnerConfig | undefined {
		return this.partners.get(id);
	}
	/** Register a user role usable with a `setrole:<id or systemName>` KS privilege. */
	addRole(role: Omit<RoleDef, 'id'> & { id?: number }): RoleDef {
		const def: RoleDef = { ...role, id: role.id ?? this.nextId('role') };
		this.roles.set(String(def.id), def);
		this.roles.set(def.systemName, def);
		return def;
	}

	// ---------------------------------------------------------------- users
	/**
	 * Users are found by id without regard to case, as on Kaltura: kuserPeer::getKuserByPartnerAndUid
	 * (kaltura/server alpha/lib/model/kuserPeer.php) compares `puser_id` in SQL, and the kuser table
	 * (deployment/base/sql/01.kaltura_ce_tables.sql) is `DEFAULT CHARSET=utf8` with MySQL's default,
	 * case-insensitive utf8_general_ci collation. The user keeps its id as it was added.
	 */
	userKey(id: string, partnerId = this.mainPartnerId): string {
		return `${partnerId}|${id.toLowerCase()}`;
	}
	getUser(id: string, partnerId = this.mainPartnerId): Obj | undefined {
		const u = this.users.get(this.userKey(id, partnerId));
		return u && u.status !== 2 ? u : undefined;
	}
	/** Seed a user (no validation besides duplicates). */
	addUser(input: Obj & { id: string }, partnerId = this.mainPartnerId): Obj {
		if (this.getUser(input.id, partnerId)) throw apiError('DUPLICATE_USER_BY_ID', input.id);
		const now = this.now();
		const firstName = input.firstName as string | undefined;
		const lastName = input.lastName as string | undefined;
		const user: Obj = {
			id: input.id,
			partnerId,
			screenName: input.id,
			fullName: [firstName, lastName].filter(Boolean).join(' ') || undefined,
			status: 1,
			type: 0,
			isAdmin: false,
			isGuest: false,
			loginEnabled: false,
			isAccountOwner: false,
			storageSize: 0,
			createdAt: now,
			updatedAt: now,
			statusUpdatedAt: now,
			...stripUndefined(input),
			objectType: 'KalturaUser'
		};
		delete user.password;
		fitPartnerData(user);
		this.users.set(this.userKey(input.id, partnerId), user);
		this.emit({ eventType: EVENT_TYPE.OBJECT_CREATED, eventObjectType: EVENT_OBJECT_TYPE.KUSER, object: user, modifiedColumns: [], partnerId });
		this.emit({ eventType: EVENT_TYPE.OBJECT_ADDED, eventObjectType: EVENT_OBJECT_TYPE.KUSER, object: user, modifiedColumns: [], partnerId });
		return user;
	}
	/** Entry add/update creates the owner kuser implicitly (kuserPeer::createKuserForPartner). */
	ensureUser(id: string | undefined, partnerId = this.mainPartnerId): void {
		if (!id || this.getUser(id, partnerId)) return;
		this.addUser({ id }, partnerId);
	}

	// ---------------------------------------------------------------- entries
	getEntry(id: string): Obj | undefined {
		const e = this.entries.get(id);
		return e && e.status !== 3 ? e : undefined;
	}
	/** Seed a media entry (default READY). `objectType` may be KalturaMediaEntry / KalturaLiveStreamEntry / ... */
	addEntry(input: Obj = {}, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as string | undefined) ?? this.randomEntryId();
		const now = this.now();
		const objectType = (input.objectType as string | undefined) ?? 'KalturaMediaEntry';
		const isLive = objectType === 'KalturaLiveStreamEntry';
		const base: Obj = {
			id,
			partnerId,
			name: '',
			userId: '',
			creatorId: input.userId ?? '',
			tags: '',
			categories: '',
			categoriesIds: '',
			status: 2,
			moderationStatus: 6,
			moderationCount: 0,
			type: isLive ? 7 : 1,
			createdAt: now,
			updatedAt: now,
			rank: 0,
			totalRank: 0,
			votes: 0,
			licenseType: -1,
			version: 0,
			accessControlId: 1,
			replacementStatus: 0,
			partnerSortValue: 0,
			conversionProfileId: 1,
			rootEntryId: id,
			operationAttributes: [],
			entitledUsersEdit: '',
			entitledUsersPublish: '',
			entitledUsersView: '',
			capabilities: '',
			displayInSearch: 1,
			plays: 0,
			views: 0,
			width: 0,
			height: 0,
			duration: 0,
			msDuration: 0,
			mediaType: isLive ? 201 : 1,
			sourceType: isLive ? 32 : 1,
			flavorParamsIds: '',
			thumbnailUrl: `${this.cdnHost}/p/${partnerId}/sp/${partnerId}00/thumbnail/entry_id/${id}/version/100000`,
			dataUrl: `${this.cdnHost}/p/${partnerId}/sp/${partnerId}00/playManifest/entryId/${id}/format/url/protocol/https`,
			downloadUrl: `${this.cdnHost}/p/${partnerId}/sp/${partnerId}00/playManifest/entryId/${id}/format/download/protocol/https`
		};
		if (isLive) Object.assign(base, this.liveDefaults(id, partnerId));
		const entry: Obj = { ...base, ...stripUndefined(input), id, partnerId, objectType };
		coerceNumeric(entry, ENTRY_INT_FIELDS);
		if (!entry.creatorId) entry.creatorId = entry.userId;
		if (typeof entry.msDuration !== 'number' || entry.msDuration === 0) entry.msDuration = (entry.duration as number) * 1000;
		this.entries.set(id, entry);
		this.ensureUser(entry.userId as string, partnerId);
		this.syncEntryCategories(entry, String(input.categoriesIds ?? ''));
		this.emit({ eventType: EVENT_TYPE.OBJECT_CREATED, eventObjectType: EVENT_OBJECT_TYPE.ENTRY, object: entry, modifiedColumns: [], partnerId });
		// an insert is not a change: templates on OBJECT_CHANGED fire only on later updates (setEntryStatus & co.)
		this.emit({ eventType: EVENT_TYPE.OBJECT_ADDED, eventObjectType: EVENT_OBJECT_TYPE.ENTRY, object: entry, modifiedColumns: [], partnerId });
		return entry;
	}
	/** Seed a live stream entry (KalturaLiveStreamEntry, type 7, liveStatus 0). */
	addLiveStream(input: Obj = {}, partnerId = this.mainPartnerId): Obj {
		return this.addEntry({ ...input, objectType: 'KalturaLiveStreamEntry' }, partnerId);
	}
	/**
	 * What Kaltura answers for a new live stream entry of source type LIVE_STREAM (kaltura/server, read at c447fdb):
	 * - streamPassword: 8 hex characters when none is given (api_v3/lib/types/entry/KalturaLiveStreamEntry.php
	 *   toInsertableObject → alpha/lib/model/LiveStreamEntry.php generateStreamPassword);
	 * - the broadcasting URLs are not stored: LiveStreamEntry's getters (getDynamicBroadcastUrl, getSrtStreamId) build
	 *   them on every read through alpha/apps/kaltura/lib/live/kBroadcastUrlManager.php from the partner's broadcast
	 *   configuration: RTMP `rtmp://<domain>:1935/<application>?t=<password>`, RTMPS the same domain on port 443, for
	 *   the primary and the backup (`{primary}` → `b`, another data centre) entry points (getHostname, getBroadcastUrl,
	 *   getQueryParams); SRT `srt://<srt_domain>:7045` with no application or query. The SRT stream id
	 *   `#:::e=<entryId>,st=<0 primary|1 backup>,p=<password>` (createSrtStreamId) is there whatever the configuration;
	 *   with no `srt_domain` the SRT URL is the bare `srt://:7045` (getHostname concatenates the missing domain, `srtIngest`
	 *   false here), which a reader has to treat as no SRT;
	 * - streamName: LiveEntry::getStreamName gives `%i` (DEFAULT_STREAM_NAME) unless the partner's broadcast
	 *   configuration has a `stream_name_template`; the stand-in models the hosted one, `{entryId}_%i`;
	 * - recordStatus, when the request leaves it out, is APPENDED (1) for partners with FEATURE_LIVE_STREAM_RECORD or
	 *   _KALTURA_RECORDING and DISABLED (0) otherwise (api_v3/lib/types/entry/KalturaLiveEntry.php toInsertableObject;
	 *   `liveRecordingAllowed` here).
	 */
	liveDefaults(id: string, partnerId: number): Obj {
		const token = randomBytes(4).toString('hex');
		const srt = {
			primarySrtBroadcastingUrl: this.srtIngest ? `srt://${partnerId}.entrypoint.kaltura.com:7045` : 'srt://:7045',
			primarySrtStreamId: `#:::e=${id},st=0,p=${token}`,
			secondarySrtBroadcastingUrl: this.srtIngest ? `srt://${partnerId}.bentrypoint.kaltura.com:7045` : 'srt://:7045',
			secondarySrtStreamId: `#:::e=${id},st=1,p=${token}`
		};
		return {
			streamName: `${id}_%i`,
			primaryBroadcastingUrl: `rtmp://${partnerId}.entrypoint.kaltura.com:1935/kLive?t=${token}`,
			secondaryBroadcastingUrl: `rtmp://${partnerId}.bentrypoint.kaltura.com:1935/kLive?t=${token}`,
			primarySecuredBroadcastingUrl: `rtmps://${partnerId}.entrypoint.kaltura.com:443/kLive?t=${token}`,
			secondarySecuredBroadcastingUrl: `rtmps://${partnerId}.bentrypoint.kaltura.com:443/kLive?t=${token}`,
			...srt,
			streamPassword: token,
			recordStatus: this.liveRecordingAllowed ? 1 : 0,
			dvrStatus: 0,
			dvrWindow: 120,
			liveStatus: 0,
			viewMode: 1,
			explicitLive: 0,
			recordingStatus: 0,
			segmentDuration: 6000,
			pushPublishEnabled: 0,
			bitrates: [],
			liveStreamConfigurations: [],
			publishConfigurations: []
		};
	}
	/** Change fields of an entry and emit OBJECT_CHANGED with the modified columns. */
	updateEntry(id: string, changes: Obj): Obj {
		const entry = this.getEntry(id);
		if (!entry) throw apiError('ENTRY_ID_NOT_FOUND', id);
		const modified: string[] = [];
		const patch = { ...changes };
		coerceNumeric(patch, ENTRY_INT_FIELDS);
		for (const [k, v] of Object.entries(patch)) {
			if (v === undefined || k === 'objectType' || k === 'id') continue;
			if (JSON.stringify(entry[k]) !== JSON.stringify(v)) modified.push(k);
			entry[k] = v;
		}
		if ('categoriesIds' in changes) this.syncEntryCategories(entry, String(changes.categoriesIds ?? ''));
		if (modified.length) {
			entry.updatedAt = this.now();
			if ('duration' in patch) entry.msDuration = (entry.duration as number) * 1000;
			if (entry.userId) this.ensureUser(entry.userId as string, entry.partnerId as number);
			this.emit({
				eventType: EVENT_TYPE.OBJECT_CHANGED,
				eventObjectType: EVENT_OBJECT_TYPE.ENTRY,
				object: entry,
				modifiedColumns: modified,
				partnerId: entry.partnerId as number
			});
		}
		return entry;
	}
	/** EntryStatus: -2 ERROR_IMPORTING, -1 ERROR_CONVERTING, 0 IMPORT, 1 PRECONVERT, 2 READY, 4 PENDING, 7 NO_CONTENT ... */
	setEntryStatus(id: string, status: number): Obj {
		return this.updateEntry(id, { status });
	}
	/** EntryServerNodeStatus: 0 STOPPED, 1 PLAYABLE, 2 BROADCASTING, 3 AUTHENTICATED */
	setLiveStatus(id: string, liveStatus: number): Obj {
		const entry = this.getEntry(id);
		if (!entry || entry.type !== 7) throw apiError('ENTRY_ID_NOT_FOUND', id);
		const now = this.now();
		const changes: Obj = { liveStatus };
		if (liveStatus === 1 || liveStatus === 2) {
			if (!entry.firstBroadcast) changes.firstBroadcast = now;
			changes.lastBroadcast = now;
			if (!entry.currentBroadcastStartTime) changes.currentBroadcastStartTime = now;
		} else if (liveStatus === 0) {
			changes.currentBroadcastStartTime = 0;
			changes.lastBroadcastEndTime = now;
		}
		return this.updateEntry(id, changes);
	}
	deleteEntry(id: string): void {
		const entry = this.getEntry(id);
		if (!entry) throw apiError('ENTRY_ID_NOT_FOUND', id);
		entry.status = 3;
		entry.updatedAt = this.now();
		for (const ce of this.categoryEntries) if (ce.entryId === id) ce.status = 3;
		this.emit({
			eventType: EVENT_TYPE.OBJECT_DELETED,
			eventObjectType: EVENT_OBJECT_TYPE.ENTRY,
			object: entry,
			modifiedColumns: [],
			partnerId: entry.partnerId as number
		});
	}

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
	private syncEntryCategories(entry: Obj, categoriesIds: string): void {
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

	// ---------------------------------------------------------------- schedule
	getScheduleResource(id: number): Obj | undefined {
		const r = this.scheduleResources.get(id);
		return r && r.status !== 3 ? r : undefined;
	}
	getScheduleEvent(id: number): Obj | undefined {
		const e = this.scheduleEvents.get(id);
		return e && e.status !== 3 ? e : undefined;
	}
	/** Seed a schedule resource (default KalturaLocationScheduleResource, ACTIVE). */
	addScheduleResource(input: Obj & { name: string }, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('resource');
		const now = this.now();
		const r: Obj = {
			partnerId,
			status: 2,
			createdAt: now,
			updatedAt: now,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaLocationScheduleResource'
		};
		this.scheduleResources.set(id, r);
		return r;
	}
	/** Seed a schedule event (default KalturaRecordScheduleEvent, ACTIVE, recurrenceType NONE). */
	addScheduleEvent(input: Obj & { summary: string; startDate: number; endDate: number }, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('event');
		const now = this.now();
		const e: Obj = {
			partnerId,
			status: 2,
			recurrenceType: 0,
			sequence: 1,
			createdAt: now,
			updatedAt: now,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaRecordScheduleEvent'
		};
		e.duration = (e.endDate as number) - (e.startDate as number);
		this.scheduleEvents.set(id, e);
		this.emit({
			eventType: EVENT_TYPE.OBJECT_CREATED,
			eventObjectType: EVENT_OBJECT_TYPE.SCHEDULE_EVENT,
			object: e,
			modifiedColumns: [],
			partnerId
		});
		return e;
	}
	/**
	 * Link an event to a resource, checked as KalturaScheduleEventResource::validateForInsert does (kaltura/server
	 * plugins/schedule/base/lib/api/KalturaScheduleEventResource.php): the duplicate first, then the event, then the
	 * resource (0 allowed). `asked` is the ids to name in errors when the caller masked another partner's as -1.
	 */
	linkEventResource(eventId: number, resourceId: number, partnerId = this.mainPartnerId, asked = { eventId, resourceId }): Obj {
		if (this.eventResources.some((l) => l.eventId === asked.eventId && l.resourceId === asked.resourceId && l.partnerId === partnerId)) {
			throw apiError('SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS', asked.eventId, asked.resourceId);
		}
		if (!this.getScheduleEvent(eventId)) throw apiError('SCHEDULE_EVENT_ID_NOT_FOUND', asked.eventId);
		if (resourceId !== 0 && !this.getScheduleResource(resourceId)) throw apiError('SCHEDULE_RESOURCE_ID_NOT_FOUND', asked.resourceId);
		const now = this.now();
		const link: Obj = { eventId, resourceId, partnerId, createdAt: now, updatedAt: now, objectType: 'KalturaScheduleEventResource' };
		this.eventResources.push(link);
		return link;
	}

	/** Refuse every KS of this partner carrying `sessionid:<sessionId>` until `until` (unix seconds). */
	endSessionId(partnerId: number, sessionId: string, until: number): void {
		this.endedSessionIds.set(`${partnerId}_${sessionId}`, until);
	}
	/** Whether a KS of this partner with `sessionid:<sessionId>` is refused now (LOGOUT). */
	isSessionIdEnded(partnerId: number, sessionId: string): boolean {
		const until = this.endedSessionIds.get(`${partnerId}_${sessionId}`);
		return until !== undefined && until > this.now();
	}

	// ---------------------------------------------------------------- app tokens
	/** Seed an app token (status ACTIVE, hashType SHA1 unless given). Returns it incl. `token`. */
	addAppToken(input: Obj = {}, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as string | undefined) ?? this.randomEntryId();
		const now = this.now();
		const t: Obj = {
			token: randomBytes(16).toString('hex'),
			partnerId,
			createdAt: now,
			updatedAt: now,
			status: 2,
			hashType: 'SHA1',
			sessionType: undefined,
			sessionDuration: this.partner(partnerId)?.maxKsExpiry ?? 86400,
			...stripUndefined(input),
			id,
			objectType: 'KalturaAppToken'
		};
		coerceNumeric(t, ['status', 'sessionType', 'sessionDuration', 'expiry']);
		this.appTokens.set(id, t);
		return t;
	}

	// ---------------------------------------------------------------- templates
	getTemplate(id: number): Obj | undefined {
		const t = this.templates.get(id);
		return t && t.status !== 3 ? t : undefined;
	}
	/** Seed a partner HTTP notification template directly (as if cloned and configured). */
	addTemplate(input: Obj, condition?: TemplateCondition, partnerId = this.mainPartnerId): Obj {
		const id = (input.id as number | undefined) ?? this.nextId('template');
		const now = this.now();
		const t: Obj = {
			partnerId,
			status: 2,
			type: 'httpNotification.Http',
			createdAt: now,
			updatedAt: now,
			manualDispatchEnabled: true,
			automaticDispatchEnabled: true,
			method: 2,
			secureHashingAlgo: 1,
			...stripUndefined(input),
			id,
			objectType: (input.objectType as string | undefined) ?? 'KalturaHttpNotificationTemplate'
		};
		this.templates.set(id, t);
		if (condition) this.templateConditions.set(id, condition);
		return t;
	}

	// ---------------------------------------------------------------- snapshots for assertions
	/** Deep copies of everything, for assertions. */
	snapshot(): Record<string, unknown> {
		return clone({
			users: [...this.users.values()],
			entries: [...this.entries.values()],
			categories: [...this.categories.values()],
			categoryEntries: this.categoryEntries,
			scheduleResources: [...this.scheduleResources.values()],
			scheduleEvents: [...this.scheduleEvents.values()],
			eventResources: this.eventResources,
			appTokens: [...this.appTokens.values()],
			templates: [...this.templates.values()].filter((t) => t.partnerId !== 0),
			virtualEvents: [...this.virtualEvents.values()]
		});
	}
}

/**
 * Stand-in approximation of a template's eventConditions (the server evaluates PHP expressions;
 * here a small declarative form). Evaluated on OBJECT_CHANGED & co. against the DomainEvent.
 */
export type TemplateCondition =
	| { kind: 'always' }
	/** one of the columns was modified */
	| { kind: 'modified'; columns: string[] }
	/** column modified and the object's field equals a user parameter value (or a fixed value) */
	| { kind: 'modifiedEquals'; column: string; field: string; userParameterKey?: string; value?: string }
	/** entry type filter on top of another condition */
	| { kind: 'and'; all: TemplateCondition[] }
	| { kind: 'fieldEquals'; field: string; value: string }
	/** the object's field is one of the values (KalturaFieldMatchCondition) */
	| { kind: 'fieldIn'; field: string; values: string[] }
	/** a condition the stand-in cannot evaluate: never holds */
	| { kind: 'unsupported' };

/**
 * kuser.partner_data is `varchar(4096)` (kaltura/server deployment/base/sql/01.kaltura_ce_tables.sql, table
 * `kuser`; alpha/config/schema.xml), the API does not check its length (api_v3/lib/types/KalturaBaseUser.php
 * `$partnerData` is a plain string) and the database runs with `SET GLOBAL sql_mode = ''` (the same .sql file),
 * so MySQL stores the first 4,096 characters of a longer value without an error, and that is what reads return.
 */
export const PARTNER_DATA_MAX_CHARS = 4096;
export function fitPartnerData(user: Obj): void {
	if (typeof user.partnerData !== 'string') return;
	const chars = [...user.partnerData];
	if (chars.length > PARTNER_DATA_MAX_CHARS) user.partnerData = chars.slice(0, PARTNER_DATA_MAX_CHARS).join('');
}

export function stripUndefined(o: Obj): Obj {
	const out: Obj = {};
	for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
	return out;
}

export function coerceNumeric(o: Obj, fields: readonly string[]): void {
	for (const f of fields) {
		const v = o[f];
		if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) o[f] = Number(v);
	}
}
