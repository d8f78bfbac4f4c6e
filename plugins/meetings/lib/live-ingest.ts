/**
 * Where the host of a live stream sends it: the encoder settings Kaltura fills in on the entry it creates.
 * They carry the stream's password (`?t=` in the RTMP URLs, `p=` in the SRT stream id): a credential, shown to
 * the host only, privately, never posted, stored or logged.
 */
export interface LiveIngest {
	/** RTMP server URL (`rtmp://…:1935/kLive?t=<password>`). */
	readonly rtmpUrl: string;
	/** The stream key: the entry's stream name with `%i` replaced by 1, the first (or only) stream. */
	readonly streamKey: string;
	readonly backupRtmpUrl?: string;
	/** RTMP over TLS (port 443). */
	readonly rtmpsUrl?: string;
	readonly backupRtmpsUrl?: string;
	/** SRT, when the partner's broadcast configuration has an SRT domain. */
	readonly srtUrl?: string;
	readonly srtStreamId?: string;
	readonly backupSrtUrl?: string;
	readonly backupSrtStreamId?: string;
}

/**
 * The KalturaLiveStreamEntry fields with the ingest details. Kaltura sets them itself when it creates an entry of
 * source type LIVE_STREAM (kaltura/server api_v3/services/LiveStreamService.php prepareEntryForInsert →
 * alpha/apps/kaltura/lib/kBroadcastUrlManager.php setEntryBroadcastingUrls, createSrtStreamId); `streamName` is
 * `<entryId>_%i` (the live entry model's getStreamName default, alpha/lib/model) and the password is generated when none is given
 * (api_v3/lib/types/entry/KalturaLiveStreamEntry.php toInsertableObject).
 */
export interface RawLiveEntry {
	id?: unknown;
	streamName?: unknown;
	primaryBroadcastingUrl?: unknown;
	secondaryBroadcastingUrl?: unknown;
	primarySecuredBroadcastingUrl?: unknown;
	secondarySecuredBroadcastingUrl?: unknown;
	primarySrtBroadcastingUrl?: unknown;
	primarySrtStreamId?: unknown;
	secondarySrtBroadcastingUrl?: unknown;
	secondarySrtStreamId?: unknown;
}

const present = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/**
 * Reads the ingest details of a new live entry; undefined when Kaltura gave no RTMP URL or stream name (a
 * partner whose broadcast configuration has none): the host is then told to look in the KMC. The stream key
 * is the stream name for the first stream: Kaltura's encoder guide ("Endpoints for Kaltura Live Streaming",
 * knowledge.kaltura.com) says the stream name is usually just 1, one per bitrate otherwise.
 */
export function ingestOf(entry: RawLiveEntry): LiveIngest | undefined {
	const rtmpUrl = present(entry.primaryBroadcastingUrl);
	const streamName = present(entry.streamName);
	if (rtmpUrl === undefined || streamName === undefined) return undefined;
	const optional: Record<string, string | undefined> = {
		backupRtmpUrl: present(entry.secondaryBroadcastingUrl),
		rtmpsUrl: present(entry.primarySecuredBroadcastingUrl),
		backupRtmpsUrl: present(entry.secondarySecuredBroadcastingUrl),
		srtUrl: present(entry.primarySrtBroadcastingUrl),
		srtStreamId: present(entry.primarySrtStreamId),
		backupSrtUrl: present(entry.secondarySrtBroadcastingUrl),
		backupSrtStreamId: present(entry.secondarySrtStreamId)
	};
	const defined = Object.fromEntries(Object.entries(optional).filter((pair): pair is [string, string] => pair[1] !== undefined));
	return { rtmpUrl, streamKey: streamName.replaceAll('%i', '1'), ...defined };
}
