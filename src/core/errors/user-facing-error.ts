/**
 * What a use case throws when the member (or the API client) asked for something that cannot be done, in words
 * written for them: "that meeting has ended", "Kaltura is busy". It is answered in one place per surface: the
 * command, context-menu and interaction-handler error listeners send `message` as a private reply, and
 * `ApiRoute.run` sends `status` with `{ "error": { code, message: apiMessage } }`. Anything else thrown is a bug:
 * logged, and answered with a generic sentence.
 *
 * Its text is shown as it is: never put a secret (KS, token, stream key, admin secret) or a third party's raw
 * error message in it. Use `cause` to keep the original error for the log.
 */
export interface UserFacingErrorOptions {
	/** The HTTP status the API answers with (400 when not given). */
	readonly status?: number;
	/** The API's sentence when it differs from the member's (the API has no "/meeting list" to point at, say). */
	readonly apiMessage?: string;
	/** Extra structured detail for the API's error body (validation issues, say). */
	readonly details?: unknown;
	/** Response headers that go with this error on the API (such as `Connection: close`). */
	readonly headers?: Readonly<Record<string, string>>;
	/** What went wrong underneath, for the log only. */
	readonly cause?: unknown;
}

export class UserFacingError extends Error {
	/** A stable, machine-readable name of what went wrong (`meeting_ended`, `kaltura_error`): the API's `error.code`. */
	public readonly code: string;
	public readonly status: number;
	public readonly apiMessage: string;
	public readonly details: unknown;
	public readonly headers: Readonly<Record<string, string>>;

	public constructor(code: string, message: string, options: UserFacingErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = 'UserFacingError';
		this.code = code;
		this.status = options.status ?? 400;
		this.apiMessage = options.apiMessage ?? message;
		this.details = options.details;
		this.headers = options.headers ?? {};
	}
}
