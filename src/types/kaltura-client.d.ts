/**
 * The part of `kaltura-client` (CommonJS, no typings of its own) that the core uses. Requests resolve
 * with plain parsed JSON, and API errors reject with a plain `{ code, message, objectType, args }`
 * object, not an Error; transport failures reject with an axios error.
 */
declare module 'kaltura-client' {
	export interface KalturaLoggerLike {
		log(message: string): void;
		error(message: string): void;
		debug(message: string): void;
	}

	export class Configuration {
		serviceUrl: string;
		serviceBase: string;
		timeout: number;
		setLogger(logger: KalturaLoggerLike): void;
	}

	export class Client {
		public constructor(config: Configuration);
		config: Configuration;
		setKs(ks: string | null): void;
		getKs(): string | undefined;
		setPartnerId(partnerId: number): void;
		setClientTag(tag: string): void;
	}

	export class RequestBuilder {
		public constructor(service: string, action: string, data: Record<string, unknown>);
		execute(client: Client): Promise<unknown>;
	}

	export const services: Record<string, Record<string, (...args: unknown[]) => RequestBuilder>>;
	export const objects: Record<string, new (properties?: Record<string, unknown>) => object>;
	export const enums: Record<string, Record<string, string | number>>;

	const kaltura: {
		Configuration: typeof Configuration;
		Client: typeof Client;
		RequestBuilder: typeof RequestBuilder;
		services: typeof services;
		objects: typeof objects;
		enums: typeof enums;
	};
	export default kaltura;
}
