import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';

/** What a Discord fix may name. */
export interface DiscordFixContext {
	readonly apiUrl: string;
	readonly channelId?: string | undefined;
}

/** Which call failed: a 403 means one thing on a channel and another on the application. */
export type DiscordCallKind = 'login' | 'application' | 'commands' | 'channel' | 'post' | 'delete';

const PORTAL = 'https://discord.com/developers/applications';

/** What Discord answered, for the table: status and Discord's own code and message (they never quote the token). */
export function discordDetail(error: unknown): string {
	if (error instanceof DiscordAPIError)
		return `HTTP ${error.status}, Discord code ${error.code}: ${'message' in error.rawError ? error.rawError.message : error.message}`;
	if (error instanceof HTTPError) return `HTTP ${error.status} ${error.message}`;
	if (isTimeout(error)) return 'no answer in time';
	const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
	return `could not connect${typeof cause === 'string' ? ` (${cause})` : ''}`;
}

function isTimeout(error: unknown): boolean {
	return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function channelName(context: DiscordFixContext): string {
	return context.channelId === undefined ? 'the channel' : `channel ${context.channelId}`;
}

/** The fix for a failed Discord call, from the HTTP status and Discord's JSON error code. */
export function discordFix(error: unknown, kind: DiscordCallKind, context: DiscordFixContext): string {
	if (error instanceof DiscordAPIError) {
		if (error.status === 401) {
			return `Discord refused the bot token: it was reset or mistyped. In the developer portal (${PORTAL}) > your application > Bot, press Reset Token and put the new token in DISCORD_TOKEN.`;
		}
		switch (error.code) {
			case RESTJSONErrorCodes.UnknownChannel:
				return `Discord knows no ${channelName(context)} the bot can reach: check the id given to --channel (Discord: User Settings > Advanced > Developer Mode, then right-click the channel > Copy Channel ID).`;
			case RESTJSONErrorCodes.MissingAccess:
				return `The bot cannot see ${channelName(context)}: invite it to that server (OAuth2 URL with the bot scope) and allow it View Channel there (channel > Edit Channel > Permissions).`;
			case RESTJSONErrorCodes.MissingPermissions:
				return kind === 'delete'
					? `The bot may not delete its message in ${channelName(context)}: allow it View Channel and Read Message History there.`
					: `The bot lacks the Send Messages permission in ${channelName(context)}: allow it View Channel and Send Messages there (channel > Edit Channel > Permissions).`;
			case RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel:
				return `${channelName(context)} is not a text channel: name a text channel with --channel.`;
			case RESTJSONErrorCodes.CannotSendMessagesToThisUser:
				return 'Discord does not let the bot write there: name a server text channel with --channel.';
			default:
				break;
		}
		if (error.status === 429)
			return 'Discord is rate limiting the bot right now (another process uses the same token?): run the check again in a minute.';
		if (error.status === 403 && kind === 'application')
			return 'Discord refused to show the application to its bot token: check that DISCORD_TOKEN is the token of the bot of this application.';
		return `Discord refused the call (${discordDetail(error)}): run the check again; if it fails the same way, look the code up in Discord’s JSON error codes.`;
	}
	if (error instanceof HTTPError) {
		return `Discord had a server error (HTTP ${error.status}): run the check again in a few minutes, and see https://discordstatus.com.`;
	}
	if (isTimeout(error)) return `Discord did not answer in time at ${context.apiUrl}: check the network (proxy, firewall) and run the check again.`;
	return `Discord cannot be reached at ${context.apiUrl}: check that this machine may reach it (DNS, proxy, firewall) and that DISCORD_API_URL is right (unset means https://discord.com/api).`;
}
