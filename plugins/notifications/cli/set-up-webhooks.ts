import kaltura from 'kaltura-client';
import type { KalturaFacade } from '../../../src/core/kaltura/kaltura-facade.js';
import type { NotificationType } from '../lib/normalise.js';

/**
 * The partner-0 stock HTTP notification templates the plugin uses, by `systemName`, and what each one
 * feeds. This is the one place the list lives: the CLI, its test and the docs all follow it.
 *
 * Names marked "stand-in" are the ones the Kaltura stand-in (tests/harness/kaltura/templates.ts, after
 * kaltura/server's deployment XML) offers and the test exercises. The others are the names we expect on a
 * Kaltura server with the live, scheduling and entry-added templates deployed; they were not checked
 * against a real server, and a partner whose server does not offer one gets "not offered" in the
 * summary instead of an error. `apiObjectType` is the object Kaltura puts in the JSON body
 * (`KalturaHttpNotificationObjectData`), chosen so that `lib/normalise.ts` finds the fields it reads
 * (`status`, `sourceType`, `type`/`liveStatus`, `categoryId`...).
 */
export const WEBHOOK_TEMPLATES: readonly WebhookTemplate[] = [
	// stand-in: fires when `status` changes to `trigger_status` (2 = READY, the stock default).
	{ systemName: 'HTTP_ENTRY_STATUS_EQUALS', types: ['entry.ready', 'recording.ready'], apiObjectType: 'KalturaMediaEntry' },
	// unverified name.
	{ systemName: 'HTTP_ENTRY_ADDED', types: ['entry.added'], apiObjectType: 'KalturaMediaEntry' },
	// stand-in.
	{ systemName: 'HTTP_ENTRY_ADDED_TO_CATEGORY', types: ['entry.added_to_category'], apiObjectType: 'KalturaCategoryEntry' },
	// unverified name: a live entry whose `liveStatus` changed.
	{ systemName: 'HTTP_LIVE_STREAM_STATUS_CHANGED', types: ['live_stream.started', 'live_stream.ended'], apiObjectType: 'KalturaLiveStreamEntry' },
	// unverified names.
	{ systemName: 'HTTP_SCHEDULE_EVENT_ADDED', types: ['meeting.scheduled'], apiObjectType: 'KalturaScheduleEvent' },
	{ systemName: 'HTTP_SCHEDULE_EVENT_CANCELLED', types: ['meeting.cancelled'], apiObjectType: 'KalturaScheduleEvent' },
	// stand-in.
	{ systemName: 'USER_CREATED', types: ['user.created'], apiObjectType: 'KalturaUser' }
];

export interface WebhookTemplate {
	/** The stock (partner 0) template's `systemName`. */
	readonly systemName: string;
	readonly types: readonly NotificationType[];
	readonly apiObjectType: string;
}

/** Put at the start of each clone's description, so a clone made by this tool is recognised as one. */
export const CLONE_MARKER = '[kaltura-discord-bot]';
/** The clone's `systemName`: the stock one plus this (Kaltura wants a partner's system names unique). */
export const CLONE_SUFFIX = '_DISCORD_BOT';

export const HASH_ALGORITHMS = { sha1: 1, sha256: 2, sha512: 3 } as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHMS;

/** KalturaEventNotificationTemplateStatus. */
const STATUS_ACTIVE = 2;
/** KalturaHttpNotificationMethod. */
const METHOD_POST = 2;
/** KalturaResponseType JSON. */
const FORMAT_JSON = 1;
const PAGE_SIZE = 500;

export interface SetUpOptions {
	/** Where Kaltura should POST, e.g. `https://bot.example/api/v1/webhooks/kaltura`. */
	readonly url: string;
	readonly hash?: HashAlgorithm;
	/** Work out and report what would change, change nothing. */
	readonly dryRun?: boolean;
}

export type TemplateAction = 'cloned' | 'updated' | 'enabled';

export interface TemplateOutcome {
	readonly stockSystemName: string;
	readonly systemName: string;
	/** The clone's id; undefined for a clone a dry run would have made. */
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
	/** Stock templates of the table that this partner's Kaltura does not offer. */
	readonly notOffered: readonly WebhookTemplate[];
}

export class SetUpError extends Error {
	public constructor(message: string) {
		super(message);
		this.name = 'SetUpError';
	}
}

interface RawTemplate {
	id?: number;
	partnerId?: number;
	type?: string;
	status?: number;
	systemName?: string;
	name?: string;
	description?: string;
	url?: string;
	method?: number;
	secureHashingAlgo?: number;
	data?: { objectType?: string; apiObjectType?: string; format?: number | string };
}

interface ListResponse {
	objects?: RawTemplate[];
	totalCount?: number;
}

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

async function listAll(facade: KalturaFacade, action: 'listTemplates' | 'listAction'): Promise<RawTemplate[]> {
	const all: RawTemplate[] = [];
	for (let pageIndex = 1; ; pageIndex++) {
		const pager = new kaltura.objects.FilterPager!({ pageSize: PAGE_SIZE, pageIndex });
		const page = await facade.admin<ListResponse>('', () => kaltura.services.eventNotificationTemplate![action]!(null, pager));
		const objects = page.objects ?? [];
		all.push(...objects);
		if (objects.length < PAGE_SIZE || all.length >= (page.totalCount ?? 0)) return all;
	}
}

