import kaltura from 'kaltura-client';
import { z } from 'zod';
import { toKalturaError } from '../../src/core/kaltura/kaltura-error.js';
import {
	adminPrivileges,
	BOT_KALTURA_USER_ID,
	MEMBER_KS_MIN_SECONDS,
	type AdminScope,
	type KalturaFacade
} from '../../src/core/kaltura/kaltura-facade.js';
import { KalturaSessionType } from '../../src/core/kaltura/ks-v2.js';
import { kalturaRequest } from '../../src/core/kaltura/services/kaltura-request.js';
import { CLONE_MARKER, LIVE_CHECK_TAG, ownSystemName, WEBHOOK_TEMPLATES } from '../../plugins/notifications/api.js';
import { CleanupStack } from './cleanup.js';
import { kalturaDetail, kalturaFix, type KalturaCallKind, type KalturaFixContext } from './kaltura-fixes.js';
import type { StepResult } from './report.js';

/** The name of everything the check creates on Kaltura, so anyone who sees it knows what it is. */
export const LIVE_CHECK_NAME = 'kaltura-discord-bot live check';
/** The tag on the schedule objects it creates (Kaltura tags allow no spaces), so they can be found and filtered out. */
export { LIVE_CHECK_TAG };
const DESCRIPTION = 'Made by `npm run check:live` of the Kaltura Discord bot and deleted again at once; if you see it, it is safe to delete.';

/**
 * The ADMIN sessions of the check, one per step, each reaching only the actions it uses (urirestrict): the
 * check proves the bot's credentials work without holding a session that could do more than it needs.
 */
export const LIVE_CHECK_SCOPES = {
	media: { actions: ['media.list'], why: 'the live check lists one entry, as the videos plugin searches them' },
	category: {
		actions: ['category.list', 'category.add', 'category.delete'],
		why: 'the live check finds or makes its test category, and deletes it when it made it'
	},
	scheduleResource: {
		actions: ['schedule_scheduleresource.add', 'schedule_scheduleresource.delete'],
		why: 'the live check makes a schedule resource (a meeting room is one) and deletes it'
	},
	scheduleEvent: {
		actions: ['schedule_scheduleevent.add', 'schedule_scheduleevent.delete'],
		why: 'the live check makes a schedule event (a meeting is one) and deletes it'
	},
	templates: {
		actions: ['eventnotification_eventnotificationtemplate.list'],
		why: 'the live check looks the partner’s webhook templates up, as the notifications set-up does'
	}
} as const satisfies Record<string, AdminScope>;

/** KalturaScheduleEventRecurrenceType NONE. */
const RECURRENCE_NONE = 0;
/** KalturaEventNotificationTemplateStatus ACTIVE. */
const TEMPLATE_ACTIVE = 2;
const TEMPLATE_PAGE_SIZE = 500;
/** The test event lies a week ahead, for a quarter of an hour: in no one's way for the moment it exists. */
const EVENT_OFFSET_SECONDS = 7 * 24 * 60 * 60;
const EVENT_LENGTH_SECONDS = 15 * 60;

export interface KalturaCheckOptions extends KalturaFixContext {
	readonly facade: KalturaFacade;
	/** Prefix of the members' Kaltura user ids (KALTURA_USER_ID_PREFIX): the members' session acts as one such user. */
	readonly userIdPrefix: string;
	/** Seconds since the epoch. */
	readonly now?: () => number;
}

/** What the checks read of an object Kaltura made or listed; its id is checked where it is used. */
const CREATED = z.object({ id: z.unknown().optional(), name: z.unknown().optional() });
const LIST_OF_CREATED = z.object({ objects: z.array(CREATED).optional(), totalCount: z.number().optional() });

const TEMPLATE = z.object({
	id: z.number().optional(),
	type: z.string().optional(),
	status: z.number().optional(),
	systemName: z.string().optional(),
	description: z.string().optional(),
	url: z.string().optional()
});
type RawTemplate = z.output<typeof TEMPLATE>;
const LIST_OF_TEMPLATES = z.object({ objects: z.array(TEMPLATE).optional(), totalCount: z.number().optional() });

