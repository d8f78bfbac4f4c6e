import { InteractionResponseType } from 'discord-api-types/v10';
import { MEMBER, chatInputInteraction, dispatchInteraction, stringOption } from './raw-interactions.js';
import type { RestRecorder } from './rest-recorder.js';

/** What the bot's `/video search` reply is edited to, as far as the tests read it. */
export interface VideoSearchReply {
	content?: string;
	embeds?: { title?: string; description?: string; footer?: { text: string } }[];
}

/** Discord's first answer to the interaction: the bot defers privately, or answers at once. */
export interface VideoSearchDeferral {
	type: number;
	data?: { flags?: number; content?: string };
}

/**
 * Runs `/video search query:<query>` as {@link MEMBER} through the bot's own pipeline on the REST recorder, and returns
 * the first answer and the final edit of the reply (empty when the bot answered at once instead of deferring).
 */
export async function runVideoSearch(
	recorder: RestRecorder,
	client: object,
	query: string,
	{ guildId, timeoutMs }: { readonly guildId: string; readonly timeoutMs?: number }
): Promise<{ deferral: VideoSearchDeferral; edit: VideoSearchReply }> {
	const raw = chatInputInteraction({ guildId, member: MEMBER, name: 'video', subcommand: 'search', options: [stringOption('query', query)] });
	dispatchInteraction(client, raw);
	const callback = await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`), timeoutMs);
	const deferral = callback.body as VideoSearchDeferral;
	if (deferral.type !== InteractionResponseType.DeferredChannelMessageWithSource) return { deferral, edit: {} };
	const edit = await recorder.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${raw.token}/messages/(@|%40)original`), timeoutMs);
	return { deferral, edit: edit.body as VideoSearchReply };
}
