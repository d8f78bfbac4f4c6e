import { randomBytes } from 'node:crypto';
import { apiError } from '../errors.js';
import type { Obj } from '../params.js';
import { KalturaCategoryState } from './categories.js';
import { coerceNumeric, ENTRY_INT_FIELDS, EVENT_OBJECT_TYPE, EVENT_TYPE, stripUndefined } from './shapes.js';

/** Media and live stream entries: seeding, the defaults Kaltura fills in, updates and status changes. */
export class KalturaEntryState extends KalturaCategoryState {
	// ---------------------------------------------------------------- entries
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
}
