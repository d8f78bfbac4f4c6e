import { container } from '@sapphire/framework';
import { ApiError, userFacingFailure } from '#sdk';
import { entryVisibleToMember, memberSession } from '../../videos/api.js';
import type { ActivitySession } from './session-token.js';

/** A playback KS lives an hour: enough for a long video and a pause, and it reaches one entry only. */
export const PLAYBACK_KS_SECONDS = 60 * 60;

/**
 * The playback KS's privileges: view that one entry (`sview`, kaltura/server kSessionBase PRIVILEGE_VIEW) with the
 * member's entitlements, and only the player's actions (`setrole:PLAYBACK_BASE_ROLE`, Kaltura's playback-only role:
 * kaltura/server deployment/updates/scripts/2014_08_03_create_base_playback_role.php; kaltura/DeveloperPortalDocs
 * documentation/VPaaS-API-Getting-Started/Kaltura_API_Authentication_and_Security.md). Without the role it would be
 * a USER KS that may call whatever the member's Kaltura role allows, for an hour, from the member's browser.
 */
export function playbackPrivileges(entryId: string): string {
	return `sview:${entryId},enableentitlement,setrole:PLAYBACK_BASE_ROLE`;
}

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
 * enforced), then a USER KS for them limited to playing that one entry ({@link playbackPrivileges}). A member who may not see it learns nothing of it (403).
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
	const ks = await container.kaltura.userKs({ userId, privileges: playbackPrivileges(entry.id) }, PLAYBACK_KS_SECONDS);
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
