/**
 * What other plugins may use of role mapping: the Kaltura role a member's Discord roles give them.
 * Everything else in this folder is the plugin's own and may change without notice.
 */
export { kalturaRoleOf, type ResolvedKalturaRole } from './lib/resolve-kaltura-role.js';
export type { KalturaRole } from './lib/kaltura-roles.js';
