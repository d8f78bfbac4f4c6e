import type { ActivitySession, Playback, VideoSummary } from './types.js';

/** An error the bot answered with, carrying its code from the `{ "error": { "code", "message" } }` envelope. */
export class BotApiError extends Error {
	public constructor(
		public readonly status: number,
		public readonly code: string,
		message: string
	) {
		super(message);
		this.name = 'BotApiError';
	}
}

const API = '/api/v1/activity';

async function readJson<T>(response: Response): Promise<T> {
	const body: unknown = await response.json().catch(() => null);
	if (response.ok) return body as T;
	const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
	const code = typeof error?.code === 'string' ? error.code : 'http_error';
	const message = typeof error?.message === 'string' ? error.message : `The bot answered ${response.status}.`;
	throw new BotApiError(response.status, code, message);
}

/** Trades Discord's authorization code for Discord's access token and the bot's session token for this instance. */
export async function exchangeCode(code: string, instanceId: string): Promise<ActivitySession> {
	const response = await fetch(`${API}/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ code, instanceId })
	});
	return readJson<ActivitySession>(response);
}

/** How to play one entry, with a Kaltura session for this member only. */
export async function fetchPlayback(sessionToken: string, entryId: string): Promise<Playback> {
	const response = await fetch(`${API}/playback?entryId=${encodeURIComponent(entryId)}`, { headers: { authorization: `Bearer ${sessionToken}` } });
	return readJson<Playback>(response);
}

/** The videos `/video search` would list in this server. */
export async function searchVideos(sessionToken: string, query: string): Promise<VideoSummary[]> {
	const response = await fetch(`${API}/videos?q=${encodeURIComponent(query)}`, { headers: { authorization: `Bearer ${sessionToken}` } });
	return (await readJson<{ videos: VideoSummary[] }>(response)).videos;
}
