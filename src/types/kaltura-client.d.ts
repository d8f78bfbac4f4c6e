/**
 * The part of `kaltura-client` (CommonJS, no typings of its own) that the bot, its scripts and its tests use,
 * named service by service so no call needs a non-null assertion. Parameters follow kaltura-client's
 * KalturaServices.js; a request resolves with plain parsed JSON (`unknown` here: src/core/kaltura/services
 * parses what the bot reads), and API errors reject with a plain `{ code, message, objectType, args }` object,
 * not an Error; transport failures reject with an axios error.
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
		/** What every request copies into its own parameters: the KS, partner id and client tag. */
		requestData: Record<string, unknown>;
		setKs(ks: string | null): void;
		getKs(): string | undefined;
		setPartnerId(partnerId: number): void;
		setClientTag(tag: string): void;
	}

	export class RequestBuilder {
		public constructor(service: string, action: string, data: Record<string, unknown>);
		/** The service id on the wire (`schedule_scheduleevent`) and the action (`list`). */
		service?: string;
		action?: string;
		requestData: Record<string, unknown>;
		callback: ((success: boolean, result: unknown) => void) | null;
		execute(client: Client): Promise<unknown>;
		doHttpRequest(client: Client): void;
	}

	export class MultiRequestBuilder extends RequestBuilder {
		public constructor();
		add(request: RequestBuilder): this;
	}

	/** An instance of one of kaltura-client's object classes: its properties, serialised with its `objectType`. */
	export type KalturaObject = object;
	export type KalturaObjectClass = new (properties?: Record<string, unknown>) => KalturaObject;
	type Nullable<T> = T | null;

	export interface KalturaServices {
		appToken: {
			deleteAction(id: string): RequestBuilder;
			startSession(
				id: string,
				tokenHash: string,
				userId?: Nullable<string>,
				type?: Nullable<number>,
				expiry?: Nullable<number>,
				sessionPrivileges?: Nullable<string>
			): RequestBuilder;
		};
		baseEntry: { listByReferenceId(refId: string, pager?: Nullable<KalturaObject>): RequestBuilder };
		category: {
			add(category: KalturaObject): RequestBuilder;
			deleteAction(id: number, moveEntriesToParentCategory?: number): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
		};
		categoryEntry: { add(categoryEntry: KalturaObject): RequestBuilder };
		eSearch: { searchEntry(searchParams: KalturaObject, pager?: Nullable<KalturaObject>): RequestBuilder };
		eventNotificationTemplate: {
			add(eventNotificationTemplate: KalturaObject): RequestBuilder;
			cloneAction(id: number, eventNotificationTemplate?: Nullable<KalturaObject>): RequestBuilder;
			get(id: number): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
			listTemplates(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
			update(id: number, eventNotificationTemplate: KalturaObject): RequestBuilder;
			updateStatus(id: number, status: number): RequestBuilder;
		};
		liveStream: {
			add(liveStreamEntry: KalturaObject, sourceType?: Nullable<string>): RequestBuilder;
			deleteAction(entryId: string): RequestBuilder;
			get(entryId: string, version?: number): RequestBuilder;
			isLive(id: string, protocol?: Nullable<string>): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
		};
		media: {
			add(entry: KalturaObject): RequestBuilder;
			count(filter?: Nullable<KalturaObject>): RequestBuilder;
			get(entryId: string, version?: number): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
			update(entryId: string, mediaEntry: KalturaObject): RequestBuilder;
		};
		scheduleEvent: {
			add(scheduleEvent: KalturaObject): RequestBuilder;
			cancel(scheduleEventId: number): RequestBuilder;
			deleteAction(scheduleEventId: number): RequestBuilder;
			get(scheduleEventId: number): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
			update(scheduleEventId: number, scheduleEvent: KalturaObject): RequestBuilder;
		};
		scheduleEventResource: {
			add(scheduleEventResource: KalturaObject): RequestBuilder;
			deleteAction(scheduleEventId: number, scheduleResourceId: number): RequestBuilder;
		};
		scheduleResource: {
			add(scheduleResource: KalturaObject): RequestBuilder;
			deleteAction(scheduleResourceId: number): RequestBuilder;
		};
		session: {
			end(): RequestBuilder;
			get(session?: Nullable<string>): RequestBuilder;
			start(
				secret: string,
				userId?: string,
				type?: number,
				partnerId?: Nullable<number>,
				expiry?: number,
				privileges?: Nullable<string>
			): RequestBuilder;
			startWidgetSession(widgetId: string, expiry?: number): RequestBuilder;
		};
		user: {
			add(user: KalturaObject): RequestBuilder;
			deleteAction(userId: string): RequestBuilder;
			get(userId?: Nullable<string>): RequestBuilder;
			listAction(filter?: Nullable<KalturaObject>, pager?: Nullable<KalturaObject>): RequestBuilder;
			update(userId: string, user: KalturaObject): RequestBuilder;
		};
	}

	/** The object classes used, by kaltura-client's names (`KalturaFilterPager` is `FilterPager`). */
	export type KalturaObjectName =
		| 'AppToken'
		| 'Category'
		| 'CategoryEntry'
		| 'CategoryFilter'
		| 'ESearchEntryItem'
		| 'ESearchEntryOperator'
		| 'ESearchEntryParams'
		| 'ESearchUnifiedItem'
		| 'EmailNotificationTemplate'
		| 'EvalStringField'
		| 'EventNotificationTemplateFilter'
		| 'EventObjectChangedCondition'
		| 'FieldMatchCondition'
		| 'FilterPager'
		| 'HttpNotificationDispatchJobData'
		| 'HttpNotificationObjectData'
		| 'HttpNotificationTemplate'
		| 'LiveStreamEntry'
		| 'LiveStreamEntryFilter'
		| 'LiveStreamScheduleEvent'
		| 'LiveStreamScheduleEventFilter'
		| 'LocationScheduleResource'
		| 'MediaEntry'
		| 'MediaEntryFilter'
		| 'MeetingScheduleEvent'
		| 'MeetingScheduleEventFilter'
		| 'Pager'
		| 'RecordScheduleEvent'
		| 'ScheduleEventFilter'
		| 'ScheduleEventResource'
		| 'ScheduleEventResourceFilter'
		| 'StringValue'
		| 'User'
		| 'UserFilter';

	export const services: KalturaServices;
	export const objects: Readonly<Record<KalturaObjectName, KalturaObjectClass>>;
	export const enums: Record<string, Record<string, string | number>>;

	const kaltura: {
		Configuration: typeof Configuration;
		Client: typeof Client;
		RequestBuilder: typeof RequestBuilder;
		MultiRequestBuilder: typeof MultiRequestBuilder;
		services: typeof services;
		objects: typeof objects;
		enums: typeof enums;
	};
	export default kaltura;
}
