/**
 * The Discord client's side of the Embedded App SDK's postMessage protocol, as @discord/embedded-app-sdk 2.5.0 speaks
 * it (discord/embedded-app-sdk: src/Discord.ts for the opcodes, handshake and framing; src/Constants.ts for the
 * error and close codes; src/schema/responses.ts and src/generated/schemas.ts for the reply shapes). Every message is
 * `[opcode, payload]`; replies carry the command's nonce and `evt: null`, errors `evt: 'ERROR'`, events
 * `cmd: 'DISPATCH'` with `nonce: null`.
 */

export const Opcode = { HANDSHAKE: 0, FRAME: 1, CLOSE: 2, HELLO: 3 } as const;

/** RPCErrorCodes (src/Constants.ts). */
export const RpcError = {
	INVALID_PAYLOAD: 4000,
	INVALID_COMMAND: 4002,
	INVALID_EVENT: 4004,
	INVALID_PERMISSIONS: 4006,
	INVALID_CLIENTID: 4007,
	INVALID_TOKEN: 4009
} as const;

/** RPCCloseCodes (src/Constants.ts). */
export const RpcClose = { INVALID_CLIENTID: 4000, INVALID_VERSION: 4004, INVALID_ENCODING: 4005 } as const;

export type RpcMessage = readonly [number, unknown];

/** A command frame as the SDK sends it (`sendCommand`: the payload plus a fresh nonce). */
export interface CommandFrame {
	readonly cmd: string;
	readonly args?: Record<string, unknown>;
	readonly evt?: string;
	readonly nonce: string;
}

/** A command the host refuses, with the RPC error code Discord would answer. */
export class RpcRefusal extends Error {
	public constructor(
		public readonly code: number,
		message: string
	) {
		super(message);
	}
}

export const reply = (frame: CommandFrame, data: unknown): RpcMessage => [Opcode.FRAME, { cmd: frame.cmd, evt: null, nonce: frame.nonce, data }];

export const errorReply = (frame: CommandFrame, code: number, message: string): RpcMessage => [
	Opcode.FRAME,
	{ cmd: frame.cmd, evt: 'ERROR', nonce: frame.nonce, data: { code, message } }
];

export const dispatch = (evt: string, data: unknown): RpcMessage => [Opcode.FRAME, { cmd: 'DISPATCH', evt, nonce: null, data }];

export const close = (code: number, message: string): RpcMessage => [Opcode.CLOSE, { code, message }];

/** Reads a message the activity posted; anything not shaped `[opcode, payload]` is ignored, as the SDK itself does. */
export function parseMessage(data: unknown): { opcode: number; payload: Record<string, unknown> } | undefined {
	if (!Array.isArray(data) || data.length < 2 || typeof data[0] !== 'number') return undefined;
	const payload: unknown = data[1];
	if (typeof payload !== 'object' || payload === null) return undefined;
	return { opcode: data[0], payload: payload as Record<string, unknown> };
}

export function isCommandFrame(payload: Record<string, unknown>): payload is Record<string, unknown> & CommandFrame {
	return typeof payload.cmd === 'string' && typeof payload.nonce === 'string';
}