/** A row for a step that failed on Kaltura, with the fix for what it answered. */
function failedRow(id: string, step: string, error: unknown, kind: KalturaCallKind, context: KalturaFixContext): StepResult {
	const failure = toKalturaError(error);
	return { id, service: 'Kaltura', step, status: 'failed', detail: kalturaDetail(failure), fix: kalturaFix(failure, kind, context) };
}

function skippedRow(id: string, step: string, why: string): StepResult {
	return { id, service: 'Kaltura', step, status: 'skipped', detail: why };
}

/**
 * The Kaltura half of the live check: a session from the configured source (and one from the members' source),
 * `media.list`, a schedule resource and a schedule event made in the test category, the partner's webhook
 * templates. What it creates is deleted at the end whatever happened; a deletion that fails is a row of its own.
 */
export async function checkKaltura(options: KalturaCheckOptions): Promise<StepResult[]> {
	const results: StepResult[] = [];
	const cleanup = new CleanupStack();
	try {
		const sessionWorks = await checkBotSession(options, results);
		results.push(await checkMembersSession(options));
		if (!sessionWorks) {
			const why = 'not tried: the bot’s session or Kaltura itself failed above';
			results.push(
				skippedRow('kaltura.webhook-templates', 'look up the webhook templates', why),
				skippedRow('kaltura.category', 'find or make the test category', why),
				skippedRow('kaltura.schedule-resource', 'make and delete a schedule resource', why),
				skippedRow('kaltura.schedule-event', 'make and delete a schedule event', why)
			);
			return results;
		}
		const templates = await checkWebhookTemplates(options);
		results.push(templates.row);
		const categoryId = await checkCategory(options, results, cleanup);
		await checkScheduleResource(options, results, cleanup);
		await checkScheduleEvent(options, results, cleanup, { categoryId });
	} finally {
		results.push(...(await cleanup.removeAll()));
	}
	return results;
}

function sessionStep(options: KalturaCheckOptions): string {
	return `session (${options.source})`;
}

/**
 * A session from the configured source, proven by the first call made with it (`media.list`, one entry): a
 * locally built KS cannot fail until Kaltura reads it. Adds the session row and the media.list row; true when
 * the other steps can go on (Kaltura took the session and could be reached).
 */
async function checkBotSession(options: KalturaCheckOptions, results: StepResult[]): Promise<boolean> {
	const step = sessionStep(options);
	const request = {
		userId: BOT_KALTURA_USER_ID,
		type: KalturaSessionType.Admin,
		privileges: adminPrivileges(LIVE_CHECK_SCOPES.media, options.serviceUrl)
	};
	try {
		// The same session the facade then uses for media.list (the cache hands it out again).
		await options.facade.sessions.get(request);
	} catch (error) {
		results.push(failedRow('kaltura.session', step, error, 'session', options));
		results.push(skippedRow('kaltura.media-list', 'media.list (1 entry)', 'needs the bot’s Kaltura session, which failed'));
		return false;
	}
	try {
		const page = await options.facade.admin(
			LIVE_CHECK_SCOPES.media,
			kalturaRequest(
				() =>
					kaltura.services.media.listAction(
						new kaltura.objects.MediaEntryFilter({}),
						new kaltura.objects.FilterPager({ pageSize: 1, pageIndex: 1 })
					),
				LIST_OF_CREATED
			)
		);
		results.push({
			id: 'kaltura.session',
			service: 'Kaltura',
			step,
			status: 'ok',
			detail: `${sourceDescription(options)}; Kaltura accepted it (partner ${options.partnerId})`
		});
		const total = typeof page.totalCount === 'number' ? page.totalCount : (page.objects?.length ?? 0);
		results.push({
			id: 'kaltura.media-list',
			service: 'Kaltura',
			step: 'media.list (1 entry)',
			status: 'ok',
			detail: `answered; the partner has ${total} media ${total === 1 ? 'entry' : 'entries'}`
		});
		return true;
	} catch (error) {
		const failure = toKalturaError(error);
		if (failure.code === 'INVALID_KS' || failure.code === 'MISSING_KS') {
			// Refused twice (the facade tries once more with a new session): the session is what is wrong.
			results.push(failedRow('kaltura.session', step, failure, 'session', options));
			results.push(skippedRow('kaltura.media-list', 'media.list (1 entry)', 'Kaltura refused the bot’s session'));
			return false;
		}
		const transport = failure.code === 'UNREACHABLE' || failure.code === 'TIMEOUT' || failure.code === 'BAD_RESPONSE';
		if (transport && options.source === 'local') {
			// A local session has not met Kaltura before this call: nothing is known about it.
			results.push(failedRow('kaltura.session', step, failure, 'session', options));
			results.push(skippedRow('kaltura.media-list', 'media.list (1 entry)', 'Kaltura could not be reached'));
			return false;
		}
		results.push({
			id: 'kaltura.session',
			service: 'Kaltura',
			step,
			status: 'ok',
			detail: `${sourceDescription(options)}; Kaltura accepted it (partner ${options.partnerId})`
		});
		results.push(failedRow('kaltura.media-list', 'media.list (1 entry)', failure, 'media', options));
		return !transport;
	}
}

