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
 * The KalturaLiveStreamEntry fields with the ingest details. Kaltura builds the URLs on every read from the partner's
 * broadcast configuration (the LiveStreamEntry getters through kaltura/server alpha/apps/kaltura/lib/live/kBroadcastUrlManager.php,
 * createSrtStreamId for the SRT stream ids); `streamName` is `%i` unless the partner has a stream name template
 * (`{entryId}_%i`, say), and the password is generated when none is given (api_v3/lib/types/entry/KalturaLiveStreamEntry.php
 * toInsertableObject).
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
 * An ingest URL with a host: a partner without an SRT domain still gets SRT fields, as `srt://:7045`
 * (kBroadcastUrlManager getHostname with no `srt_domain`), which no encoder can reach.
 */
function presentUrl(value: unknown): string | undefined {
	const url = present(value);
	return url !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^:/?#\s]/i.test(url) ? url : undefined;
}

/**
 * Reads the ingest details of a new live entry; undefined when Kaltura gave no RTMP URL or stream name (a
 * partner whose broadcast configuration has none): the host is then told to look in the KMC. The stream key
 * is the stream name for the first stream: Kaltura's encoder guide ("Endpoints for Kaltura Live Streaming",
 * knowledge.kaltura.com) says the stream name is usually just 1, one per bitrate otherwise.
 */
export function ingestOf(entry: RawLiveEntry): LiveIngest | undefined {
	const rtmpUrl = presentUrl(entry.primaryBroadcastingUrl);
	const streamName = present(entry.streamName);
	if (rtmpUrl === undefined || streamName === undefined) return undefined;
	const srtUrl = presentUrl(entry.primarySrtBroadcastingUrl);
	const backupSrtUrl = presentUrl(entry.secondarySrtBroadcastingUrl);
	// A stream id is of no use without the SRT URL it goes with.
	const optional: Record<string, string | undefined> = {
		backupRtmpUrl: presentUrl(entry.secondaryBroadcastingUrl),
		rtmpsUrl: presentUrl(entry.primarySecuredBroadcastingUrl),
		backupRtmpsUrl: presentUrl(entry.secondarySecuredBroadcastingUrl),
		srtUrl,
		srtStreamId: srtUrl === undefined ? undefined : present(entry.primarySrtStreamId),
		backupSrtUrl,
		backupSrtStreamId: backupSrtUrl === undefined ? undefined : present(entry.secondarySrtStreamId)
	};
	const defined = Object.fromEntries(Object.entries(optional).filter((pair): pair is [string, string] => pair[1] !== undefined));
	return { rtmpUrl, streamKey: streamName.replaceAll('%i', '1'), ...defined };
}