function isHttp(template: RawTemplate): boolean {
	return template.type === 'httpNotification.Http';
}

/** The fields this tool sets on a clone; compared with what the clone has to decide whether to update it. */
function wanted(spec: WebhookTemplate, url: string, hash: HashAlgorithm) {
	return {
		url,
		method: METHOD_POST,
		secureHashingAlgo: HASH_ALGORITHMS[hash],
		data: new kaltura.objects.HttpNotificationObjectData!({ apiObjectType: spec.apiObjectType, format: FORMAT_JSON, ignoreNull: true, code: '$scope->getObject()' })
	};
}

function isSetUp(template: RawTemplate, spec: WebhookTemplate, url: string, hash: HashAlgorithm): boolean {
	return (
		template.url === url &&
		Number(template.method ?? METHOD_POST) === METHOD_POST &&
		Number(template.secureHashingAlgo ?? 1) === HASH_ALGORITHMS[hash] &&
		template.data?.objectType === 'KalturaHttpNotificationObjectData' &&
		template.data.apiObjectType === spec.apiObjectType &&
		Number(template.data.format ?? FORMAT_JSON) === FORMAT_JSON
	);
}

/**
 * Makes the partner's Kaltura send the plugin's events to `url`: for each stock template of
 * {@link WEBHOOK_TEMPLATES} the partner is offered, one clone of its own (found again by its system
 * name and description marker, so a second run clones nothing), pointed at `url`, signed with `hash`,
 * sending the object as JSON, and ACTIVE. Only what differs is changed: a run with the same options
 * changes nothing, one with another URL updates the clones in place.
 */
export async function setUpKalturaWebhooks(facade: KalturaFacade, options: SetUpOptions): Promise<SetUpSummary> {
	const url = checkWebhookUrl(options.url);
	const hash = options.hash ?? 'sha256';
	if (!(hash in HASH_ALGORITHMS)) throw new SetUpError(`--hash must be sha1, sha256 or sha512; got “${String(hash)}”.`);
	const dryRun = options.dryRun ?? false;

	const stock = (await listAll(facade, 'listTemplates')).filter(isHttp);
	const own = (await listAll(facade, 'listAction')).filter(isHttp);
	const templates: TemplateOutcome[] = [];
	const notOffered: WebhookTemplate[] = [];

	for (const spec of WEBHOOK_TEMPLATES) {
		const source = stock.find((template) => template.systemName === spec.systemName);
		if (source?.id === undefined) {
			notOffered.push(spec);
			continue;
		}
		const systemName = `${spec.systemName}${CLONE_SUFFIX}`;
		const actions: TemplateAction[] = [];
		let clone = own.find((template) => template.systemName === systemName && (template.description ?? '').startsWith(CLONE_MARKER));
		if (clone === undefined) {
			actions.push('cloned');
			if (!dryRun) {
				const override = new kaltura.objects.HttpNotificationTemplate!({
					systemName,
					name: `${source.name ?? spec.systemName} (Discord bot)`,
					description: `${CLONE_MARKER} Posts ${spec.types.join(', ')} to the Discord bot. Cloned from ${spec.systemName}.`
				});
				clone = await facade.admin<RawTemplate>('', () => kaltura.services.eventNotificationTemplate!.cloneAction!(source.id, override));
			}
		}
		if (clone === undefined || !isSetUp(clone, spec, url, hash)) {
			// A fresh clone still has the stock URL: setting it is part of cloning, not an update.
			if (!actions.includes('cloned')) actions.push('updated');
			if (!dryRun && clone?.id !== undefined) {
				const id = clone.id;
				const update = new kaltura.objects.HttpNotificationTemplate!(wanted(spec, url, hash));
				clone = await facade.admin<RawTemplate>('', () => kaltura.services.eventNotificationTemplate!.update!(id, update));
			}
		}
		if (clone === undefined || Number(clone.status) !== STATUS_ACTIVE) {
			actions.push('enabled');
			if (!dryRun && clone?.id !== undefined) {
				const id = clone.id;
				clone = await facade.admin<RawTemplate>('', () => kaltura.services.eventNotificationTemplate!.updateStatus!(id, STATUS_ACTIVE));
			}
		}
		templates.push({ stockSystemName: spec.systemName, systemName, id: clone?.id, types: spec.types, actions });
	}
	return { url, hash, dryRun, templates, notOffered };
}

/** The plain summary the CLI prints. */
export function formatSummary(summary: SetUpSummary): string {
	const prefix = summary.dryRun ? 'would be ' : '';
	const named = (action: TemplateAction) => summary.templates.filter((template) => template.actions.includes(action)).map((template) => template.systemName);
	const alreadySetUp = summary.templates.filter((template) => template.actions.length === 0).map((template) => template.systemName);
	const line = (label: string, names: readonly string[]) => `${label}: ${names.length}${names.length > 0 ? ` (${names.join('; ')})` : ''}`;
	return [
		`Kaltura webhooks → ${summary.url} (${summary.hash})${summary.dryRun ? ' — dry run, nothing changed' : ''}`,
		line(`${prefix}cloned`, named('cloned')),
		line('already set up', alreadySetUp),
		line(`${prefix}updated`, named('updated')),
		line(`${prefix}enabled`, named('enabled')),
		line('not offered by this Kaltura', summary.notOffered.map((template) => `${template.systemName}: ${template.types.join(', ')}`))
	].join('\n');
}
