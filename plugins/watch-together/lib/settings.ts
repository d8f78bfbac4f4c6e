import { z } from 'zod';

/** Most sockets one room takes, whatever a server sets: the bound the bench measures (one room, its state to every socket). */
export const MAX_PARTICIPANTS_CEILING = 1_000;

/** The plugin's section of a server's config. */
export const watchTogetherSettingsSchema = z.strictObject({
	/** Whether a member mapped to the Kaltura moderator or admin role (role-mapping) may control any room, not only the controller. */
	moderatorsControl: z.boolean().default(true),
	/** How many members may be in one room (one Activity instance) at once; the next one is turned away. */
	maxParticipants: z.number().int().min(2).max(MAX_PARTICIPANTS_CEILING).default(MAX_PARTICIPANTS_CEILING)
});

export type WatchTogetherSettings = z.output<typeof watchTogetherSettingsSchema>;

/** The operator's variables: the Discord application's OAuth2 client, which the Activity's sign-in exchanges codes with. */
export const watchTogetherEnvironmentSchema = z.object({
	/** The application id (the developer portal's "Client ID"). Unset: the Activity's sign-in answers 503 activity_not_configured. */
	DISCORD_CLIENT_ID: z
		.string()
		.regex(/^\d{17,20}$/, { error: 'must be the application id (digits)' })
		.optional(),
	/** The application's OAuth2 client secret (developer portal → OAuth2 → Client Secret). */
	DISCORD_CLIENT_SECRET: z.string().min(1).optional()
});

export type WatchTogetherEnvironment = z.output<typeof watchTogetherEnvironmentSchema>;
