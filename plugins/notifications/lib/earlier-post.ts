import { z } from 'zod';
import type { OutboxRow } from './store/notification-store.js';

/**
 * A channel message as Get Channel Messages returns it (discord-api-docs developers/resources/message.mdx),
 * as far as finding an earlier post needs: its id, its author's id and its embeds' footers.
 */
export const channelMessageSchema = z.object({
	id: z.string(),
	author: z.object({ id: z.string() }),
	embeds: z.array(z.object({ footer: z.object({ text: z.string() }).optional() })).optional()
});

export type ChannelMessage = z.infer<typeof channelMessageSchema>;

/** Reads a channel's messages: GET /channels/{id}/messages with `after` and `limit`. */
export interface ChannelReader {
	/** Up to `limit` (1–100) messages with ids above `after`, in any order (Discord answers newest first). */
	messagesAfter(channelId: string, after: string, limit: number): Promise<readonly ChannelMessage[]>;
	/** The bot's own user id, to tell its posts from others'; undefined before login. */
	selfId(): string | undefined;
}

/** The delivery id a message carries: the same text as the nonce of its send (`kdn-<row id>`). */
export const deliveryIdOf = (row: Pick<OutboxRow, 'id'>) => `kdn-${row.id}`;

/** Kept out of the way of whatever the guild's template says: the footer is the bot's, not the template's. */
const FOOTER_PREFIX = 'Kaltura · ';
const FOOTER_ID = /(?:^|\s)(kdn-\d+)$/;

/**
 * The body with the delivery id in the footer of its first embed. The footer, not the content or a field:
 * Discord keeps the nonce of a send only a few minutes and does not return it when messages are read back,
 * so the id has to be in what the message shows. The footer is small grey text under the embed, which
 * templates never fill (they set title and description), members cannot edit (only the bot edits its
 * messages), and every send writes again (a follow-up edit marks the message with its own delivery).
 * A body without an embed is left as it is and is never found again.
 */
export function withDeliveryId(body: Record<string, unknown>, row: Pick<OutboxRow, 'id'>): Record<string, unknown> {
	const embeds: unknown = body.embeds;
	if (!Array.isArray(embeds)) return body;
	const [first, ...rest]: unknown[] = embeds;
	if (!isObject(first)) return body;
	const footer = isObject(first.footer) ? first.footer : undefined;
	const text =
		typeof footer?.text === 'string' && footer.text !== ''
			? `${footer.text.replace(FOOTER_ID, '').trimEnd()} ${deliveryIdOf(row)}`
			: `${FOOTER_PREFIX}${deliveryIdOf(row)}`;
	return { ...body, embeds: [{ ...first, footer: { ...footer, text } }, ...rest] };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/** The delivery id a message carries, if any. */
export function deliveryIdIn(message: Pick<ChannelMessage, 'embeds'>): string | undefined {
	for (const embed of message.embeds ?? []) {
		const found = FOOTER_ID.exec(embed.footer?.text ?? '');
		if (found) return found[1];
	}
	return undefined;
}

/** Milliseconds of Discord's epoch (2015-01-01T00:00:00Z), the origin of a snowflake's timestamp. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** The lowest snowflake of a moment: every message created at or after `unixMs` has a higher id. */
export function snowflakeAt(unixMs: number): string {
	const since = BigInt(Math.max(0, Math.floor(unixMs))) - DISCORD_EPOCH;
	return since <= 0n ? '0' : String(since << 22n);
}

export interface EarlierPostSearch {
	/** Subtracted from the first claim's time, for the bot's clock being ahead of Discord's (default 60 s). */
	readonly clockMarginMs?: number;
	/** Pages of 100 read at most (default 10): the search costs requests, and a channel can be busy. */
	readonly maxPages?: number;
}

export type EarlierPostResult = { readonly found: ChannelMessage } | { readonly found: undefined; readonly complete: boolean };

/**
 * Looks for the bot's message carrying the row's delivery id among the channel's messages created since the
 * row was first claimed (no earlier send of it can be older), reading forward in pages of 100 from there.
 * `complete` is false when the pages ran out before the channel's newest message.
 */
export async function findEarlierPost(
	reader: ChannelReader,
	row: Pick<OutboxRow, 'id' | 'channel_id' | 'first_claimed_at'>,
	search: EarlierPostSearch = {}
): Promise<EarlierPostResult> {
	if (row.first_claimed_at === null) return { found: undefined, complete: true };
	const wanted = deliveryIdOf(row);
	const self = reader.selfId();
	let after = snowflakeAt(row.first_claimed_at - (search.clockMarginMs ?? 60_000));
	for (let page = 0; page < (search.maxPages ?? 10); page++) {
		const messages = await reader.messagesAfter(row.channel_id, after, 100);
		// Only the bot's own: without knowing who it is, nothing is taken for its post.
		const found = messages.find((message) => self !== undefined && message.author.id === self && deliveryIdIn(message) === wanted);
		if (found !== undefined) return { found };
		if (messages.length < 100) return { found: undefined, complete: true };
		// The page's highest id, whatever order Discord gave the page in.
		after = messages.reduce((highest, message) => (BigInt(message.id) > BigInt(highest) ? message.id : highest), after);
	}
	return { found: undefined, complete: false };
}
