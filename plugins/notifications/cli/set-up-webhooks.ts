import kaltura from 'kaltura-client';
import { type AdminScope, type KalturaFacade, kalturaServices } from '#sdk';
import type { NotificationType } from '../lib/normalise.js';

/**
 * The one ADMIN session the set-up uses, limited to the notification template actions: event
 * notification templates are the partner's configuration, which only admin roles may read or change.
 */
const TEMPLATES_SCOPE: AdminScope = {
	actions: [
		'eventnotification_eventnotificationtemplate.list',
		'eventnotification_eventnotificationtemplate.listTemplates',
		'eventnotification_eventnotificationtemplate.clone',
		'eventnotification_eventnotificationtemplate.update',
		'eventnotification_eventnotificationtemplate.updateStatus'
	],
	why: 'npm run kaltura:webhooks clones, points and enables the partner’s HTTP notification templates'
};

export const HASH_ALGORITHMS = { sha1: 1, sha256: 2, sha512: 3 } as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHMS;

/** KalturaEventNotificationTemplateStatus. */
const STATUS_ACTIVE = 2;
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
const PAGE_SIZE = 500;

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

export interface SetUpOptions {
	/** Where Kaltura should POST, e.g. `https://bot.example/api/v1/webhooks/kaltura`. */
	readonly url: string;
	readonly hash?: HashAlgorithm;
	/** Work out and report what would change, change nothing. */
	readonly dryRun?: boolean;
}

export type TemplateAction = 'cloned' | 'updated' | 'enabled';

export interface TemplateOutcome {
	/** The table row's `systemName` (the stock one for a clone). */
	readonly specSystemName: string;
	/** The partner's template's `systemName`. */
	readonly systemName: string;
	/** The template's id; undefined for one a dry run would have made. */
	readonly id: number | undefined;
	readonly types: readonly NotificationType[];
	/** What was (or, in a dry run, would be) done; empty when it was already set up. */
	readonly actions: readonly TemplateAction[];
}

export interface SetUpSummary {
	readonly url: string;
	readonly hash: HashAlgorithm;
	readonly dryRun: boolean;
	readonly templates: readonly TemplateOutcome[];
	/** Templates of the table that this partner's Kaltura does not offer in partner 0 (own ones until its administrator adds them). */
	readonly notOffered: readonly WebhookTemplate[];
}

export class SetUpError extends Error {
	public constructor(message: string) {
		super(message);
		this.name = 'SetUpError';
	}
}

type Template = kalturaServices.EventNotificationTemplate;

const { eventNotificationTemplate } = kalturaServices;

/** The URL, refused unless it is an absolute http(s) URL. */
export function checkWebhookUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new SetUpError(`--url must be an absolute http(s) URL such as https://bot.example/api/v1/webhooks/kaltura; got “${url}”.`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new SetUpError(`--url must be an http(s) URL such as https://bot.example/api/v1/webhooks/kaltura; “${parsed.protocol}” is not.`);
	}
	return parsed.href;
}

/** Every page of partner 0's templates (`listTemplates`) or the partner's own (`list`). */
async function listAll(facade: KalturaFacade, which: 'listTemplates' | 'list'): Promise<Template[]> {
	const all: Template[] = [];
	for (let pageIndex = 1; ; pageIndex++) {
		const page = await facade.admin(TEMPLATES_SCOPE, eventNotificationTemplate[which]({ pageSize: PAGE_SIZE, pageIndex }));
		all.push(...page.objects);
		if (page.objects.length < PAGE_SIZE || all.length >= page.totalCount) return all;
	}
}

function isHttp(template: Template): boolean {
	return template.type === 'httpNotification.Http';
}

