import kaltura from 'kaltura-client';
import type { kalturaServices } from '#sdk';
import type { NotificationType } from '../lib/normalise.js';

/**
 * The catalogue of Kaltura HTTP notification templates the plugin needs, and how each is defined and
 * recognised as set up; `set-up-webhooks.ts` applies it to a partner.
 */

export const HASH_ALGORITHMS = { sha1: 1, sha256: 2, sha512: 3 } as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHMS;

/** KalturaHttpNotificationMethod. */
const METHOD_POST = 2;
/** KalturaResponseType JSON. */
const FORMAT_JSON = 1;
/** KalturaEventNotificationEventObjectType SCHEDULE_EVENT. */
const SCHEDULE_EVENT_OBJECT = 'scheduleEventNotifications.ScheduleEvent';
/** KalturaEntryType LIVE_STREAM. */
const ENTRY_TYPE_LIVE_STREAM = '7';
/** KalturaScheduleEventStatus. */
const SCHEDULE_CANCELLED = '1';
const SCHEDULE_ACTIVE = '2';

/** A condition that the object's `getter()` returns one of `values` (KalturaFieldMatchCondition). */
function fieldIs(description: string, getter: string, values: readonly string[]): object {
	return new kaltura.objects.FieldMatchCondition({
		description,
		field: new kaltura.objects.EvalStringField({ code: `$scope->getObject()->${getter}()` }),
		values: values.map((value) => new kaltura.objects.StringValue({ value }))
	});
}

/**
 * The events the plugin needs from Kaltura, one template each, and what each one feeds. This is the one
 * place the list lives: the CLI, its test and the docs all follow it.
 *
 * `stock` ones are partner-0 HTTP templates in kaltura/server's deployment XML
 * (deployment/updates/scripts/xml/2018_04_27_httpNotificationsTemplate.template.xml and
 * 2018_04_27_userCreatedHttpNotification.template.xml): the partner clones them. Kaltura has no HTTP template
 * for the others (only boolean, push and Kafka ones, e.g. `MEDIA_ENTRY_CREATED`, `Push_Schedule_Event_Created`),
 * so those are `own`: defined here, for Kaltura's administrator to add to partner 0 from the Admin Console. A
 * partner cannot add them itself: `eventNotificationTemplate.add` is given to partner -2 alone
 * (kaltura/server plugins/event_notification/config/permissions.ini), and a clone cannot change what a template
 * listens to (eventType, eventObjectType and eventConditions need partner -2's permission to update,
 * deployment/permissions/object.KalturaEventNotificationTemplate.ini; Kaltura silently keeps the source's). So the
 * tool clones every template, stock or own, from partner 0 when this Kaltura offers it, and names the events whose
 * template it does not offer. `apiObjectType` is the object Kaltura puts in the JSON body
 * (`KalturaHttpNotificationObjectData`), chosen so that `lib/normalise.ts` finds the fields it reads
 * (`status`, `sourceType`, `type`/`liveStatus`, `categoryId`...).
 */
export const WEBHOOK_TEMPLATES: readonly WebhookTemplate[] = [
	// Stock "Entry Status Equals": fires when `status` changes to `trigger_status` (2 = READY, the stock default).
	{ source: 'stock', systemName: 'HTTP_ENTRY_STATUS_EQUALS', types: ['entry.ready', 'recording.ready'], apiObjectType: 'KalturaMediaEntry' },
	// An entry added (OBJECT_ADDED; OBJECT_CREATED comes before any content, and normalise.ts reads only ADDED as entry.added).
	{
		source: 'own',
		systemName: 'DISCORD_BOT_ENTRY_ADDED',
		name: 'Entry added (Discord bot)',
		types: ['entry.added'],
		apiObjectType: 'KalturaMediaEntry',
		eventType: '2',
		eventObjectType: '1',
		conditions: () => []
	},
	// Stock "Entry Added to Category": a category entry created.
	{ source: 'stock', systemName: 'HTTP_ENTRY_ADDED_TO_CATEGORY', types: ['entry.added_to_category'], apiObjectType: 'KalturaCategoryEntry' },
	// Any change of a live stream entry. Narrower is not possible: an entry's live status is worked out from its
	// server nodes, not stored on the entry, so it is no column an OBJECT_CHANGED condition could test. normalise.ts
	// reads started/ended from `liveStatus` and classifies other changes of a playing stream as 'unknown'.
	{
		source: 'own',
		systemName: 'DISCORD_BOT_LIVE_STREAM_CHANGED',
		name: 'Live stream changed (Discord bot)',
		types: ['live_stream.started', 'live_stream.ended'],
		apiObjectType: 'KalturaLiveStreamEntry',
		eventType: '3',
		eventObjectType: '1',
		conditions: () => [fieldIs('Entry is a live stream', 'getType', [ENTRY_TYPE_LIVE_STREAM])]
	},
	// A schedule event created ACTIVE (a meeting scheduled). OBJECT_CREATED: Kaltura raises it for every new row.
	{
		source: 'own',
		systemName: 'DISCORD_BOT_SCHEDULE_EVENT_ADDED',
		name: 'Schedule event added (Discord bot)',
		types: ['meeting.scheduled'],
		apiObjectType: 'KalturaScheduleEvent',
		eventType: '5',
		eventObjectType: SCHEDULE_EVENT_OBJECT,
		conditions: () => [fieldIs('Status is ACTIVE', 'getStatus', [SCHEDULE_ACTIVE])]
	},
	// A schedule event whose status changed to CANCELLED. Only CANCELLED: a deletion is the next template's, so it
	// is not reported twice when Kaltura raises both events for it.
	{
		source: 'own',
		systemName: 'DISCORD_BOT_SCHEDULE_EVENT_CANCELLED',
		name: 'Schedule event cancelled (Discord bot)',
		types: ['meeting.cancelled'],
		apiObjectType: 'KalturaScheduleEvent',
		eventType: '3',
		eventObjectType: SCHEDULE_EVENT_OBJECT,
		conditions: () => [
			new kaltura.objects.EventObjectChangedCondition({ description: 'Status modified', modifiedColumns: 'schedule_event.STATUS' }),
			fieldIs('Status is CANCELLED', 'getStatus', [SCHEDULE_CANCELLED])
		]
	},
	// A schedule event deleted: to the plugin, a cancelled meeting too.
	{
		source: 'own',
		systemName: 'DISCORD_BOT_SCHEDULE_EVENT_DELETED',
		name: 'Schedule event deleted (Discord bot)',
		types: ['meeting.cancelled'],
		apiObjectType: 'KalturaScheduleEvent',
		eventType: '7',
		eventObjectType: SCHEDULE_EVENT_OBJECT,
		conditions: () => []
	},
	// Stock "User created": a user created.
	{ source: 'stock', systemName: 'USER_CREATED', types: ['user.created'], apiObjectType: 'KalturaUser' }
];

