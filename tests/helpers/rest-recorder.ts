import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	PermissionFlagsBits,
	type APIApplicationCommand,
	type APIGuildMember,
	type APIRole,
	type RESTPutAPIApplicationCommandsJSONBody
} from 'discord-api-types/v10';
import { ADMIN, MEMBER } from './raw-interactions.js';

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
	/**
	 * Members of every guild the recorder answers for, with the roles they have: ADMIN in a role with Manage
	 * Server, MEMBER in none. Anyone else is answered 404 Unknown Member (10007), as Discord does.
	 */
	public readonly members = new Map<string, string[]>([
		[ADMIN.id, [ADMINS_ROLE_ID]],
		[MEMBER.id, []]
	]);
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
					({
						...command,
						id: String(this.#nextId++),
						application_id: commands[1]!,
						version: '1',
						default_member_permissions: null,
						type: command.type ?? 1
					}) as APIApplicationCommand
			);
			return { status: 200, body: list };
		}
		const channel = /^\/channels\/(\d+)$/.exec(path);
		if (channel && request.method === 'GET')
			return { status: 200, body: { id: channel[1], type: 0, name: 'general', guild_id: this.guildOfChannels } };
		// The guild API re-checks the token's user: GET /guilds/:id (the bot holds no gateway cache here) and the member.
		const guild = /^\/guilds\/(\d+)(?:\?.*)?$/.exec(path);
		if (guild && request.method === 'GET') return { status: 200, body: guildBody(guild[1]!) };
		const member = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path);
		if (member && request.method === 'GET') {
			const roles = this.members.get(member[2]!);
			if (roles === undefined) return { status: 404, body: { message: 'Unknown Member', code: 10007 } };
			return { status: 200, body: memberBody(member[2]!, roles) };
		}
		if (/^\/webhooks\/\d+\/[^/]+/.test(path)) {
			return { status: 200, body: { id: String(this.#nextId++), channel_id: '1', content: '', embeds: [], type: 0 } };
		}
		return { status: 404, body: { message: '404: Not Found', code: 0 } };
	}
}

const ADMINS_ROLE_ID = '600000000000000001';
/** Owns every guild the recorder answers for; no test acts as this user. */
const OWNER_ID = '300000000000000099';

function roleBody(id: string, name: string, permissions: bigint, position: number): APIRole {
	return {
		id,
		name,
		color: 0,
		colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
		hoist: false,
		icon: null,
		unicode_emoji: null,
		position,
		permissions: String(permissions),
		managed: false,
		mentionable: false,
		flags: 0 as APIRole['flags']
	};
}

/** A guild as `GET /guilds/:id` answers it, with the fields discord.js reads. */
function guildBody(id: string) {
	return {
		id,
		name: 'Recorded guild',
		icon: null,
		splash: null,
		discovery_splash: null,
		owner_id: OWNER_ID,
		afk_channel_id: null,
		afk_timeout: 300,
		verification_level: 0,
		default_message_notifications: 1,
		explicit_content_filter: 0,
		roles: [roleBody(id, '@everyone', 0n, 0), roleBody(ADMINS_ROLE_ID, 'Admins', PermissionFlagsBits.ManageGuild, 1)],
		emojis: [],
		stickers: [],
		features: [],
		mfa_level: 0,
		application_id: null,
		system_channel_id: null,
		system_channel_flags: 0,
		rules_channel_id: null,
		vanity_url_code: null,
		description: null,
		banner: null,
		premium_tier: 0,
		preferred_locale: 'en-US',
		public_updates_channel_id: null,
		nsfw_level: 0,
		premium_progress_bar_enabled: false,
		safety_alerts_channel_id: null
	};
}

function memberBody(userId: string, roles: string[]): APIGuildMember {
	return {
		user: { id: userId, username: `user-${userId}`, discriminator: '0', global_name: null, avatar: null },
		roles,
		joined_at: '2024-01-01T00:00:00.000Z',
		deaf: false,
		mute: false,
		flags: 0 as APIGuildMember['flags']
	};
}
