/** The socket's bounds; each one keeps one client, or many, from costing the bot more than a room is worth. */
export const SOCKET_PATH = '/api/v1/activity/socket';
/** Largest message a client may send (bytes): a control is well under 200; anything larger is closed with 1009 by ws. */
export const MAX_MESSAGE_BYTES = 4 * 1024;
/** Rooms with participants on this process at once; the next instance is turned away (4005). */
export const MAX_ROOMS_PER_PROCESS = 10_000;
/** Sockets one member may hold in one room at once (a few devices); the next is closed (4005). */
export const MAX_SOCKETS_PER_MEMBER = 4;
/** Sockets from one remote address that have not said hello yet; the next upgrade is answered 429. */
export const MAX_UNAUTHENTICATED_PER_ADDRESS = 20;
/** Time for the first `hello` after the upgrade. */
export const HELLO_TIMEOUT_MS = 5_000;
/** Protocol pings: a socket that did not answer the previous one is dropped (a vanished client holds no seat). */
export const KEEPALIVE_INTERVAL_MS = 30_000;
/** Messages a socket may send: a bucket of `burst`, refilled at `perSecond`. */
export const MESSAGE_RATE = { perSecond: 20, burst: 40 } as const;
/** Messages dropped for the rate beyond which the socket is closed (4008). */
export const MAX_DROPPED_MESSAGES = 100;

/** Close codes the Activity acts on (4000-4999 are the application's, RFC 6455 7.4.2). */
export const CLOSE = {
	/** No hello in time, or a token that is not a valid session token (forged, expired, another kind). */
	unauthorized: 4001,
	/** The member is not in the instance (any more), or the server is not served or has the plugin off. */
	forbidden: 4003,
	/** The session token expired while connected: sign in again (a new hello with a fresh token keeps the socket open). */
	sessionExpired: 4004,
	/** The room is full (the server's maxParticipants), the member has as many sockets in it as they may, or this process holds all the rooms it may. */
	full: 4005,
	/** Too many messages. */
	rateLimited: 4008,
	/** Discord could not be asked who is in the instance; try again. */
	tryAgain: 1013,
	goingAway: 1001
} as const;

/** A token bucket: `take()` says whether one more message fits. */
export class MessageBucket {
	#tokens: number = MESSAGE_RATE.burst;
	#last = Date.now();

	public take(now = Date.now()): boolean {
		this.#tokens = Math.min(MESSAGE_RATE.burst, this.#tokens + ((now - this.#last) / 1000) * MESSAGE_RATE.perSecond);
		this.#last = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