export type WebhookTemplate = StockTemplate | OwnTemplate;

interface TemplateBase {
	readonly types: readonly NotificationType[];
	readonly apiObjectType: string;
}

/** A partner-0 stock template, cloned. */
export interface StockTemplate extends TemplateBase {
	readonly source: 'stock';
	/** The stock template's `systemName`; the clone's is this plus {@link CLONE_SUFFIX}. */
	readonly systemName: string;
}

/** A template defined here, cloned once Kaltura's administrator has added it to partner 0 (see {@link adminConsoleDefinition}). */
export interface OwnTemplate extends TemplateBase {
	readonly source: 'own';
	/** The template's own `systemName`, found again by it. */
	readonly systemName: string;
	readonly name: string;
	/** KalturaEventNotificationEventType. */
	readonly eventType: string;
	/** KalturaEventNotificationEventObjectType. */
	readonly eventObjectType: string;
	/** The eventConditions, all of which must hold (built fresh for each request). */
	readonly conditions: () => object[];
}

/** Put at the start of each template's description, so a template made by this tool is recognised as one. */
export const CLONE_MARKER = '[kaltura-discord-bot]';
/** The clone's `systemName`: the stock one plus this (Kaltura wants a partner's system names unique). */
export const CLONE_SUFFIX = '_DISCORD_BOT';

/** The system name the partner's template for a table row has. */
export function ownSystemName(spec: WebhookTemplate): string {
	return spec.source === 'stock' ? `${spec.systemName}${CLONE_SUFFIX}` : spec.systemName;
}

type Template = kalturaServices.EventNotificationTemplate;

/** The fields this tool sets on a template; compared with what the template has to decide whether to update it. */
export function wanted(spec: WebhookTemplate, url: string, hash: HashAlgorithm) {
	return {
		url,
		method: METHOD_POST,
		secureHashingAlgo: HASH_ALGORITHMS[hash],
		data: new kaltura.objects.HttpNotificationObjectData({
			apiObjectType: spec.apiObjectType,
			format: FORMAT_JSON,
			ignoreNull: true,
			code: '$scope->getObject()'
		})
	};
}

export function isSetUp(template: Template, spec: WebhookTemplate, url: string, hash: HashAlgorithm): boolean {
	return (
		template.url === url &&
		Number(template.method ?? METHOD_POST) === METHOD_POST &&
		Number(template.secureHashingAlgo ?? 1) === HASH_ALGORITHMS[hash] &&
		template.data?.objectType === 'KalturaHttpNotificationObjectData' &&
		template.data.apiObjectType === spec.apiObjectType &&
		Number(template.data.format ?? FORMAT_JSON) === FORMAT_JSON
	);
}

export function description(spec: WebhookTemplate): string {
	const origin = spec.source === 'stock' ? ` Cloned from ${spec.systemName}.` : '';
	return `${CLONE_MARKER} Posts ${spec.types.join(', ')} to the Discord bot.${origin}`;
}

/**
 * The template as Kaltura's administrator adds it to partner 0 with an Admin Console (partner -2) session:
 * `eventNotificationTemplate.add` without `partnerId` (EventNotificationTemplateService::addAction saves it for
 * partner 0, which every partner's `listTemplates` and `clone` read). Its URL is a placeholder each partner's clone
 * replaces.
 */
export function adminConsoleDefinition(spec: OwnTemplate): object {
	return new kaltura.objects.HttpNotificationTemplate({
		systemName: spec.systemName,
		name: spec.name,
		description: `Posts ${spec.types.join(', ')} to a Discord bot; clone it with npm run kaltura:webhooks.`,
		eventType: spec.eventType,
		eventObjectType: spec.eventObjectType,
		eventConditions: spec.conditions(),
		automaticDispatchEnabled: true,
		...wanted(spec, 'https://example.invalid/api/v1/webhooks/kaltura', 'sha256')
	});
}
