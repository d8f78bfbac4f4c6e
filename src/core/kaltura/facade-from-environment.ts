import { type Environment, parseEnvironment } from '../env.js';
import { KalturaFacade } from './kaltura-facade.js';
import { createKsSource, type KalturaAccount } from './ks-sources.js';
import { SessionCache } from './session-cache.js';

/**
 * The Kaltura facade a command-line tool runs on, from the operator's environment: the same account and
 * session source (`KALTURA_SESSION_SOURCE` and its credentials) as the bot, its own sessions cached. It
 * hands out no sessions to members: a tool makes no join links. Pass the environment when the tool has
 * parsed it already (to read its own variables); otherwise `process.env` is parsed, and a bad variable
 * throws the environment's EnvironmentError, naming each one.
 */
export function kalturaFacadeFromEnvironment(env: Environment = parseEnvironment()): KalturaFacade {
	// No credential in the account the facade keeps: the admin secret or app token goes to the KS source alone.
	const account: KalturaAccount = { serviceUrl: env.KALTURA_SERVICE_URL, partnerId: env.KALTURA_PARTNER_ID, timeoutMs: env.KALTURA_TIMEOUT_MS };
	return new KalturaFacade(account, new SessionCache(createKsSource(account, env)));
}
