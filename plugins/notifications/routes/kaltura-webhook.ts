import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError, sendApiError } from '../../../src/core/api/api-error.js';
import { PublicApiRoute } from '../../../src/core/api/api-route.js';
import { readRawBody } from '../../../src/core/api/read-json-body.js';
import { deliveryWorker, stopDeliveryWorker } from '../lib/delivery-worker.js';
import { stopRetentionSweeper } from '../lib/retention.js';
import { fanOut } from '../lib/fan-out.js';
import { HASH_ALGO_HEADER, SIGNATURE_HEADER, verifyKalturaSignature } from '../lib/kaltura-signature.js';
import { normaliseNotification } from '../lib/normalise.js';
import { notificationKey, parseNotificationBody } from '../lib/parse-notification.js';
import type { InsertResult, OutboxDraft } from '../lib/store/notification-store.js';
import { closeNotificationStore, notificationStore } from '../lib/store/open-store.js';

/** Kaltura's notification bodies are small JSON objects; this leaves room for a long entry description. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

const SIGNATURE_REFUSED = new ApiError(401, 'invalid_signature', 'The notification signature was refused.');
const STORE_UNAVAILABLE = new ApiError(503, 'store_unavailable', 'The notification could not be stored right now; send it again later.');

/**
 * `POST /api/v1/webhooks/kaltura`: Kaltura's HTTP event notifications. Signed with the partner's admin
 * secret (no JWT), stored once per job id, answered 200 only after the store has it, since anything
 * but 200/204 makes Kaltura send it again.
 */
export class KalturaWebhookRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'webhooks/kaltura', methods: ['POST'] });
	}

	public override async onUnload(): Promise<void> {
		// The worker first, whichever piece Sapphire unloads first: a look after the close would open the store again.
		await Promise.all([stopDeliveryWorker(), stopRetentionSweeper()]);
		await closeNotificationStore(this.container.env);
		await super.onUnload();
	}

	protected override async handle(request: ApiRequest, response: ApiResponse) {
		const secret = this.container.env.KALTURA_ADMIN_SECRET;
		if (secret === undefined) {
			throw new ApiError(503, 'webhooks_not_configured', 'Kaltura webhooks are not set up on this bot: they need the partner admin secret.');
		}
		const raw = await readRawBody(request, WEBHOOK_BODY_LIMIT);
		if (!verifyKalturaSignature(secret, raw, request.headers[SIGNATURE_HEADER], request.headers[HASH_ALGO_HEADER])) {
			// Sent here rather than thrown: the route base would add a Bearer challenge, which does not apply.
			sendApiError(response, SIGNATURE_REFUSED);
			return;
		}
		const payload = parseNotificationBody(raw, request.headers['content-type']);
		const normalised = normaliseNotification(payload);
		const key = notificationKey(normalised.jobId, raw);
		let result: InsertResult;
		let outbox: readonly OutboxDraft[];
		try {
			// Opened on the first notification, so a bot that never gets one creates no file.
			const store = await notificationStore(this.container.env);
			// Rendered before the insert and queued with it only if the event is new.
			outbox = await fanOut(store, normalised.type, normalised.objectId, payload, normalised.partnerId ?? this.container.env.KALTURA_PARTNER_ID);
			result = await store.insertIfNew(
				{
					key,
					type: normalised.type,
					eventType: normalised.eventType,
					eventObjectType: normalised.eventObjectType,
					objectId: normalised.objectId,
					partnerId: normalised.partnerId,
					receivedAt: Date.now(),
					payload: JSON.stringify(payload)
				},
				outbox
			);
		} catch (error) {
			// Not stored, so not acknowledged: Kaltura sends it again, and nothing is lost while the store is down.
			this.container.logger.warn(`Kaltura notification ${key} could not be stored; Kaltura will send it again:`, error);
			throw STORE_UNAVAILABLE;
		}
		this.container.logger.debug(`Kaltura notification ${key} (${normalised.type}): ${result}${result === 'stored' && outbox.length > 0 ? `, ${outbox.length} deliveries queued` : ''}`);
		if (result === 'stored' && outbox.length > 0) deliveryWorker()?.wake();
		response.ok({ status: result, type: normalised.type });
	}
}