function sourceDescription(options: KalturaFixContext): string {
	switch (options.source) {
		case 'local':
			return 'built with KALTURA_ADMIN_SECRET';
		case 'session-start':
			return 'opened with session.start and KALTURA_ADMIN_SECRET';
		case 'app-token':
			return 'opened with the app token KALTURA_APP_TOKEN_ID';
	}
}

/**
 * A session from the members' source, as a join link gets one (a USER session, the shortest life the bot
 * hands out). It is not used for anything and expires on its own; it is not ended, since ending a session
 * is recorded by Kaltura, and the check leaves nothing behind.
 */
async function checkMembersSession(options: KalturaCheckOptions): Promise<StepResult> {
	const step = 'members’ session (join links)';
	try {
		await options.facade.userKs({ userId: `${options.userIdPrefix}live-check`, privileges: '' }, MEMBER_KS_MIN_SECONDS);
	} catch (error) {
		return failedRow('kaltura.members-session', step, error, 'members-session', options);
	}
	const detail =
		options.source === 'app-token'
			? 'opened with the app token KALTURA_MEMBER_APP_TOKEN_ID (a USER session, unused; it expires in 5 minutes)'
			: `${options.source === 'local' ? 'built' : 'opened'} with KALTURA_ADMIN_SECRET, as the bot’s own (a USER session, unused; it expires in 5 minutes)`;
	return { id: 'kaltura.members-session', service: 'Kaltura', step, status: 'ok', detail };
}

/** The test category: found by its full name, or made (and then deleted at the end). Undefined when neither worked. */
async function checkCategory(options: KalturaCheckOptions, results: StepResult[], cleanup: CleanupStack): Promise<number | undefined> {
	const step = 'find or make the test category';
	const scope = LIVE_CHECK_SCOPES.category;
	try {
		const found = await options.facade.admin(
			scope,
			kalturaRequest(
				() =>
					kaltura.services.category.listAction(
						new kaltura.objects.CategoryFilter({ fullNameEqual: LIVE_CHECK_NAME }),
						new kaltura.objects.FilterPager({ pageSize: 1, pageIndex: 1 })
					),
				LIST_OF_CREATED
			)
		);
		const existing = Number(found.objects?.[0]?.id);
		if (Number.isInteger(existing) && existing > 0) {
			results.push({
				id: 'kaltura.category',
				service: 'Kaltura',
				step,
				status: 'ok',
				detail: `found category ${existing} “${LIVE_CHECK_NAME}” (kept: it was there before)`
			});
			return existing;
		}
		const created = await options.facade.admin(
			scope,
			kalturaRequest(
				() => kaltura.services.category.add(new kaltura.objects.Category({ name: LIVE_CHECK_NAME, description: DESCRIPTION })),
				CREATED
			)
		);
		const id = Number(created.id);
		cleanup.add({
			id: 'cleanup.category',
			service: 'Kaltura',
			what: `category ${id}`,
			remove: async () => {
				await options.facade.admin(scope, () => kaltura.services.category.deleteAction(id, 1));
			},
			byHand: `KMC > Content > Categories, category ${id} “${LIVE_CHECK_NAME}” (or the API: category.delete id=${id}).`,
			describe: (error) => kalturaDetail(toKalturaError(error))
		});
		results.push({
			id: 'kaltura.category',
			service: 'Kaltura',
			step,
			status: 'ok',
			detail: `made category ${id} “${LIVE_CHECK_NAME}” (deleted at the end)`
		});
		return id;
	} catch (error) {
		results.push(failedRow('kaltura.category', step, error, 'category', options));
		return undefined;
	}
}

