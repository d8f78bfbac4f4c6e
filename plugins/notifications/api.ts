/**
 * What tools outside the notifications plugin may use of it: the Kaltura HTTP notification templates it
 * sets up (the live check finds and cleans up its own clones by these), and the tag that marks the live
 * check's test objects so their notifications are never posted. Everything else in this folder is the
 * plugin's own and may change without notice.
 */
export { CLONE_MARKER, ownSystemName, WEBHOOK_TEMPLATES, type WebhookTemplate } from './cli/webhook-templates.js';
export { LIVE_CHECK_TAG } from './lib/normalise.js';
