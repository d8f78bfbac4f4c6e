import type { APIMessage } from 'discord-api-types/v10';
import { GuildState } from './guilds.js';
import type { MessageEvent, MessageEventKind, MessageSource } from './shapes.js';

/** Channel history, ephemeral messages and the log of message events. */
export class MessageState extends GuildState {
	// ----------------------------------------------------------------------------- messages

	/** Stores a new message (channel history, or the ephemeral store) and logs the event. */
	public insertMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): APIMessage {
		if (meta.ephemeral) {
			this.ephemeralMessages.set(message.id, message);
		} else {
			let messages = this.channelMessages.get(message.channel_id);
			if (!messages) {
				messages = new Map();
				this.channelMessages.set(message.channel_id, messages);
			}
			messages.set(message.id, message);
			const channel = this.channels.get(message.channel_id);
			if (channel && 'last_message_id' in channel) channel.last_message_id = message.id;
		}
		this.logMessageEvent('create', message, meta);
		return message;
	}

	/** Finds a message by id: in a channel's history (if given) or anywhere, ephemeral included. */
	public findMessage(messageId: string, channelId?: string): { message: APIMessage; ephemeral: boolean } | undefined {
		if (channelId !== undefined) {
			const message = this.channelMessages.get(channelId)?.get(messageId);
			return message ? { message, ephemeral: false } : undefined;
		}
		for (const messages of this.channelMessages.values()) {
			const message = messages.get(messageId);
			if (message) return { message, ephemeral: false };
		}
		const ephemeral = this.ephemeralMessages.get(messageId);
		return ephemeral ? { message: ephemeral, ephemeral: true } : undefined;
	}

	public replaceMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): APIMessage {
		if (meta.ephemeral) this.ephemeralMessages.set(message.id, message);
		else this.channelMessages.get(message.channel_id)?.set(message.id, message);
		this.logMessageEvent('update', message, meta);
		return message;
	}

	public removeMessage(message: APIMessage, meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }): void {
		if (meta.ephemeral) this.ephemeralMessages.delete(message.id);
		else this.channelMessages.get(message.channel_id)?.delete(message.id);
		this.logMessageEvent('delete', message, meta);
	}

	/** A channel's messages, oldest first. */
	public messagesIn(channelId: string): APIMessage[] {
		return [...(this.channelMessages.get(channelId)?.values() ?? [])];
	}

	private logMessageEvent(
		kind: MessageEventKind,
		message: APIMessage,
		meta: { ephemeral: boolean; source: MessageSource; interactionId?: string | undefined }
	): void {
		const event: MessageEvent = {
			kind,
			channelId: message.channel_id,
			messageId: message.id,
			message: structuredClone(message),
			ephemeral: meta.ephemeral,
			source: meta.source,
			at: Date.now()
		};
		if (meta.interactionId !== undefined) event.interactionId = meta.interactionId;
		this.messageEvents.push(event);
		this.changed();
	}
}
