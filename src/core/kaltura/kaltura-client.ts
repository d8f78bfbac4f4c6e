import kaltura, { type Client } from 'kaltura-client';

/** kaltura-client writes every request, admin secret and KS included, to the console unless given a non-ILogger logger. */
const SILENT_LOGGER = { log() {}, error() {}, debug() {} };

/**
 * A kaltura-client Client for one call. The client copies its KS into each request, so a client shared
 * between concurrent calls with different sessions could send one member's call with another's KS;
 * a client per call rules that out, and costs one small object.
 */
export function createKalturaClient(options: { serviceUrl: string; timeoutMs: number; partnerId: number }): Client {
	const config = new kaltura.Configuration();
	config.serviceUrl = options.serviceUrl.replace(/\/+$/, '');
	config.timeout = options.timeoutMs;
	config.setLogger(SILENT_LOGGER);
	const client = new kaltura.Client(config);
	client.setPartnerId(options.partnerId);
	client.setClientTag('kaltura-discord-bot');
	return client;
}
