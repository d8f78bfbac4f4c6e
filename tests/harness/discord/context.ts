import type { HarnessClock } from './clock.js';
import type { GatewayServer, PrivilegedIntents } from './gateway.js';
import type { InteractionService } from './interactions.js';
import type { EnforcedNonces } from './nonces.js';
import type { ReactionStore } from './reactions.js';
import type { DiscordState } from './state.js';

/** What REST route handlers get to work with. */
export interface RestContext {
	state: DiscordState;
	gateway: GatewayServer;
	interactions: InteractionService;
	reactions: ReactionStore;
	clock: HarnessClock;
	/** Message nonces remembered for `enforce_nonce`. */
	nonces: EnforcedNonces;
	/** The bot token accepted right now (it changes with `resetToken`). */
	token: () => string;
	privilegedIntents: PrivilegedIntents;
	/** `http://127.0.0.1:<port>` */
	baseUrl: () => string;
	/** `ws://127.0.0.1:<port>` */
	gatewayUrl: () => string;
}
