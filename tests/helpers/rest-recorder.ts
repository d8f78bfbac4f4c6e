import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIApplicationCommand, RESTPutAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';

export interface RecordedRequest {
	readonly method: string;
	readonly path: string;
	readonly body: unknown;
}

/**
 * Records what the bot sends to Discord's REST API, for tests that drive Sapphire without a gateway
 * session. It answers the few routes those tests reach with Discord's response shapes; the full
 * wire-protocol stand-in lives in tests/harness/discord.
 */
export class RestRecorder {
	public readonly requests: RecordedRequest[] = [];
	/** The guild that `GET /channels/:id` reports channels belong to. */
	public guildOfChannels = '100000000000000001';
	#server: Server | undefined;
	#nextId = 1n;

	public get apiUrl(): string {
		const { port } = this.#server!.address() as AddressInfo;
		return `http://127.0.0.1:${port}/api`;
	}

	public async start(): Promise<this> {
		this.#server = createServer((request, response) => {
			void this.#handle(request).then(({ status, body }) => {
				// Discord sends 204 with no body and no content type; discord.js parses any JSON-typed body.
				if (body === undefined) response.writeHead(status).end();
				else response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
			});
		});
		await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	public async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
	}

	/** Requests whose path matches, in arrival order. */
	public find(method: string, pattern: RegExp): RecordedRequest[] {
		return this.requests.filter((request) => request.method === method && pattern.test(request.path));
	}

	/** Waits until a request matching `pattern` arrives; rejects with a clear message instead of hanging. */
	public async waitFor(method: string, pattern: RegExp, timeoutMs = 5000): Promise<RecordedRequest> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.find(method, pattern).at(-1);
			if (found) return found;
			if (Date.now() > deadline) throw new Error(`No ${method} ${pattern} reached the Discord REST recorder within ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	}

	public clear(): void {
		this.requests.length = 0;
	}

	async #handle(request: IncomingMessage): Promise<{ status: number; body?: unknown }> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const text = Buffer.concat(chunks).toString('utf8');
		const path = (request.url ?? '').replace(/^\/api\/v10/, '');
		const body: unknown = text ? JSON.parse(text) : undefined;
		this.requests.push({ method: request.method ?? 'GET', path, body });

		if (/^\/interactions\/\d+\/[^/]+\/callback/.test(path)) return { status: 204 };
		const commands = /^\/applications\/(\d+)\/commands$/.exec(path);
		if (commands && request.method === 'PUT') {
			const list = (body as RESTPutAPIApplicationCommandsJSONBody).map(
				(command): APIApplicationCommand =>
					({ ...command, id: String(this.#nextId++), application_id: commands[1]!, version: '1', default_member_permissions: null, type: command.type ?? 1 }) as APIApplicationCommand
			);
			return { status: 200, body: list };
		}
		const channel = /^\/channels\/(\d+)$/.exec(path);
		if (channel && request.method === 'GET') return { status: 200, body: { id: channel[1], type: 0, name: 'general', guild_id: this.guildOfChannels } };
		if (/^\/webhooks\/\d+\/[^/]+/.test(path)) {
			return { status: 200, body: { id: String(this.#nextId++), channel_id: '1', content: '', embeds: [], type: 0 } };
		}
		return { status: 404, body: { message: '404: Not Found', code: 0 } };
	}
}
