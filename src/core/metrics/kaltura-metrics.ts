import { KalturaError } from '../kaltura/kaltura-error.js';
import { KalturaResponseError } from '../kaltura/services/kaltura-request.js';
import { defineCounter, defineHistogram } from './instruments.js';

const kalturaCalls = defineCounter({
	name: 'kaltura_calls_total',
	help: 'Kaltura API calls, by service.action and outcome (ok, kaltura_error, timeout, unreachable, bad_response, busy)',
	labelNames: ['action', 'outcome']
});
const kalturaCallDuration = defineHistogram({
	name: 'kaltura_call_duration_seconds',
	help: 'Kaltura API calls from first attempt to answer (retries included), by service.action',
	labelNames: ['action']
});
const kalturaSessions = defineCounter({
	name: 'kaltura_sessions_total',
	help: "The bot's Kaltura sessions asked for, by whether one was minted or taken from the cache",
	labelNames: ['result']
});

/** The class of a Kaltura failure, never its message. */
function outcomeOf(error: unknown): string {
	if (error instanceof KalturaResponseError) return 'bad_response';
	if (!(error instanceof KalturaError)) return 'kaltura_error';
	switch (error.code) {
		case 'TIMEOUT':
			return 'timeout';
		case 'UNREACHABLE':
			return 'unreachable';
		case 'BAD_RESPONSE':
			return 'bad_response';
		case 'ACTION_BLOCKED':
			return 'busy';
		default:
			return 'kaltura_error';
	}
}

/** Runs one Kaltura call (`action` is `service.action`, or `multirequest`), counting and timing it. */
export async function measuredKalturaCall<T>(action: string, call: () => Promise<T>): Promise<T> {
	const stop = kalturaCallDuration.startTimer();
	try {
		const answer = await call();
		kalturaCalls.inc({ action, outcome: 'ok' });
		return answer;
	} catch (error) {
		kalturaCalls.inc({ action, outcome: outcomeOf(error) });
		throw error;
	} finally {
		stop({ action });
	}
}

export function recordKalturaSession(result: 'minted' | 'cached'): void {
	kalturaSessions.inc({ result });
}
