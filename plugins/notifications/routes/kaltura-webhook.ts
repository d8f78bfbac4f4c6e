import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, CountedLog, PublicApiRoute, readRawBody, sendApiError } from '#sdk';
import { fanOut, type FanOut } from '../lib/fan-out.js';
import { HASH_ALGO_HEADER, SIGNATURE_HEADER, verifyKalturaSignature } from '../lib/kaltura-signature.js';
import { normaliseNotification } from '../lib/normalise.js';
import { notificationKey, parseNotificationBody } from '../lib/parse-notification.js';
import { SignatureThrottle } from '../lib/signature-throttle.js';
import type { InsertResult } from '../lib/store/notification-store.js';
import notifications from '../plugin.js';
import { webhookSignatureFailures, webhooks } from '../lib/notifications-metrics.js';

/** Kaltura's notification bodies are small JSON objects; this leaves room for a long entry description. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const DAY_MS = 86_400_000;
/** Lines about what anyone can send (bad signatures, altered or unreadable bodies): at most one a minute each, with a count. */
const LOG_INTERVAL_MS = 60_000;

const SIGNATURE_REFUSED = new ApiError(401, 'invalid_signature', 'The notification signature was refused.');
const STORE_UNAVAILABLE = new ApiError(503, 'store_unavailable', 'The notification could not be stored right now; send it again later.');

/**
 * `POST /api/v1/webhooks/kaltura`: Kaltura's HTTP event notifications. Signed with the partner's admin
 * secret (no JWT), stored once per job id, answered 200 only after the store has it, since anything
 * but 200/204 makes Kaltura send it again.
 *
 * In order: the signature, with the operator's hash (401, or 429 for an address that keeps failing); then the
 * body's form, on the signed bytes only (400 for signs of bytes added after signing: see parse-notification.ts);
 * then what Kaltura may really have sent but the plugin cannot read (200 `unprocessable`, or Kaltura would send it
 * for ever) and notifications about objects last changed longer ago than NOTIFICATIONS_MAX_EVENT_AGE_DAYS (200
 * `stale`, not posted: a replay); then the store, which refuses a key it has seen (200 `duplicate`).
 */
export class KalturaWebhookRoute extends PublicApiRoute {
	readonly #throttle = new SignatureThrottle();
	readonly #badSignatures = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
		this.container.logger.warn(`Kaltura webhook: ${count} notification(s) with a refused signature in the last minute (latest from ${latest}).`)
	);
	readonly #altered = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
		this.container.logger.warn(
			`Kaltura webhook: ${count} signed notification(s) refused as altered after signing in the last minute (latest: ${latest}).`
		)
	);
	readonly #unprocessable = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
		this.container.logger.warn(
			`Kaltura webhook: ${count} signed notification(s) acknowledged but not read in the last minute (latest: ${latest}); check that the templates send JSON (npm run kaltura:webhooks).`
		)
	);
	readonly #stale = new CountedLog(LOG_INTERVAL_MS, (count, latest) =>
		this.container.logger.info(
			`Kaltura webhook: ${count} notification(s) about objects changed too long ago acknowledged and not posted in the last minute (latest: ${latest}).`
		)
	);

	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'webhooks/kaltura', methods: ['POST'] });
	}

	public override async onUnload(): Promise<void> {
		for (const log of [this.#badSignatures, this.#altered, this.#unprocessable, this.#stale]) log.flush();
		await super.onUnload();
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		const { env } = this.container;
		const secret = env.KALTURA_ADMIN_SECRET;
		if (secret === undefined) {
			throw new ApiError(503, 'webhooks_not_configured', 'Kaltura webhooks are not set up on this bot: they need the partner admin secret.');
		}
		const raw = await readRawBody(request, WEBHOOK_BODY_LIMIT);
		if (
			!verifyKalturaSignature(
				secret,
				raw,
				request.headers[SIGNATURE_HEADER],
				request.headers[HASH_ALGO_HEADER],
				notifications.env().KALTURA_WEBHOOK_HASH
			)
		) {
			webhookSignatureFailures.inc({});
			webhooks.inc({ type: 'unknown', outcome: 'refused' });
			const address = request.socket.remoteAddress;
			this.#badSignatures.note(address ?? 'an unknown address');
			const wait = this.#throttle.fail(address);
			// Sent here rather than thrown: the route base would add a Bearer challenge, which does not apply.
			if (wait === 0) sendApiError(response, SIGNATURE_REFUSED);
			// Closed after the answer too, so each further try costs the sender a new connection.
			else sendApiError(response, tooManyFailures(wait), { 'Retry-After': String(wait), Connection: 'close' });
			return;
		}
		const parsed = parseNotificationBody(raw);
		if (parsed.kind === 'tampered') {
			this.#altered.note(parsed.code);
			webhooks.inc({ type: 'unknown', outcome: 'refused' });
			throw ApiError.badRequest(parsed.code, parsed.message);
		}
		if (parsed.kind === 'unprocessable') {
			this.#unprocessable.note(parsed.reason);
			webhooks.inc({ type: 'unknown', outcome: 'unprocessable' });
			response.ok({ status: 'unprocessable', reason: parsed.reason });
			return;
		}
		const { payload } = parsed;
		const normalised = normaliseNotification(payload);
		const key = notificationKey(normalised.jobId, raw);
		const now = Date.now();
		if (normalised.objectChangedAt !== null && now - normalised.objectChangedAt > notifications.env().NOTIFICATIONS_MAX_EVENT_AGE_DAYS * DAY_MS) {
			this.#stale.note(`${key}, ${normalised.type}, object changed ${new Date(normalised.objectChangedAt).toISOString()}`);
			webhooks.inc({ type: normalised.type, outcome: 'stale' });
			response.ok({ status: 'stale', type: normalised.type });
			return;
		}
		let result: InsertResult;
		let outbox: FanOut;
		try {
			// Opened on the first notification, so a bot that never gets one creates no file. Before the plugin runs
			// (the API listens before the bot is connected to Discord) this throws, and Kaltura sends it again later.
			const store = await notifications.services().store.open();
			// Rendered before the insert and queued with it only if the event is new.
			outbox = await fanOut(store, normalised.type, normalised.objectId, payload, normalised.partnerId ?? env.KALTURA_PARTNER_ID);
			result = await store.insertIfNew(
				{
					key,
					type: normalised.type,
					eventType: normalised.eventType,
					eventObjectType: normalised.eventObjectType,
					objectId: normalised.objectId,
					partnerId: normalised.partnerId,
					receivedAt: now,
					// Kept only when a subscription wants the type; the key alone is enough to refuse it again.
					payload: outbox.wanted ? JSON.stringify(payload) : null
				},
				outbox.drafts
			);
		} catch (error) {
			// Not stored, so not acknowledged: Kaltura sends it again, and nothing is lost while the store is down.
			this.container.logger.warn(`Kaltura notification ${key} could not be stored; Kaltura will send it again:`, error);
			throw STORE_UNAVAILABLE;
		}
		const queued = outbox.drafts.length;
		this.container.logger.debug(
			`Kaltura notification ${key} (${normalised.type}): ${result}${result === 'stored' && queued > 0 ? `, ${queued} deliveries queued` : ''}`
		);
		if (result === 'stored' && queued > 0 && notifications.isRunning()) notifications.services().worker.wake();
		webhooks.inc({ type: normalised.type, outcome: result });
		response.ok({ status: result, type: normalised.type });
	}
}

function tooManyFailures(seconds: number): ApiError {
	return new ApiError(429, 'too_many_failures', `Too many notifications with a refused signature from this address; try again in ${seconds} s.`);
}
