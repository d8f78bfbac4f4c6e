// The gateway, split under gateway/: sessions, dispatching, member requests, identify/resume and the wire protocol.
export type {
	DispatchDelivery,
	DispatchTarget,
	GatewayContext,
	GatewayOptions,
	IdentifyRecord,
	IdentifyRefusal,
	MemberRequestOutcome,
	MemberRequestRecord,
	PrivilegedIntents,
	ReceivedGatewayPayload,
	ShardSessionInfo
} from './gateway/types.js';
export { DISCORD_IDENTIFY_WINDOW_MS, SessionStartLimiter, type SessionStartSettings } from './gateway/session-starts.js';
export { GatewayConnection, GatewaySession } from './gateway/session.js';
export { GatewayServer } from './gateway/server.js';