/** The fields this tool sets on a template; compared with what the template has to decide whether to update it. */
function wanted(spec: WebhookTemplate, url: string, hash: HashAlgorithm) {
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

function isSetUp(template: Template, spec: WebhookTemplate, url: string, hash: HashAlgorithm): boolean {
	return (
		template.url === url &&
		Number(template.method ?? METHOD_POST) === METHOD_POST &&
		Number(template.secureHashingAlgo ?? 1) === HASH_ALGORITHMS[hash] &&
		template.data?.objectType === 'KalturaHttpNotificationObjectData' &&
		template.data.apiObjectType === spec.apiObjectType &&
		Number(template.data.format ?? FORMAT_JSON) === FORMAT_JSON
	);
}

function description(spec: WebhookTemplate): string {
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

/**
 * Makes the partner's Kaltura send the plugin's events to `url`: for each row of {@link WEBHOOK_TEMPLATES}, one
 * template of the partner's own (found again by its system name and description marker, so a second run makes
 * none), cloned from partner 0's, pointed at `url`, signed with `hash`, sending the object as JSON, and ACTIVE.
 * Only what differs is changed: a run with the same options changes nothing, one with another URL updates the
 * templates in place. A template this Kaltura does not offer is reported and skipped, so the others are still set up.
 */
export async function setUpKalturaWebhooks(facade: KalturaFacade, options: SetUpOptions): Promise<SetUpSummary> {
	const url = checkWebhookUrl(options.url);
	const hash = options.hash ?? 'sha256';
	if (!(hash in HASH_ALGORITHMS)) throw new SetUpError(`--hash must be sha1, sha256 or sha512; got “${String(hash)}”.`);
	const dryRun = options.dryRun ?? false;

	const stock = (await listAll(facade, 'listTemplates')).filter(isHttp);
	const own = (await listAll(facade, 'list')).filter(isHttp);
	const templates: TemplateOutcome[] = [];
	const notOffered: WebhookTemplate[] = [];

	for (const spec of WEBHOOK_TEMPLATES) {
		const systemName = ownSystemName(spec);
		const actions: TemplateAction[] = [];
		let template = own.find((candidate) => candidate.systemName === systemName && (candidate.description ?? '').startsWith(CLONE_MARKER));
		if (template === undefined) {
			const source = stock.find((candidate) => candidate.systemName === spec.systemName);
			if (source?.id === undefined) {
				notOffered.push(spec);
				continue;
			}
			actions.push('cloned');
			if (!dryRun) {
				const name = spec.source === 'stock' ? `${source.name ?? spec.systemName} (Discord bot)` : spec.name;
				template = await facade.admin(
					TEMPLATES_SCOPE,
					eventNotificationTemplate.cloneHttp(source.id, { systemName, name, description: description(spec) })
				);
			}
		}
		if (template === undefined || !isSetUp(template, spec, url, hash)) {
			// A fresh clone still has the stock URL: setting it is part of cloning, not an update.
			if (!actions.includes('cloned')) actions.push('updated');
			if (!dryRun && template?.id !== undefined) {
				template = await facade.admin(TEMPLATES_SCOPE, eventNotificationTemplate.updateHttp(template.id, wanted(spec, url, hash)));
			}
		}
		// A clone keeps its source's status, and a template may have been disabled since.
		if (template === undefined || Number(template.status) !== STATUS_ACTIVE) {
			actions.push('enabled');
			if (!dryRun && template?.id !== undefined) {
				template = await facade.admin(TEMPLATES_SCOPE, eventNotificationTemplate.updateStatus(template.id, STATUS_ACTIVE));
			}
		}
		templates.push({ specSystemName: spec.systemName, systemName, id: template?.id, types: spec.types, actions });
	}
	return { url, hash, dryRun, templates, notOffered };
}

/** The plain summary the CLI prints. */
export function formatSummary(summary: SetUpSummary): string {
	const prefix = summary.dryRun ? 'would be ' : '';
	const named = (action: TemplateAction) =>
		summary.templates.filter((template) => template.actions.includes(action)).map((template) => template.systemName);
	const alreadySetUp = summary.templates.filter((template) => template.actions.length === 0).map((template) => template.systemName);
	const line = (label: string, names: readonly string[]) => `${label}: ${names.length}${names.length > 0 ? ` (${names.join('; ')})` : ''}`;
	const lines = [
		`Kaltura webhooks → ${summary.url} (${summary.hash})${summary.dryRun ? ' — dry run, nothing changed' : ''}`,
		line(`${prefix}cloned`, named('cloned')),
		line('already set up', alreadySetUp),
		line(`${prefix}updated`, named('updated')),
		line(`${prefix}enabled`, named('enabled')),
		line(
			'not offered by this Kaltura',
			summary.notOffered.map((template) => `${template.systemName}: ${template.types.join(', ')}`)
		)
	];
	if (summary.notOffered.some((template) => template.source === 'own')) {
		lines.push(
			`Kaltura has no HTTP template for some events, and only its Admin Console (partner -2) may add one: ask Kaltura, or your server's administrator, to add the bot's templates to partner 0 (npm run kaltura:webhooks -- --admin-templates prints the requests; docs/plugins/notifications.md), then run this again to get those events.`
		);
	}
	return lines.join('\n');
}
