import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { APIMessage } from 'discord-api-types/v10';
import { DiscordErrors } from '../errors.js';
import type { UploadedFile } from '../http.js';
import { applyMessageEdit, validateMessageBody } from '../messages.js';
import { InteractionCallbacks } from './callbacks.js';
import { MESSAGE_CALLBACKS, type InteractionRecord } from './records.js';

/**
 * Interaction bookkeeping and Discord's rules for answering them: callbacks, @original,
 * follow-ups, deadlines and acknowledgement uniqueness.
 */
export class InteractionService extends InteractionCallbacks {
	// ------------------------------------------------------------------------- /webhooks/:application_id/:token…

	/** Resolves an interaction webhook; throws Discord's errors for unknown/expired tokens. */
	public webhookRecord(webhookId: string, token: string): InteractionRecord {
		const record = this.byToken.get(token);
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
}
