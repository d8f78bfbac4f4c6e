import { container } from '@sapphire/framework';
import { Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { channelMessageSchema, type ChannelReader } from './earlier-post.js';

/**
 * What posts and edits messages, and reads a channel back to find an earlier post; the real one is
 * discord.js REST, which waits out 429s itself. A sender without `reader` never finds an earlier post.
 */
export interface MessageSender {
	post(channelId: string, body: Record<string, unknown>): Promise<{ id: string }>;
	edit(channelId: string, messageId: string, body: Record<string, unknown>): Promise<{ id: string }>;
	readonly reader?: ChannelReader;
}

/** Create Message and Edit Message answer the message; only its id is kept. */
const sentMessageSchema = z.object({ id: z.string() });

/** A sender on a discord.js REST instance (looked up per call: the client's may be replaced) and the bot's user id. */
export function restSenderOf(rest: () => REST, selfId: () => string | undefined): MessageSender {
	return {
		post: async (channelId, body) => sentMessageSchema.parse(await rest().post(Routes.channelMessages(channelId), { body })),
		edit: async (channelId, messageId, body) =>
			sentMessageSchema.parse(await rest().patch(Routes.channelMessage(channelId, messageId), { body })),
		reader: {
			// Get Channel Messages (discord-api-docs developers/resources/message.mdx): needs View Channel, answers
			// newest first, and answers an empty list without Read Message History.
			messagesAfter: async (channelId, after, limit) =>
				z.array(channelMessageSchema).parse(
					await rest().get(Routes.channelMessages(channelId), {
						query: new URLSearchParams({ after, limit: String(limit) })
					})
				),
			selfId
		}
	};
}

/** The bot's own sender: the client's REST and user. */
export const clientSender = restSenderOf(
	() => container.client.rest,
	() => container.client.user?.id
);
