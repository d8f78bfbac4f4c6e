/**
 * The maps behind KalturaState, with its clock, ids, domain events, partners, roles and users. KalturaState adds
 * one layer per kind of object (categories, entries, then schedule, app tokens and templates), each in its own module.
 */
import { randomBytes } from 'node:crypto';
import { apiError } from '../errors.js';
import type { Obj } from '../params.js';
import { clone } from '../serialize.js';
import { stockTemplates } from '../templates.js';
import { PLAYBACK_BASE_ROLE, PLAYBACK_BASE_ROLE_NAMES } from '../playback-role.js';
import {
	EVENT_OBJECT_TYPE,
	EVENT_TYPE,
	fitPartnerData,
	stripUndefined,
	type DomainEvent,
	type PartnerConfig,
	type RoleDef,
	type TemplateCondition
} from './shapes.js';

export class KalturaStateCore {
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
	/**
	 * Ids of access control profiles that require a KS: a rule with a kAuthenticatedCondition (met by an ADMIN KS or one
	 * with `sview` for the entry) whose BLOCK action refuses everyone else. An entry whose `accessControlId` is here plays
	 * only for such sessions (play-manifest.ts).
	 */
	readonly accessControlRequiringKs = new Set<number>();
	/** The video file each entry's play manifest serves (play-manifest.ts); an entry not here plays the test fixture. */
	readonly playbackFiles = new Map<string, string>();
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
		// Kaltura's built-in roles exist on every partner, without an id a test's own roles would take.
		for (const name of PLAYBACK_BASE_ROLE_NAMES) this.roles.set(name, PLAYBACK_BASE_ROLE);
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
	nextId(kind: keyof KalturaStateCore['counters']): number {
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
}