/**
 * A schedule resource, named and tagged as the check's (a resource carries no category in Kaltura, so its
 * name says what it is), then deleted at the end.
 */
async function checkScheduleResource(options: KalturaCheckOptions, results: StepResult[], cleanup: CleanupStack): Promise<void> {
	const step = 'make and delete a schedule resource';
	const scope = LIVE_CHECK_SCOPES.scheduleResource;
	try {
		const created = await options.facade.admin(
			scope,
			kalturaRequest(
				() =>
					kaltura.services.scheduleResource.add(
						new kaltura.objects.LocationScheduleResource({ name: LIVE_CHECK_NAME, description: DESCRIPTION, tags: LIVE_CHECK_TAG })
					),
				CREATED
			)
		);
		const id = Number(created.id);
		cleanup.add({
			id: 'cleanup.schedule-resource',
			service: 'Kaltura',
			what: `schedule resource ${id}`,
			remove: async () => {
				await options.facade.admin(scope, () => kaltura.services.scheduleResource.deleteAction(id));
			},
			byHand: `the API call scheduleResource.delete scheduleResourceId=${id} (a resource named “${LIVE_CHECK_NAME}”, tagged ${LIVE_CHECK_TAG}).`,
			describe: (error) => kalturaDetail(toKalturaError(error))
		});
		results.push({
			id: 'kaltura.schedule-resource',
			service: 'Kaltura',
			step,
			status: 'ok',
			detail: `made resource ${id} “${LIVE_CHECK_NAME}” (tag ${LIVE_CHECK_TAG}; resources carry no category), deleted at the end`
		});
	} catch (error) {
		results.push(failedRow('kaltura.schedule-resource', step, error, 'schedule', options));
	}
}

/**
 * A schedule event a week ahead, in the test category when there is one, then deleted at the end. Kaltura tells
 * the bot's webhooks about it like any other event; the notifications plugin knows it by its tag and posts nothing.
 */
async function checkScheduleEvent(
	options: KalturaCheckOptions,
	results: StepResult[],
	cleanup: CleanupStack,
	{ categoryId }: { readonly categoryId: number | undefined }
): Promise<void> {
	const step = 'make and delete a schedule event';
	const scope = LIVE_CHECK_SCOPES.scheduleEvent;
	const now = Math.floor((options.now ?? (() => Date.now() / 1000))());
	const startDate = now + EVENT_OFFSET_SECONDS;
	try {
		const created = await options.facade.admin(
			scope,
			kalturaRequest(
				() =>
					kaltura.services.scheduleEvent.add(
						new kaltura.objects.RecordScheduleEvent({
							summary: LIVE_CHECK_NAME,
							description: DESCRIPTION,
							startDate,
							endDate: startDate + EVENT_LENGTH_SECONDS,
							recurrenceType: RECURRENCE_NONE,
							tags: LIVE_CHECK_TAG,
							...(categoryId === undefined ? {} : { categoryIds: String(categoryId) })
						})
					),
				CREATED
			)
		);
		const id = Number(created.id);
		cleanup.add({
			id: 'cleanup.schedule-event',
			service: 'Kaltura',
			what: `schedule event ${id}`,
			remove: async () => {
				await options.facade.admin(scope, () => kaltura.services.scheduleEvent.deleteAction(id));
			},
			byHand: `the API call scheduleEvent.delete scheduleEventId=${id} (an event “${LIVE_CHECK_NAME}” a week from the run, tagged ${LIVE_CHECK_TAG}).`,
			describe: (error) => kalturaDetail(toKalturaError(error))
		});
		const where = categoryId === undefined ? 'without a category (the test category failed)' : `in category ${categoryId}`;
		results.push({
			id: 'kaltura.schedule-event',
			service: 'Kaltura',
			step,
			status: 'ok',
			detail: `made event ${id} ${where}, a week ahead, deleted at the end`
		});
	} catch (error) {
		results.push(failedRow('kaltura.schedule-event', step, error, 'schedule', options));
	}
}

