import { REST } from 'discord.js';
import { SECRET_VARIABLES, type Environment } from '../../src/core/env.js';
import { KalturaFacade } from '../../src/core/kaltura/kaltura-facade.js';
import { createKsSource, createMemberKsSource, type KalturaAccount } from '../../src/core/kaltura/ks-sources.js';
import { SessionCache } from '../../src/core/kaltura/session-cache.js';
import { SecretRedactor } from '../../src/core/redactor.js';
import { checkDiscord } from './discord-checks.js';
import { checkKaltura } from './kaltura-checks.js';
import type { StepResult } from './report.js';

/** The bot's sessions for the check live ten minutes: long enough for it, short if one leaked. */
const CHECK_SESSION_SECONDS = 10 * 60;

/** A Discord channel id (a snowflake). */
const CHANNEL_ID = /^\d{17,20}$/;

export interface LiveCheckOptions {
	/** The channel to post the test message in; without one that step is skipped. */
	readonly channelId?: string | undefined;
}

/** The redactor for everything the check prints: the configured secrets and anything shaped like a KS or token. */
export function liveCheckRedactor(source: Readonly<Record<string, string | undefined>>): SecretRedactor {
	return new SecretRedactor(SECRET_VARIABLES.map((name) => source[name]));
}

/** The table's heading: what was checked, and nothing secret. */
export function headingOf(env: Environment): string {
	return `Live check: Kaltura partner ${env.KALTURA_PARTNER_ID} at ${env.KALTURA_SERVICE_URL} (sessions: ${env.KALTURA_SESSION_SOURCE}), Discord at ${env.DISCORD_API_URL}`;
}

/**
 * The live check with the bot's own environment: the Kaltura steps, then the Discord ones. Each half removes
 * what it created before it returns, so nothing is left behind on either side, whatever failed.
 */
export async function runLiveCheck(env: Environment, options: LiveCheckOptions = {}): Promise<StepResult[]> {
	if (options.channelId !== undefined && !CHANNEL_ID.test(options.channelId)) {
		return [
			{
				id: 'setup.channel',
				service: 'Setup',
				step: 'the channel to post in',
				status: 'failed',
				detail: `“${options.channelId}” is not a Discord channel id`,
				fix: 'Pass --channel with the channel’s id, 17 to 20 digits (Discord: User Settings > Advanced > Developer Mode, then right-click the channel > Copy Channel ID).'
			}
		];
	}
	const account: KalturaAccount = { serviceUrl: env.KALTURA_SERVICE_URL, partnerId: env.KALTURA_PARTNER_ID, timeoutMs: env.KALTURA_TIMEOUT_MS };
	const facade = new KalturaFacade(
		account,
		new SessionCache(createKsSource(account, env), { lifetimeSeconds: CHECK_SESSION_SECONDS }),
		createMemberKsSource(account, env)
	);
	const kaltura = await checkKaltura({
		facade,
		partnerId: account.partnerId,
		serviceUrl: account.serviceUrl,
		timeoutMs: account.timeoutMs,
		source: env.KALTURA_SESSION_SOURCE,
		userIdPrefix: env.KALTURA_USER_ID_PREFIX
	});
	const rest = new REST({ api: env.DISCORD_API_URL }).setToken(env.DISCORD_TOKEN);
	try {
		const discord = await checkDiscord({
			rest,
			apiUrl: env.DISCORD_API_URL,
			channelId: options.channelId,
			privilegedIntents: env.DISCORD_PRIVILEGED_INTENTS
		});
		return [...kaltura, ...discord];
	} finally {
		rest.clearHashSweeper();
		rest.clearHandlerSweeper();
	}
}
