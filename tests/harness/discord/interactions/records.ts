import { randomBytes } from 'node:crypto';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import type { APIInteraction, APIMessage, APIModalInteractionResponseCallbackData, APIUser } from 'discord-api-types/v10';
import type { HarnessClock } from '../clock.js';
import type { GatewayServer } from '../gateway.js';
import type { DiscordState } from '../state.js';
import type { ChangeNotifier } from '../waiters.js';

export interface InteractionTimingOptions {
	/**
	 * Time the bot has for the first response (Discord: 3 s), on the real clock: a handler that waits on a slow
	 * backend misses it here as it would on Discord. `clock.advance` can only bring it nearer.
	 */
	responseWindowMs: number;
	/** Lifetime of the token for edits and follow-ups (Discord: 15 min), on `discord.clock`. */
	tokenLifetimeMs: number;
	/** Default timeout of the handle's `waitFor…` helpers. */
	waitTimeoutMs: number;
}

/** The bot's first (and only) acknowledgement of an interaction. */
export interface CallbackRecord {
	type: InteractionResponseType;
	/** `data` exactly as the bot sent it. */
	data: unknown;
	ephemeral: boolean;
	/** Whether `?with_response=true` was asked. */
	withResponse: boolean;
	at: number;
	/** The message created (4, 5) or updated (7) by the callback. */
	message?: APIMessage;
}

/** A callback the stand-in refused (e.g. a second acknowledgement → 40060). */
export interface RejectedCallback {
	status: number;
	code: number;
	message: string;
	at: number;
}

export interface InteractionContext {
	state: DiscordState;
	gateway: GatewayServer;
	notifier: ChangeNotifier;
	clock: HarnessClock;
	/** `http://127.0.0.1:<port>` */
	baseUrl: () => string;
	timing: InteractionTimingOptions;
}

export interface InteractionRecord {
	id: string;
	token: string;
	type: InteractionType;
	payload: APIInteraction;
	guildId: string | undefined;
	channelId: string;
	user: APIUser;
	/** `clock.now()` at dispatch (for the token lifetime). */
	dispatchedAt: number;
	/** `Date.now()` at dispatch: the first-response deadline runs on the real clock. */
	dispatchedAtRealMs: number;
	callback: CallbackRecord | null;
	/** Set when the 3 s window passed without a callback: the token is gone. */
	expired: boolean;
	rejections: RejectedCallback[];
	/** The message @original refers to (created by 4/5, or the component message for 6/7). */
	originalId: string | null;
	originalEphemeral: boolean;
	originalLoading: boolean;
	originalEdited: boolean;
	originalDeleted: boolean;
	/** The message a component was used on (or a modal was opened from). */
	sourceMessageId: string | null;
	followUpIds: string[];
	/** Snapshots of @original after each edit. */
	edits: APIMessage[];
	followUps: APIMessage[];
	/** Which modal (if any) this interaction opened, for `handle.submitModal`. */
	modal: APIModalInteractionResponseCallbackData | null;
	/** For a modal submit: the interaction that opened the modal. */
	trigger: InteractionRecord | null;
}

export interface SubmitModalFromHandleInput {
	/** Text input values (or select values) by custom_id. */
	fields: Record<string, string | string[]>;
}

export const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
	[InteractionType.Ping]: [InteractionResponseType.Pong],
	[InteractionType.ApplicationCommand]: [
		InteractionResponseType.ChannelMessageWithSource,
		InteractionResponseType.DeferredChannelMessageWithSource,
		InteractionResponseType.Modal,
		InteractionResponseType.PremiumRequired,
		InteractionResponseType.LaunchActivity
	],
	[InteractionType.MessageComponent]: [
		InteractionResponseType.ChannelMessageWithSource,
		InteractionResponseType.DeferredChannelMessageWithSource,
		InteractionResponseType.DeferredMessageUpdate,
		InteractionResponseType.UpdateMessage,
		InteractionResponseType.Modal,
		InteractionResponseType.PremiumRequired,
		InteractionResponseType.LaunchActivity
	],
	[InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
	[InteractionType.ModalSubmit]: [
		InteractionResponseType.ChannelMessageWithSource,
		InteractionResponseType.DeferredChannelMessageWithSource,
		InteractionResponseType.DeferredMessageUpdate,
		InteractionResponseType.UpdateMessage,
		InteractionResponseType.PremiumRequired
	]
};

export const MESSAGE_CALLBACKS = new Set<InteractionResponseType>([
	InteractionResponseType.ChannelMessageWithSource,
	InteractionResponseType.DeferredChannelMessageWithSource,
	InteractionResponseType.DeferredMessageUpdate,
	InteractionResponseType.UpdateMessage
]);

/** Discord-style interaction token. */
export function newInteractionToken(): string {
	return `aW50ZXJhY3Rpb246${randomBytes(96).toString('base64url')}`;
}

export function describeInteraction(record: Pick<InteractionRecord, 'payload' | 'id'>): string {
	const payload = record.payload;
	const data = 'data' in payload ? (payload.data as Record<string, unknown> | undefined) : undefined;
	const name = typeof data?.name === 'string' ? ` "${data.name}"` : typeof data?.custom_id === 'string' ? ` "${data.custom_id}"` : '';
	return `interaction ${record.id} (type ${payload.type}${name})`;
}
