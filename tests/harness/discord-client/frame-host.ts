import {
	close,
	dispatch,
	errorReply,
	isCommandFrame,
	Opcode,
	parseMessage,
	reply,
	RpcClose,
	RpcError,
	RpcRefusal,
	type CommandFrame,
	type RpcMessage
} from './rpc.js';

/** A Discord user as the client describes them to an activity. */
export interface ClientUser {
	readonly id: string;
	readonly username: string;
	readonly globalName?: string | null;
}

/** Where the Discord client gets what only Discord knows: OAuth2 codes, what a token is worth, who is in the instance. */
export interface FrameHostBackend {
	/** AUTHORIZE with `prompt: 'none'`: the code Discord's OAuth2 issues this member for the application and scopes. */
	authorize(request: { readonly clientId: string; readonly scopes: readonly string[] }): Promise<string>;
	/** What an access token is (its user, scopes, expiry), or undefined when Discord would refuse it. */
	tokenInfo(accessToken: string): Promise<{ readonly userId: string; readonly scopes: readonly string[]; readonly expires: string } | undefined>;
	/** Everyone connected to the activity instance now. */
	participants(): readonly ClientUser[];
}

export interface FrameHostOptions {
	readonly clientId: string;
	readonly frameId: string;
	readonly user: ClientUser;
	readonly application: { readonly id: string; readonly name: string };
	readonly backend: FrameHostBackend;
	/** Posts one message into the activity's frame. */
	readonly post: (message: RpcMessage) => Promise<void>;
}

/** A participant as GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS and ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE describe them. */
export function participantOf(user: ClientUser): Record<string, unknown> {
	return { id: user.id, username: user.username, global_name: user.globalName ?? null, discriminator: '0', flags: 0, bot: false };
}

/** Events this host can deliver, with the scope each needs (none here: instance participants are open to the activity). */
const EVENTS = new Set(['ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE', 'ACTIVITY_LAYOUT_MODE_UPDATE', 'ORIENTATION_UPDATE']);

/**
 * The Discord client's end of one activity frame: checks the handshake, sends READY, answers commands as Discord
 * does (or refuses them with Discord's RPC error codes), keeps subscriptions, and records what the activity logged.
 */
export class FrameHost {
	public readonly commands: string[] = [];
	public readonly logs: { level: string; message: string }[] = [];
	public readonly refusals: { cmd: string; code: number }[] = [];
	readonly #subscriptions = new Set<string>();
	#handshaken = false;
	#authenticated: { scopes: readonly string[] } | undefined;

	public constructor(private readonly options: FrameHostOptions) {}

	public get handshaken(): boolean {
		return this.#handshaken;
	}

	public get authenticated(): boolean {
		return this.#authenticated !== undefined;
	}

