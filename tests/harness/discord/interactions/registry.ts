import { ApplicationCommandType, InteractionType, MessageFlags, MessageType } from 'discord-api-types/v10';
import type { APIInteraction, APIMessage, APIMessageInteractionMetadata, APIUser } from 'discord-api-types/v10';
import type { UploadedFile } from '../http.js';
import { buildMessage, INTERACTION_MESSAGE_FLAGS, type MessageBody } from '../messages.js';
import type { MessageSource } from '../state.js';
import { InteractionHandle } from './handle.js';
import type { InteractionContext, InteractionRecord, SubmitModalFromHandleInput } from './records.js';

/**
 * Interaction bookkeeping: records by token, first-response deadlines, and the messages interactions create.
 * InteractionService adds callbacks and the interaction webhooks on top.
 */
export class InteractionRegistry {
	protected readonly byToken = new Map<string, InteractionRecord>();
	/** Real-time timers that expire an interaction left unanswered past the first-response deadline. */
	protected readonly deadlines = new Map<string, NodeJS.Timeout>();
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
		this.byToken.set(record.token, record);
		this.records.push(record);
		// Discord: "you must send an initial response within 3 seconds of receiving the event. If the 3 second
		// deadline is exceeded, the token will be invalidated" (discord-api-docs developers/interactions/
		// receiving-and-responding.mdx, "Interaction Callback"); this holds for autocomplete too, whose
		// only response is the callback. The timer marks the interaction failed at that moment, in real time,
		// so waiters see it even if the bot never answers.
		const timer = setTimeout(() => {
			this.deadlines.delete(record.token);
			if (this.checkExpired(record)) this.context.notifier.notify();
		}, this.context.timing.responseWindowMs + 1);
		timer.unref();
		this.deadlines.set(record.token, timer);
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
		for (const timer of this.deadlines.values()) clearTimeout(timer);
		this.deadlines.clear();
	}

	/** Forgets a registration whose dispatch reached nobody. */
	public unregister(handle: InteractionHandle): void {
		clearTimeout(this.deadlines.get(handle.token));
		this.deadlines.delete(handle.token);
		this.byToken.delete(handle.token);
		const index = this.records.findIndex((r) => r.id === handle.id);
		if (index >= 0) this.records.splice(index, 1);
	}

	public submitModalFor(record: InteractionRecord, input: SubmitModalFromHandleInput): InteractionHandle {
		if (!this.modalSubmitter) throw new Error('Discord stand-in: modal submission is not wired');
		return this.modalSubmitter(record, input);
	}

	public recordByToken(token: string): InteractionRecord | undefined {
		return this.byToken.get(token);
	}

	// ------------------------------------------------------------------------- POST /interactions/:id/:token/callback
	// ------------------------------------------------------------------------- helpers

	protected createResponseMessage(
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

	protected storeUpdate(message: APIMessage, ephemeral: boolean, source: MessageSource, record: InteractionRecord): void {
		this.context.state.replaceMessage(message, { ephemeral, source, interactionId: record.id });
		if (!ephemeral) this.context.gateway.messageUpdate(message);
	}

	protected metadataFor(record: InteractionRecord, followUp: boolean): APIMessageInteractionMetadata {
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
