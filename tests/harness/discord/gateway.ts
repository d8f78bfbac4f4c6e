// The gateway, split under gateway/: sessions, dispatching, member requests, identify/resume and the wire protocol.
export type {
	DispatchTarget,
	GatewayContext,
	GatewayOptions,
	MemberRequestOutcome,
	MemberRequestRecord,
	PrivilegedIntents,
	ReceivedGatewayPayload
} from './gateway/types.js';
export { GatewayConnection, GatewaySession } from './gateway/session.js';
export { GatewayServer } from './gateway/server.js';
