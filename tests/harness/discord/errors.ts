import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { RESTError, RESTErrorData } from 'discord-api-types/v10';

/** An error response in Discord's JSON error format; route handlers throw it. */
export class DiscordHTTPError extends Error {
	public constructor(
		public readonly status: number,
		public readonly body: RESTError
	) {
		super(`${status} ${body.code} ${body.message}`);
		this.name = 'DiscordHTTPError';
	}
}

const error = (status: number, code: number, message: string): DiscordHTTPError => new DiscordHTTPError(status, { code, message });

/** The errors the stand-in answers with, with Discord's status, code and message. */
export const DiscordErrors = {
	notFound: () => error(404, 0, '404: Not Found'),
	methodNotAllowed: () => error(405, 0, '405: Method Not Allowed'),
	unauthorized: () => error(401, 0, '401: Unauthorized'),
	unknownApplication: () => error(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application'),
	unknownChannel: () => error(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel'),
	unknownGuild: () => error(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild'),
	unknownMember: () => error(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member'),
	unknownMessage: () => error(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message'),
	unknownRole: () => error(404, RESTJSONErrorCodes.UnknownRole, 'Unknown Role'),
	unknownUser: () => error(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User'),
	unknownWebhook: () => error(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook'),
	unknownInteraction: () => error(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction'),
	unknownApplicationCommand: () => error(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command'),
	alreadyAcknowledged: () => error(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.'),
	missingAccess: () => error(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access'),
	missingPermissions: () => error(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions'),
	cannotSendEmptyMessage: () => error(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message'),
	cannotEditOthersMessage: () =>
		error(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user'),
	cannotSendMessagesToThisUser: () => error(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user'),
	invalidWebhookToken: () => error(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token'),
	invalidJson: () => error(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.'),
	maxApplicationCommands: (max: number) =>
		error(400, RESTJSONErrorCodes.MaximumNumberOfApplicationCommandsReached, `Maximum number of application commands reached (${max})`),
	invalidFormBody: (errors: RESTErrorData) =>
		new DiscordHTTPError(400, {
			code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
			message: 'Invalid Form Body',
			errors
		})
} as const;

export type ErrorPath = readonly (string | number)[];

/**
 * Collects field errors and nests them the way Discord does:
 * `{ "0": { "options": { "2": { "_errors": [{ code, message }] } } } }`.
 */
export class FormErrors {
	readonly #root: Record<string, unknown> = {};
	#count = 0;

	public add(path: ErrorPath, code: string, message: string): void {
		let node: Record<string, unknown> = this.#root;
		for (const key of path) {
			const k = String(key);
			const next = node[k];
			if (next && typeof next === 'object') {
				node = next as Record<string, unknown>;
			} else {
				const created: Record<string, unknown> = {};
				node[k] = created;
				node = created;
			}
		}
		const list = (node._errors ??= []) as { code: string; message: string }[];
		list.push({ code, message });
		this.#count += 1;
	}

	public get size(): number {
		return this.#count;
	}

	public toJSON(): RESTErrorData {
		return this.#root as RESTErrorData;
	}

	/** Throws Discord's 400 Invalid Form Body (50035) when any error was added. */
	public throwIfAny(): void {
		if (this.#count > 0) throw DiscordErrors.invalidFormBody(this.toJSON());
	}
}
