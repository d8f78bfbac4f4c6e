import { z } from 'zod';
import type { WebhookHash } from './kaltura-signature.js';

/** The hashes Kaltura can sign HTTP notifications with (`KalturaSecureHashingAlgo`); MD5 is not offered for webhooks. */
export const WEBHOOK_HASHES = ['sha1', 'sha256', 'sha512'] as const satisfies readonly WebhookHash[];

const days = (max: number) =>
	z.coerce
		.number({ error: 'must be a number of days' })
		.int({ error: 'must be a whole number' })
		.min(1, { error: 'must be at least 1' })
		.max(max, { error: `must be at most ${max}` });

/** The plugin's environment variables (the manifest's `environment`); the core parses them at start-up. */
export const notificationsEnvironmentSchema = z.object({
	/** Received notifications and finished deliveries are deleted after this many days; deliveries still to make are kept. */
	NOTIFICATIONS_RETENTION_DAYS: days(3650).default(30),
	/** The hash Kaltura signs notifications with (the set-up script configures templates with it); any other is refused. */
	KALTURA_WEBHOOK_HASH: z
		.preprocess(
			(value) => (typeof value === 'string' ? value.toLowerCase() : value),
			z.enum(WEBHOOK_HASHES, { error: 'must be sha1, sha256 or sha512' })
		)
		.default('sha256'),
	/** A notification about an object last updated longer ago than this is acknowledged and not posted (a replay). */
	NOTIFICATIONS_MAX_EVENT_AGE_DAYS: days(365).default(7)
});

export type NotificationsEnvironment = z.output<typeof notificationsEnvironmentSchema>;
