import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { APIModalInteractionResponseCallbackData, RESTPostAPIInteractionCallbackWithResponseResult } from 'discord-api-types/v10';
import { DiscordErrors, DiscordHTTPError, FormErrors } from '../errors.js';
import type { UploadedFile } from '../http.js';
import { applyMessageEdit, validateMessageBody } from '../messages.js';
import { ALLOWED_CALLBACKS, MESSAGE_CALLBACKS, type CallbackRecord, type InteractionRecord } from './records.js';
import { InteractionRegistry } from './registry.js';

/** POST /interactions/:id/:token/callback: Discord's rules for acknowledging an interaction. */
export class InteractionCallbacks extends InteractionRegistry {
	/** Launches (or joins) the Activity for a LAUNCH_ACTIVITY callback; undefined when the application has none enabled. */
	public activityLauncher: ((record: InteractionRecord) => { readonly instanceId: string } | undefined) | undefined;

	public callback(
		interactionId: string,
		token: string,
		body: unknown,
		files: readonly UploadedFile[],
		withResponse: boolean
	): RESTPostAPIInteractionCallbackWithResponseResult | undefined {
		const record = this.byToken.get(token);
		if (!record || record.id !== interactionId) throw DiscordErrors.unknownInteraction();
		try {
			const result = this.acknowledge(record, body, files, withResponse);
			clearTimeout(this.deadlines.get(token));
			this.deadlines.delete(token);
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

		let activityInstanceId: string | undefined;
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
			case InteractionResponseType.LaunchActivity: {
				// "Only available for apps with Activities enabled" (developers/interactions/receiving-and-responding.mdx,
				// Interaction Callback Type). The docs name no error for an app without them: a 400 on `type` is assumed.
				const instance = this.activityLauncher?.(record);
				if (instance === undefined) {
					const errors = new FormErrors();
					errors.add(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'This application has no Activities enabled');
					errors.throwIfAny();
				}
				activityInstanceId = instance?.instanceId;
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
		// The instance launched or joined: `interaction.activity_instance_id` and `resource.activity_instance.id`.
		if (activityInstanceId !== undefined) {
			result.interaction.activity_instance_id = activityInstanceId;
			result.resource.activity_instance = { id: activityInstanceId };
		}
		if (
			callback.message &&
			(callbackType === InteractionResponseType.ChannelMessageWithSource || callbackType === InteractionResponseType.UpdateMessage)
		) {
			result.resource.message = callback.message;
		}
		return result;
	}
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
