import { z } from 'zod';
import { isEntryId } from '../../videos/api.js';

/** Seconds: a week of video is more than any entry. */
const POSITION = z
	.number()
	.finite()
	.min(0)
	.max(7 * 24 * 3600);

/** What a client may send (the contract's client → server messages); anything else is answered with an error. */
export const clientMessageSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('hello'), token: z.string().min(1).max(2048) }),
	z.object({ type: z.literal('ping'), t: z.number().finite() }),
	z.object({
		type: z.literal('control'),
		id: z.union([z.string().max(64), z.number().finite()]),
		action: z.enum(['play', 'pause', 'seek', 'load', 'handoff']),
		position: POSITION.optional(),
		entryId: z.string().max(64).refine(isEntryId, { error: 'is not a Kaltura entry id' }).optional(),
		to: z
			.string()
			.regex(/^\d{17,20}$/)
			.optional()
	})
]);

export type ClientMessage = z.output<typeof clientMessageSchema>;
export type ControlMessage = Extract<ClientMessage, { type: 'control' }>;

/** The message in a text frame, or why not: `invalid_json` (not JSON) or `invalid_message` (JSON of no known shape). */
export function parseClientMessage(text: string): ClientMessage | 'invalid_json' | 'invalid_message' {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return 'invalid_json';
	}
	const result = clientMessageSchema.safeParse(value);
	return result.success ? result.data : 'invalid_message';
}
