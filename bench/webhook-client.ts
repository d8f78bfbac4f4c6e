import { Agent, request } from 'node:http';
import { signKalturaPayload } from '../tests/harness/kaltura/index.js';

let jobId = 2_000_000;

/** A signed entry-added notification with a job id of its own (so none is a duplicate), as Kaltura sends it. */
function notification(partnerId: number, adminSecret: string): { body: string; signature: string } {
	const id = ++jobId;
	const body = JSON.stringify({
		objectType: 'KalturaHttpNotification',
		eventNotificationJobId: id,
		templateId: 1,
		templateName: 'Entry added',
		templateSystemName: 'HTTP_ENTRY_ADDED_DISCORD_BOT',
		eventType: 2,
		eventObjectType: 1,
		partnerId,
		object: { objectType: 'KalturaMediaEntry', id: `0_ab${id}`, name: `Bench ${id}`, partnerId, status: 2, type: 1, mediaType: 1 }
	});
	return { body, signature: signKalturaPayload(adminSecret, body, 'sha256') };
}

/**
 * Posts signed webhooks to one bot over keep-alive connections kept from one block to the next, so that a short block measures
 * the ingest itself rather than 50 TCP handshakes.
 */
export class WebhookClient {
	readonly #url: URL;
	readonly #agent: Agent;

	public constructor(
		target: string,
		private readonly partnerId: number,
		private readonly adminSecret: string,
		private readonly inFlight = 50
	) {
		this.#url = new URL(target);
		this.#agent = new Agent({ keepAlive: true, maxSockets: inFlight });
	}

	/** `count` webhooks, `inFlight` at a time; the wall time per webhook in milliseconds. */
	public async burst(count: number): Promise<number> {
		let next = 0;
		const started = process.hrtime.bigint();
		const worker = async () => {
			while (next++ < count) await this.#post();
		};
		await Promise.all(Array.from({ length: Math.min(this.inFlight, count) }, worker));
		return Number(process.hrtime.bigint() - started) / 1e6 / count;
	}

	public close(): void {
		this.#agent.destroy();
	}

	#post(): Promise<void> {
		const { body, signature } = notification(this.partnerId, this.adminSecret);
		return new Promise((done, fail) => {
			const outgoing = request(
				this.#url,
				{
					method: 'POST',
					agent: this.#agent,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
						'x-kaltura-signature': signature,
						'x-kaltura-hash-algo': 'sha256'
					}
				},
				(response) => {
					response.resume();
					response.once('end', () =>
						response.statusCode === 200 ? done() : fail(new Error(`${this.#url.host} answered ${response.statusCode}`))
					);
				}
			);
			outgoing.once('error', fail);
			outgoing.end(body);
		});
	}
}
