import { randomBytes } from 'node:crypto';
import { ApplicationCommandType, InteractionResponseType, InteractionType, MessageFlags, MessageType } from 'discord-api-types/v10';
import type {
	APIInteraction,
	APIMessage,
	APIMessageInteractionMetadata,
	APIModalInteractionResponseCallbackData,
	APIUser,
	RESTPostAPIInteractionCallbackWithResponseResult
} from 'discord-api-types/v10';
import type { HarnessClock } from './clock.js';
import { DiscordErrors, DiscordHTTPError, FormErrors } from './errors.js';
import type { GatewayServer } from './gateway.js';
import type { UploadedFile } from './http.js';
import { applyMessageEdit, buildMessage, INTERACTION_MESSAGE_FLAGS, validateMessageBody, type MessageBody } from './messages.js';
import type { DiscordState, MessageSource } from './state.js';
import type { ChangeNotifier } from './waiters.js';

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

const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
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

const MESSAGE_CALLBACKS = new Set<InteractionResponseType>([
	InteractionResponseType.ChannelMessageWithSource,
	InteractionResponseType.DeferredChannelMessageWithSource,
	InteractionResponseType.DeferredMessageUpdate,
	InteractionResponseType.UpdateMessage
]);

/** Discord-style interaction token. */
export function newInteractionToken(): string {
	return `aW50ZXJhY3Rpb246${randomBytes(96).toString('base64url')}`;
}

/**
 * What a test gets back from `runSlashCommand` & co: the dispatched payload and,
 * as they happen, the bot's callback, edits of @original and follow-ups.
 */
export class InteractionHandle {
	public constructor(
		private readonly record: InteractionRecord,
		private readonly service: InteractionService
	) {}

	public get id(): string {
		return this.record.id;
	}

	public get token(): string {
		return this.record.token;
	}

	/** The INTERACTION_CREATE payload that was dispatched. */
	public get payload(): APIInteraction {
		return this.record.payload;
	}

	public get callback(): CallbackRecord | undefined {
		return this.record.callback ?? undefined;
	}

	/** Callbacks the stand-in refused (40060 second acknowledgement, 10062 too late, …). */
	public get rejections(): readonly RejectedCallback[] {
		return this.record.rejections;
	}

	/** Snapshots of @original after each edit, oldest first. */
	public get edits(): readonly APIMessage[] {
		return this.record.edits;
	}

	/** Follow-up messages (current state), oldest first. */
	public get followUps(): readonly APIMessage[] {
		return this.record.followUpIds
			.map((id) => this.service.context.state.findMessage(id)?.message)
			.filter((m): m is APIMessage => m !== undefined);
	}

	/** The current @original message, if any. */
	public original(): APIMessage | undefined {
		if (!this.record.originalId || this.record.originalDeleted) return undefined;
		return this.service.context.state.findMessage(this.record.originalId)?.message;
	}

	/**
	 * Whether the first-response deadline passed without a callback. On Discord the user then sees "This
	 * interaction failed" (an autocomplete shows no choices), and a late callback gets 10062 Unknown interaction.
	 */
	public get expired(): boolean {
		return this.service.checkExpired(this.record);
	}

