/**
 * Loads the REAL `kaltura-client` npm package (CommonJS; under ESM its module.exports is the default
 * export) and builds silent clients pointed at a stand-in. The package ships no typings, so this file
 * gives it a deliberately loose type.
 */
import { createRequire } from 'node:module';

/** A built request (RequestBuilder / MultiRequestBuilder) of kaltura-client. */
export interface KalturaRequest {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	execute(client: KalturaClient): Promise<any>;
	add(request: KalturaRequest): KalturaRequest;
	setKs(ks: string): KalturaRequest;
}

export interface KalturaConfiguration {
	serviceUrl: string;
	serviceBase: string;
	timeout: number;
	setLogger(logger: { log(m: string): void; error(m: string): void; debug(m: string): void }): void;
}

export interface KalturaClient {
	config: KalturaConfiguration;
	setKs(ks: string): void;
	getKs(): string | undefined;
	setPartnerId(partnerId: number): void;
	setClientTag(tag: string): void;
}

export interface KalturaModule {
	Configuration: new () => KalturaConfiguration;
	Client: new (config: KalturaConfiguration) => KalturaClient;
	MultiRequestBuilder: new () => KalturaRequest;
	/** new kaltura.RequestBuilder(service, action, params) — any wire service/action */
	RequestBuilder: new (service: string, action: string, params: Record<string, unknown>) => KalturaRequest;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	services: any;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	objects: any;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	enums: any;
}

/**
 * The real kaltura-client module. `import kaltura from 'kaltura-client'` gives the same object at
 * runtime (CJS module.exports as the ESM default export) but needs a `declare module` shim to type-check;
 * createRequire keeps this harness independent of whichever shim the bot adds.
 */
export const kaltura = createRequire(import.meta.url)('kaltura-client') as KalturaModule;

/** A logger object that is NOT an ILogger instance, so kaltura-client stops console-logging secrets. */
export const SILENT_LOGGER = { log(): void {}, error(): void {}, debug(): void {} };

export interface CreateClientOptions {
	ks?: string;
	/** axios timeout in ms; must be set before the Client is built (it is read once in setConfig) */
	timeout?: number;
	partnerId?: number;
	/** keep kaltura-client's console logging (off by default) */
	verbose?: boolean;
}

/** A kaltura-client Client whose serviceUrl is the stand-in. */
export function createKalturaClient(serviceUrl: string, opts: CreateClientOptions = {}): KalturaClient {
	const config = new kaltura.Configuration();
	config.serviceUrl = serviceUrl.replace(/\/+$/, '');
	if (opts.timeout !== undefined) config.timeout = opts.timeout;
	if (!opts.verbose) config.setLogger(SILENT_LOGGER);
	const client = new kaltura.Client(config);
	if (opts.ks) client.setKs(opts.ks);
	if (opts.partnerId !== undefined) client.setPartnerId(opts.partnerId);
	return client;
}
