import type { RoleDef } from './state/shapes.js';

/**
 * Kaltura's built-in playback-only role, on every partner (partner 0): kaltura/server
 * deployment/updates/scripts/2014_08_03_create_base_playback_role.php creates it (systemName PLAYBACK_BASE, one
 * permission, PLAYBACK_BASE_PERMISSION), and Kaltura's guide names it `setrole:PLAYBACK_BASE_ROLE` for a KS handed to
 * a player: "it will not be allowed to perform any action other than a white-list of actions needed for the player
 * (such as baseEntry.get, flavorAsset.list etc.)" (kaltura/DeveloperPortalDocs
 * documentation/VPaaS-API-Getting-Started/Kaltura_API_Authentication_and_Security.md). The stand-in models that
 * white-list with the player's read actions; listing or changing content (media.list, media.update, ...) is refused.
 */
export const PLAYBACK_BASE_ROLE: RoleDef = {
	id: 0,
	systemName: 'PLAYBACK_BASE_ROLE',
	name: 'PLAYBACK BASE',
	permissions: ['baseEntry.get', 'baseEntry.getPlaybackContext', 'baseEntry.getContextData', 'flavorAsset.list', 'session.get']
};

/** The names a `setrole` privilege may give it by: the guide's, and the role's systemName. */
export const PLAYBACK_BASE_ROLE_NAMES = ['PLAYBACK_BASE_ROLE', 'PLAYBACK_BASE'] as const;
