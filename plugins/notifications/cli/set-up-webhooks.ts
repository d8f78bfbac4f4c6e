import { type AdminScope, type KalturaFacade, kalturaServices } from '#sdk';
import type { NotificationType } from '../lib/normalise.js';
import {
	CLONE_MARKER,
	description,
	HASH_ALGORITHMS,
	isSetUp,
	ownSystemName,
	wanted,
	WEBHOOK_TEMPLATES,
	type HashAlgorithm,
	type WebhookTemplate
} from './webhook-templates.js';

export {
	adminConsoleDefinition,
	CLONE_MARKER,
	CLONE_SUFFIX,
	HASH_ALGORITHMS,
	ownSystemName,
	WEBHOOK_TEMPLATES,
	type HashAlgorithm,
	type OwnTemplate,
	type StockTemplate,
	type WebhookTemplate
} from './webhook-templates.js';

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

/** KalturaEventNotificationTemplateStatus. */
const STATUS_ACTIVE = 2;
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