	/**
	 * Resolves with the bot's acknowledgement. Rejects as soon as the first-response deadline passes without
	 * one, saying so (rather than waiting out the timeout).
	 */
	public waitForCallback(timeoutMs = this.defaultTimeout()): Promise<CallbackRecord> {
		return this.service.context.notifier.waitFor(
			() => {
				if (this.record.callback) return this.record.callback;
				if (this.service.checkExpired(this.record)) {
					const window = this.service.context.timing.responseWindowMs;
					throw new Error(
						`Discord stand-in: ${this.describe()} got no response within ${window} ms; Discord shows "This interaction failed" and answers later callbacks with 10062 Unknown interaction\n${this.diagnose()}`
					);
				}
				return undefined;
			},
			`the bot to acknowledge ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/**
	 * Resolves with what the user sees as the answer: the message of a type 4 reply, the
	 * updated message of a type 7, or — after a defer — @original once it was edited.
	 */
	public async waitForReply(timeoutMs = this.defaultTimeout()): Promise<APIMessage> {
		const started = Date.now();
		const callback = await this.waitForCallback(timeoutMs);
		if (callback.type === InteractionResponseType.ChannelMessageWithSource || callback.type === InteractionResponseType.UpdateMessage) {
			return callback.message!;
		}
		if (!MESSAGE_CALLBACKS.has(callback.type)) {
			throw new Error(`Discord stand-in: ${this.describe()} was answered with callback type ${callback.type}, which carries no message`);
		}
		const remaining = Math.max(1, timeoutMs - (Date.now() - started));
		return this.waitForEdit(1, remaining);
	}

	/** Resolves with @original after its `count`-th edit. */
	public waitForEdit(count = 1, timeoutMs = this.service.context.timing.waitTimeoutMs): Promise<APIMessage> {
		return this.service.context.notifier.waitFor(
			() => this.record.edits[count - 1],
			`edit #${count} of the original response to ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/** Resolves with the `count`-th follow-up message. */
	public waitForFollowUp(count = 1, timeoutMs = this.service.context.timing.waitTimeoutMs): Promise<APIMessage> {
		return this.service.context.notifier.waitFor(
			() => this.record.followUps[count - 1],
			`follow-up #${count} to ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/** The modal the bot opened with callback type 9. */
	public get modal(): APIModalInteractionResponseCallbackData | undefined {
		return this.record.modal ?? undefined;
	}

	/** Submits the modal this interaction opened (callback type 9), as the same user. */
	public submitModal(input: SubmitModalFromHandleInput): InteractionHandle {
		if (!this.record.modal) {
			throw new Error(`Discord stand-in: ${this.describe()} did not open a modal (callback: ${this.record.callback?.type ?? 'none'})`);
		}
		return this.service.submitModalFor(this.record, input);
	}

	private defaultTimeout(): number {
		const { responseWindowMs, waitTimeoutMs } = this.service.context.timing;
		return Math.min(waitTimeoutMs, responseWindowMs + 1000);
	}

	private describe(): string {
		return describeInteraction(this.record);
	}

	private diagnose(): string {
		const r = this.record;
		const parts = [
			`  callback: ${r.callback ? `type ${r.callback.type}` : 'none'}`,
			`  edits: ${r.edits.length}, follow-ups: ${r.followUps.length}`
		];
		if (r.rejections.length > 0) {
			parts.push(`  refused callbacks: ${r.rejections.map((x) => `${x.status}/${x.code} ${x.message}`).join('; ')}`);
		}
		return parts.join('\n');
	}
}

export function describeInteraction(record: Pick<InteractionRecord, 'payload' | 'id'>): string {
	const payload = record.payload;
	const data = 'data' in payload ? (payload.data as Record<string, unknown> | undefined) : undefined;
	const name = typeof data?.name === 'string' ? ` "${data.name}"` : typeof data?.custom_id === 'string' ? ` "${data.custom_id}"` : '';
	return `interaction ${record.id} (type ${payload.type}${name})`;
}

/**
 * Interaction bookkeeping and Discord's rules for answering them: callbacks, @original,
 * follow-ups, deadlines and acknowledgement uniqueness.
 */
export class InteractionService {
	readonly #byToken = new Map<string, InteractionRecord>();
	/** Real-time timers that expire an interaction left unanswered past the first-response deadline. */
	readonly #deadlines = new Map<string, NodeJS.Timeout>();
	public readonly records: InteractionRecord[] = [];
	/** Set by the server: builds and dispatches a modal submit for `handle.submitModal`. */
	public modalSubmitter: ((record: InteractionRecord, input: SubmitModalFromHandleInput) => InteractionHandle) | undefined;

	public constructor(public readonly context: InteractionContext) {}

	/** Registers a payload about to be dispatched and returns its handle. */
	public register(
		payload: APIInteraction,
		meta: {
			channelId: string;
			guildId: string | undefined;
			user: APIUser;
			sourceMessageId?: string | null;
			trigger?: InteractionRecord;
		}
	): InteractionHandle {
		const record: InteractionRecord = {
			id: payload.id,
			token: payload.token,
			type: payload.type,
			payload,
			guildId: meta.guildId,
			channelId: meta.channelId,
			user: meta.user,
			dispatchedAt: this.context.clock.now(),
			dispatchedAtRealMs: Date.now(),
			callback: null,
			expired: false,
			rejections: [],
			originalId: null,
			originalEphemeral: false,
			originalLoading: false,
			originalEdited: false,
			originalDeleted: false,
			sourceMessageId: meta.sourceMessageId ?? null,
			followUpIds: [],
			edits: [],
			followUps: [],
			modal: null,
			trigger: meta.trigger ?? null
		};
		this.#byToken.set(record.token, record);
		this.records.push(record);
		// Discord: "you must send an initial response within 3 seconds of receiving the event. If the 3 second
		// deadline is exceeded, the token will be invalidated" (discord-api-docs developers/interactions/
		// receiving-and-responding.mdx, "Interaction Callback"); this holds for autocomplete too, whose
		// only response is the callback. The timer marks the interaction failed at that moment, in real time,
		// so waiters see it even if the bot never answers.
		const timer = setTimeout(() => {
			this.#deadlines.delete(record.token);
			if (this.checkExpired(record)) this.context.notifier.notify();
		}, this.context.timing.responseWindowMs + 1);
		timer.unref();
		this.#deadlines.set(record.token, timer);
		return new InteractionHandle(record, this);
	}

	/**
	 * Whether the first-response deadline has passed without a callback (marking the record expired): on the
	 * real clock, or on `discord.clock` when a test advanced it.
	 */
	public checkExpired(record: InteractionRecord): boolean {
		if (record.callback) return false;
		if (record.expired) return true;
		const window = this.context.timing.responseWindowMs;
		if (Date.now() - record.dispatchedAtRealMs > window || this.context.clock.now() - record.dispatchedAt > window) {
			record.expired = true;
		}
		return record.expired;
	}

	/** Stops the deadline timers (when the stand-in stops). */
	public dispose(): void {
		for (const timer of this.#deadlines.values()) clearTimeout(timer);
		this.#deadlines.clear();
	}

	/** Forgets a registration whose dispatch reached nobody. */
	public unregister(handle: InteractionHandle): void {
		clearTimeout(this.#deadlines.get(handle.token));
		this.#deadlines.delete(handle.token);
		this.#byToken.delete(handle.token);
		const index = this.records.findIndex((r) => r.id === handle.id);
		if (index >= 0) this.records.splice(index, 1);
	}

	public submitModalFor(record: InteractionRecord, input: SubmitModalFromHandleInput): InteractionHandle {
		if (!this.modalSubmitter) throw new Error('Discord stand-in: modal submission is not wired');
		return this.modalSubmitter(record, input);
	}

	public recordByToken(token: string): InteractionRecord | undefined {
		return this.#byToken.get(token);
	}

	// ------------------------------------------------------------------------- POST /interactions/:id/:token/callback

	public callback(
		interactionId: string,
		token: string,
		body: unknown,
		files: readonly UploadedFile[],
		withResponse: boolean
	): RESTPostAPIInteractionCallbackWithResponseResult | undefined {
		const record = this.#byToken.get(token);
		if (!record || record.id !== interactionId) throw DiscordErrors.unknownInteraction();
		try {
			const result = this.acknowledge(record, body, files, withResponse);
			clearTimeout(this.#deadlines.get(token));
			this.#deadlines.delete(token);
			return result;
		} catch (error) {
			if (error instanceof DiscordHTTPError) {
				record.rejections.push({
					status: error.status,
					code: error.body.code,
					message: error.body.message,
					at: this.context.clock.now()
				});
				this.context.notifier.notify();
			}
			throw error;
		}
	}

	private acknowledge(
		record: InteractionRecord,
		body: unknown,
		files: readonly UploadedFile[],
		withResponse: boolean
	): RESTPostAPIInteractionCallbackWithResponseResult | undefined {
		if (record.callback) throw DiscordErrors.alreadyAcknowledged();
		// Past the deadline the token is gone: JSON code 10062 Unknown interaction (developers/topics/
		// opcodes-and-status-codes.mdx), as for an interaction that never existed.
		if (this.checkExpired(record)) throw DiscordErrors.unknownInteraction();
		const response = (body ?? {}) as { type?: unknown; data?: unknown };
		const type = response.type;
		if (typeof type !== 'number' || !(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
			const errors = new FormErrors();
			errors.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is invalid for this interaction type');
			errors.throwIfAny();
		}
		const callbackType = type as InteractionResponseType;
		const data = response.data;
		const needsSource = callbackType === InteractionResponseType.DeferredMessageUpdate || callbackType === InteractionResponseType.UpdateMessage;
		if (needsSource && !record.sourceMessageId) {
			const errors = new FormErrors();
			errors.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'This interaction has no message to update');
			errors.throwIfAny();
		}

		const callback: CallbackRecord = {
			type: callbackType,
			data,
			ephemeral: false,
			withResponse,
			at: this.context.clock.now()
		};

		switch (callbackType) {
			case InteractionResponseType.ChannelMessageWithSource: {
				const messageBody = validateMessageBody(data, files, 'create', ['data']);
				const ephemeral = ((messageBody.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
				const message = this.createResponseMessage(record, messageBody, files, ephemeral, 0, 'interaction-callback');
				Object.assign(record, { originalId: message.id, originalEphemeral: ephemeral });
				callback.ephemeral = ephemeral;
				callback.message = message;
				break;
			}
			case InteractionResponseType.DeferredChannelMessageWithSource: {
				const flags = isObject(data) && typeof data.flags === 'number' ? data.flags : 0;
				const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
				const message = this.createResponseMessage(record, { content: '' }, [], ephemeral, MessageFlags.Loading, 'interaction-callback');
				Object.assign(record, { originalId: message.id, originalEphemeral: ephemeral, originalLoading: true });
				callback.ephemeral = ephemeral;
				callback.message = message;
				break;
			}
			case InteractionResponseType.DeferredMessageUpdate: {
				const source = this.context.state.findMessage(record.sourceMessageId!);
				Object.assign(record, { originalId: record.sourceMessageId, originalEphemeral: source?.ephemeral ?? false });
				callback.ephemeral = source?.ephemeral ?? false;
				break;
			}
			case InteractionResponseType.UpdateMessage: {
				const source = this.context.state.findMessage(record.sourceMessageId!);
				if (!source) throw DiscordErrors.unknownMessage();
				const messageBody = validateMessageBody(data, files, 'edit', ['data']);
				const updated = applyMessageEdit(this.context.state, this.context.baseUrl(), source.message, messageBody, files);
				this.storeUpdate(updated, source.ephemeral, 'interaction-callback', record);
				Object.assign(record, { originalId: updated.id, originalEphemeral: source.ephemeral });
				callback.ephemeral = source.ephemeral;
				callback.message = updated;
				break;
			}
			case InteractionResponseType.ApplicationCommandAutocompleteResult: {
				validateAutocomplete(data);
				break;
			}
			case InteractionResponseType.Modal: {
				validateModal(data);
				record.modal = data as APIModalInteractionResponseCallbackData;
				break;
			}
			default:
				break;
		}

		record.callback = callback;
		this.context.notifier.notify();
		if (!withResponse) return undefined;
		const result: RESTPostAPIInteractionCallbackWithResponseResult = {
			interaction: {
				id: record.id,
				type: record.type
			}
		};
		if (record.originalId && MESSAGE_CALLBACKS.has(callbackType)) {
			result.interaction.response_message_id = record.originalId;
			result.interaction.response_message_loading = record.originalLoading;
			result.interaction.response_message_ephemeral = record.originalEphemeral;
		}
		result.resource = { type: callbackType };
		if (
			callback.message &&
			(callbackType === InteractionResponseType.ChannelMessageWithSource || callbackType === InteractionResponseType.UpdateMessage)
		) {
			result.resource.message = callback.message;
		}
		return result;
	}

	// ------------------------------------------------------------------------- /webhooks/:application_id/:token…

	/** Resolves an interaction webhook; throws Discord's errors for unknown/expired tokens. */
	public webhookRecord(webhookId: string, token: string): InteractionRecord {
		const record = this.#byToken.get(token);
		if (!record || webhookId !== this.context.state.applicationId) throw DiscordErrors.unknownWebhook();
		if (record.expired) throw DiscordErrors.unknownWebhook();
		if (this.context.clock.now() - record.dispatchedAt > this.context.timing.tokenLifetimeMs) {
			throw DiscordErrors.invalidWebhookToken();
		}
		if (!record.callback || !MESSAGE_CALLBACKS.has(record.callback.type)) throw DiscordErrors.unknownWebhook();
		return record;
	}

	/** POST /webhooks/:application_id/:token — a follow-up message. */
	public followUp(record: InteractionRecord, body: unknown, files: readonly UploadedFile[]): APIMessage {
		const messageBody = validateMessageBody(body, files, 'create');
		if (
			record.callback?.type === InteractionResponseType.DeferredChannelMessageWithSource &&
			record.originalLoading &&
			!record.originalEdited &&
			!record.originalDeleted
		) {
			// Discord's backwards-compatible behaviour: the first follow-up after a defer edits
			// the loading message (keeping its ephemeral state) instead of creating a new one.
			return this.editMessage(record, '@original', body, files);
		}
		const ephemeral = ((messageBody.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
		const message = this.createResponseMessage(record, messageBody, files, ephemeral, 0, 'interaction-webhook', true);
		record.followUpIds.push(message.id);
		record.followUps.push(message);
		this.context.notifier.notify();
		return message;
	}

	/** PATCH /webhooks/:application_id/:token/messages/:message_id (or @original). */
	public editMessage(record: InteractionRecord, messageId: string, body: unknown, files: readonly UploadedFile[]): APIMessage {
		const target = this.messageOf(record, messageId);
		const messageBody = validateMessageBody(body, files, 'edit');
		const isOriginal = target.message.id === record.originalId;
		const updated = applyMessageEdit(this.context.state, this.context.baseUrl(), target.message, messageBody, files, {
			clearFlags: MessageFlags.Loading
		});
		this.storeUpdate(updated, target.ephemeral, 'interaction-webhook', record);
		if (isOriginal) {
			record.originalLoading = false;
			record.originalEdited = true;
			record.edits.push(structuredClone(updated));
		}
		this.context.notifier.notify();
		return updated;
	}

	/** GET /webhooks/:application_id/:token/messages/:message_id (or @original). */
	public getMessage(record: InteractionRecord, messageId: string): APIMessage {
		return this.messageOf(record, messageId).message;
	}

	/** DELETE /webhooks/:application_id/:token/messages/:message_id (or @original). */
	public deleteMessage(record: InteractionRecord, messageId: string): void {
		const target = this.messageOf(record, messageId);
		this.context.state.removeMessage(target.message, {
			ephemeral: target.ephemeral,
			source: 'interaction-webhook',
			interactionId: record.id
		});
		if (target.message.id === record.originalId) record.originalDeleted = true;
		if (!target.ephemeral) this.context.gateway.messageDelete(target.message);
		this.context.notifier.notify();
	}

	private messageOf(record: InteractionRecord, messageId: string): { message: APIMessage; ephemeral: boolean } {
		const id = messageId === '@original' ? record.originalId : messageId;
		if (!id || (id === record.originalId && record.originalDeleted)) throw DiscordErrors.unknownMessage();
		if (id !== record.originalId && !record.followUpIds.includes(id)) throw DiscordErrors.unknownMessage();
		const found = this.context.state.findMessage(id);
		if (!found) throw DiscordErrors.unknownMessage();
		return found;
	}

	// ------------------------------------------------------------------------- helpers

	private createResponseMessage(
		record: InteractionRecord,
		body: MessageBody,
		files: readonly UploadedFile[],
		ephemeral: boolean,
		extraFlags: number,
		source: MessageSource,
		followUp = false
	): APIMessage {
		const state = this.context.state;
		const message = buildMessage(state, this.context.baseUrl(), {
			channelId: record.channelId,
			author: state.botUser,
			body,
			files,
			type: followUp ? MessageType.Default : messageTypeFor(record),
			allowedFlags: INTERACTION_MESSAGE_FLAGS,
			extraFlags: extraFlags | (ephemeral ? MessageFlags.Ephemeral : 0),
			webhookId: state.applicationId,
			applicationId: state.applicationId,
			interactionMetadata: this.metadataFor(record, followUp),
			...(record.sourceMessageId && !followUp
				? {
						messageReference: {
							type: 0,
							message_id: record.sourceMessageId,
							channel_id: record.channelId,
							...(record.guildId ? { guild_id: record.guildId } : {})
						}
					}
				: {})
		});
		if (!ephemeral) {
			message.flags = (message.flags ?? 0) & ~MessageFlags.Ephemeral;
		}
		state.insertMessage(message, { ephemeral, source, interactionId: record.id });
		if (!ephemeral) this.context.gateway.messageCreate(message);
		return message;
	}

	private storeUpdate(message: APIMessage, ephemeral: boolean, source: MessageSource, record: InteractionRecord): void {
		this.context.state.replaceMessage(message, { ephemeral, source, interactionId: record.id });
		if (!ephemeral) this.context.gateway.messageUpdate(message);
	}

	private metadataFor(record: InteractionRecord, followUp: boolean): APIMessageInteractionMetadata {
		const payload = record.payload;
		const owners = payload.authorizing_integration_owners;
		const base = { id: record.id, user: record.user, authorizing_integration_owners: owners };
		const extra = followUp && record.originalId ? { original_response_message_id: record.originalId } : {};
		if (payload.type === InteractionType.MessageComponent) {
			return { ...base, ...extra, type: InteractionType.MessageComponent, interacted_message_id: record.sourceMessageId ?? '' };
		}
		if (payload.type === InteractionType.ModalSubmit) {
			return {
				...base,
				...extra,
				type: InteractionType.ModalSubmit,
				triggering_interaction_metadata:
					record.trigger?.type === InteractionType.MessageComponent
						? {
								id: record.trigger.id,
								type: InteractionType.MessageComponent,
								user: record.user,
								authorizing_integration_owners: owners,
								interacted_message_id: record.trigger.sourceMessageId ?? ''
							}
						: {
								id: record.trigger?.id ?? record.id,
								type: InteractionType.ApplicationCommand,
								user: record.user,
								authorizing_integration_owners: owners
							}
			};
		}
		return { ...base, ...extra, type: InteractionType.ApplicationCommand };
	}
}

function messageTypeFor(record: InteractionRecord): MessageType {
	if (record.sourceMessageId) return MessageType.Reply;
	const payload = record.payload;
	if (payload.type === InteractionType.ApplicationCommand) {
		return payload.data.type === ApplicationCommandType.ChatInput ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand;
	}
	return MessageType.ChatInputCommand;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function validateAutocomplete(data: unknown): void {
	const errors = new FormErrors();
	const choices = isObject(data) ? data.choices : undefined;
	if (choices !== undefined) {
		if (!Array.isArray(choices)) errors.add(['data', 'choices'], 'BASE_TYPE_ARRAY', 'Must be an array.');
		else {
			if (choices.length > 25) errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
			choices.forEach((choice: unknown, index) => {
				const name = isObject(choice) ? choice.name : undefined;
				if (typeof name !== 'string' || [...name].length < 1 || [...name].length > 100) {
					errors.add(['data', 'choices', index, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
				}
			});
		}
	}
	errors.throwIfAny();
}

function validateModal(data: unknown): void {
	const errors = new FormErrors();
	if (!isObject(data)) {
		errors.add(['data'], 'BASE_TYPE_REQUIRED', 'This field is required');
		errors.throwIfAny();
		return;
	}
	const customId = data.custom_id;
	if (typeof customId !== 'string' || customId.length < 1 || customId.length > 100) {
		errors.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
	}
	const title = data.title;
	if (typeof title !== 'string' || [...title].length < 1 || [...title].length > 45) {
		errors.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
	}
	const components = data.components;
	if (!Array.isArray(components) || components.length < 1 || components.length > 5) {
		errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
	}
	errors.throwIfAny();
}