/**
 * The partner's event notification templates (`eventNotificationTemplate.list`, as `npm run kaltura:webhooks`
 * reads them), and how many of the notifications plugin's are among them and active. Templates not set up
 * are a warning, not a failure: the bot runs without them, only the notifications plugin gets no events.
 */
async function checkWebhookTemplates(options: KalturaCheckOptions): Promise<{ readonly row: StepResult; readonly meetingEventsActive: boolean }> {
	const step = 'look up the webhook templates';
	const templates: RawTemplate[] = [];
	try {
		for (let pageIndex = 1; ; pageIndex++) {
			const page = await options.facade.admin(
				LIVE_CHECK_SCOPES.templates,
				kalturaRequest(
					() =>
						kaltura.services.eventNotificationTemplate.listAction(
							null,
							new kaltura.objects.FilterPager({ pageSize: TEMPLATE_PAGE_SIZE, pageIndex })
						),
					LIST_OF_TEMPLATES
				)
			);
			const objects = page.objects ?? [];
			templates.push(...objects);
			if (objects.length < TEMPLATE_PAGE_SIZE || templates.length >= (page.totalCount ?? 0)) break;
		}
	} catch (error) {
		return { row: failedRow('kaltura.webhook-templates', step, error, 'templates', options), meetingEventsActive: false };
	}
	const wanted = new Set(WEBHOOK_TEMPLATES.map((template) => ownSystemName(template)));
	const ours = templates.filter((template) => wanted.has(template.systemName ?? '') && (template.description ?? '').startsWith(CLONE_MARKER));
	const active = ours.filter((template) => Number(template.status) === TEMPLATE_ACTIVE);
	const urls = [...new Set(active.map((template) => template.url).filter((url): url is string => typeof url === 'string' && url !== ''))];
	const inactive = ours.length - active.length;
	const meetingTemplates = new Set(
		WEBHOOK_TEMPLATES.filter((template) => template.types.some((type) => type.startsWith('meeting.'))).map((template) => ownSystemName(template))
	);
	const meetingEventsActive = active.some((template) => meetingTemplates.has(template.systemName ?? ''));
	const found = `the partner has ${templates.length} notification ${templates.length === 1 ? 'template' : 'templates'}; the bot’s: ${active.length} of ${wanted.size} active${inactive > 0 ? `, ${inactive} disabled` : ''}`;
	const detail = `${found}${urls.length === 0 ? '' : `, posting to ${urls.join(', ')}`}`;
	// Some of the plugin's templates need Kaltura's permission to add (the set-up reports which): fewer than all is normal.
	if (active.length > 0 && inactive === 0)
		return { row: { id: 'kaltura.webhook-templates', service: 'Kaltura', step, status: 'ok', detail }, meetingEventsActive };
	const row: StepResult = {
		id: 'kaltura.webhook-templates',
		service: 'Kaltura',
		step,
		status: 'warn',
		detail,
		fix:
			inactive > 0
				? 'Some of the bot’s templates are disabled: run `npm run kaltura:webhooks -- --url https://<bot>/api/v1/webhooks/kaltura` again, which enables them.'
				: 'For the notifications plugin, run `npm run kaltura:webhooks -- --url https://<bot>/api/v1/webhooks/kaltura` (docs/plugins/notifications.md); the rest of the bot does not need the templates.'
	};
	return { row, meetingEventsActive };
}
