/** The room as the bot sends it: one per Activity instance. */
export interface Room {
	readonly instanceId: string;
	readonly entryId: string | null;
	readonly playing: boolean;
	/** Seconds into the entry at server time `at`. */
	readonly position: number;
	/** Server clock, milliseconds. */
	readonly at: number;
	readonly controllerId: string;
	/** Increments with every change. */
	readonly rev: number;
	readonly participants: readonly string[];
}

export type ControlAction = 'play' | 'pause' | 'seek' | 'load' | 'handoff';

export interface ControlArgs {
	readonly position?: number;
	readonly entryId?: string;
	readonly to?: string;
}

/** Messages the bot sends on the room socket. */
export type ServerMessage =
	| { readonly type: 'welcome'; readonly you: { readonly id: string; readonly controls: boolean }; readonly room: Room; readonly serverNow: number }
	| { readonly type: 'pong'; readonly t: number; readonly serverNow: number }
	| { readonly type: 'state'; readonly room: Room }
	| { readonly type: 'refused'; readonly id: string; readonly reason: string };

/** What `POST /api/v1/activity/token` answers. */
export interface ActivitySession {
	readonly accessToken: string;
	readonly sessionToken: string;
	readonly expiresIn: number;
	readonly user: { readonly id: string; readonly username: string };
	readonly instance: { readonly id: string; readonly guildId: string; readonly channelId: string };
}

/** What `GET /api/v1/activity/playback` answers. */
export interface Playback {
	readonly entryId: string;
	readonly name: string;
	readonly duration: number;
	readonly thumbnailUrl: string;
	readonly partnerId: number;
	readonly serviceUrl: string;
	readonly ks: string;
	readonly playManifestUrl: string;
}

export interface VideoSummary {
	readonly entryId: string;
	readonly name: string;
	readonly duration: number;
	readonly thumbnailUrl: string;
}

/** A member in the Activity, as Discord lists them. */
export interface Participant {
	readonly id: string;
	readonly username: string;
	readonly global_name?: string | null;
	readonly nickname?: string;
}
