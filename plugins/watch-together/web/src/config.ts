import { BotApiError } from './api.js';

export interface UrlMapping {
	readonly prefix: string;
	readonly target: string;
}

/** What the bot tells the app at start: its Discord application id, and the portal's URL mappings if any. */
export interface ActivityConfig {
	readonly clientId: string;
	readonly urlMappings: readonly UrlMapping[];
}

/** Reads `config.json` beside the page (the bot's `/activity/config.json`), so no id is baked into the build. */
export async function loadConfig(): Promise<ActivityConfig> {
	const response = await fetch(new URL('config.json', location.href), { cache: 'no-store' });
	const body = (await response.json().catch(() => null)) as { clientId?: unknown; urlMappings?: unknown; error?: { code?: string } } | null;
	if (!response.ok || typeof body?.clientId !== 'string') {
		throw new BotApiError(response.status, body?.error?.code ?? 'activity_not_configured', 'This server has not set the Activity up yet.');
	}
	const mappings = Array.isArray(body.urlMappings) ? body.urlMappings : [];
	return {
		clientId: body.clientId,
		urlMappings: mappings.filter((mapping): mapping is UrlMapping => typeof mapping?.prefix === 'string' && typeof mapping?.target === 'string')
	};
}
