import { container } from '@sapphire/framework';
import { ApiError, userFacingFailure } from '#sdk';
import { entryVisibleToMember, memberSession } from '../../videos/api.js';
import type { ActivitySession } from './session-token.js';

/** A playback KS lives an hour: enough for a long video and a pause, and it reaches one entry only. */
export const PLAYBACK_KS_SECONDS = 60 * 60;

export interface Playback {
	readonly entryId: string;
	readonly name: string;
	/** Seconds. */
	readonly duration: number;
	readonly thumbnailUrl: string | null;
	readonly partnerId: number;
	readonly serviceUrl: string;
	readonly ks: string;
	readonly playManifestUrl: string;
}

/**
 * What the member's player needs for one entry: read first with the member's own Kaltura session (entitlements
 * enforced), then a USER KS for them limited to viewing that one entry (`sview:<entryId>`, kaltura/server
 * kSessionBase PRIVILEGE_VIEW) and to their entitlements. A member who may not see it learns nothing of it (403).
 */
export async function playbackFor(session: ActivitySession, entryId: string, serviceUrl: string): Promise<Playback> {
	let entry;
	try {
		entry = await entryVisibleToMember(session.guildId, session.userId, entryId);
	} catch (error) {
		throw userFacingFailure(error, 'Reading the video');
	}
	if (entry === undefined) throw new ApiError(403, 'not_entitled', 'You may not watch this video.');
	const { userId } = await memberSession(container.identity, session.guildId, session.userId);
	const ks = await container.kaltura.userKs({ userId, privileges: `sview:${entry.id},enableentitlement` }, PLAYBACK_KS_SECONDS);
	const partnerId = container.kaltura.partnerId;
	const base = serviceUrl.replace(/\/+$/, '');
	const protocol = new URL(base).protocol === 'http:' ? 'http' : 'https';
	return {
		entryId: entry.id,
		name: entry.name ?? 'Untitled video',
		duration: entry.duration ?? 0,
		thumbnailUrl: entry.thumbnailUrl !== undefined && /^https?:\/\//.test(entry.thumbnailUrl) ? entry.thumbnailUrl : null,
		partnerId,
		serviceUrl: base,
		ks,
		// kaltura/server alpha/apps/kaltura/modules/extwidget/actions/playManifestAction.class.php
		playManifestUrl: `${base}/p/${partnerId}/sp/${partnerId}00/playManifest/entryId/${entry.id}/format/url/protocol/${protocol}/ks/${ks}/a.mp4`
	};
}