	/** One message the activity posted to its parent. */
	public async receive(data: unknown): Promise<void> {
		const message = parseMessage(data);
		if (message === undefined) return;
		if (message.opcode === Opcode.HANDSHAKE) return this.#handshake(message.payload);
		if (message.opcode === Opcode.CLOSE) return;
		if (message.opcode !== Opcode.FRAME || !this.#handshaken || !isCommandFrame(message.payload)) return;
		const frame = message.payload;
		this.commands.push(frame.cmd);
		try {
			await this.options.post(reply(frame, await this.#answer(frame)));
		} catch (error) {
			const refusal = error instanceof RpcRefusal ? error : new RpcRefusal(RpcError.INVALID_PAYLOAD, 'Invalid payload');
			this.refusals.push({ cmd: frame.cmd, code: refusal.code });
			await this.options.post(errorReply(frame, refusal.code, refusal.message));
		}
	}

	/** ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE, to a frame that subscribed to it. */
	public async participantsChanged(): Promise<void> {
		if (!this.#subscriptions.has('ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE')) return;
		const participants = this.options.backend.participants().map(participantOf);
		await this.options.post(dispatch('ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE', { participants }));
	}

	async #handshake(payload: Record<string, unknown>): Promise<void> {
		const { clientId, frameId, user } = this.options;
		if (payload.v !== 1) return this.options.post(close(RpcClose.INVALID_VERSION, 'Invalid Version'));
		if (payload.encoding !== 'json') return this.options.post(close(RpcClose.INVALID_ENCODING, 'Invalid Encoding'));
		if (payload.client_id !== clientId || payload.frame_id !== frameId)
			return this.options.post(close(RpcClose.INVALID_CLIENTID, 'Invalid Client ID'));
		this.#handshaken = true;
		await this.options.post(
			dispatch('READY', {
				v: 1,
				config: { cdn_host: 'cdn.discordapp.com', api_endpoint: '//discord.com/api', environment: 'production' },
				user: { id: user.id, username: user.username, discriminator: '0', global_name: user.globalName ?? null }
			})
		);
	}

	async #answer(frame: CommandFrame): Promise<unknown> {
		const args = frame.args ?? {};
		switch (frame.cmd) {
			case 'AUTHORIZE':
				return { code: await this.#authorize(args) };
			case 'AUTHENTICATE':
				return this.#authenticate(args);
			case 'GET_ACTIVITY_INSTANCE_CONNECTED_PARTICIPANTS':
				return { participants: this.options.backend.participants().map(participantOf) };
			case 'SUBSCRIBE':
			case 'UNSUBSCRIBE':
				return this.#subscribe(frame);
			case 'SET_ACTIVITY':
				return this.#setActivity(args);
			case 'CAPTURE_LOG':
				this.logs.push({ level: String(args.level), message: String(args.message) });
				return null;
			default:
				throw new RpcRefusal(RpcError.INVALID_COMMAND, `Invalid command: ${frame.cmd}`);
		}
	}

	async #authorize(args: Record<string, unknown>): Promise<string> {
		if (args.client_id !== this.options.clientId) throw new RpcRefusal(RpcError.INVALID_CLIENTID, 'Invalid client id');
		const scopes = args.scope;
		if (args.response_type !== 'code' || !Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string')) {
			throw new RpcRefusal(RpcError.INVALID_PAYLOAD, 'Invalid payload');
		}
		return this.options.backend.authorize({ clientId: this.options.clientId, scopes });
	}

	async #authenticate(args: Record<string, unknown>): Promise<unknown> {
		const token = typeof args.access_token === 'string' ? args.access_token : '';
		const info = token === '' ? undefined : await this.options.backend.tokenInfo(token);
		if (info?.userId !== this.options.user.id) throw new RpcRefusal(RpcError.INVALID_TOKEN, 'Invalid access token');
		this.#authenticated = { scopes: info.scopes };
		const { user, application } = this.options;
		return {
			access_token: token,
			user: { id: user.id, username: user.username, discriminator: '0', public_flags: 0, global_name: user.globalName ?? null },
			scopes: info.scopes,
			expires: info.expires,
			application: { id: application.id, name: application.name, description: '' }
		};
	}

	#subscribe(frame: CommandFrame): { evt: string } {
		const event = frame.evt ?? '';
		if (!EVENTS.has(event)) throw new RpcRefusal(RpcError.INVALID_EVENT, `Invalid event: ${event}`);
		if (frame.cmd === 'SUBSCRIBE') this.#subscriptions.add(event);
		else this.#subscriptions.delete(event);
		return { evt: event };
	}

	/** Setting the member's activity needs an authenticated frame with the rpc.activities.write scope (src/commands/setActivity.ts). */
	#setActivity(args: Record<string, unknown>): unknown {
		if (!this.#authenticated?.scopes.includes('rpc.activities.write')) throw new RpcRefusal(RpcError.INVALID_PERMISSIONS, 'Invalid permissions');
		const activity = args.activity;
		if (typeof activity !== 'object' || activity === null) throw new RpcRefusal(RpcError.INVALID_PAYLOAD, 'Invalid payload');
		return { name: this.options.application.name, type: 0, ...activity };
	}
}
