/** Registry: lowercase wire service id → actions. */
import { appTokenService } from './apptoken.js';
import { categoryEntryService, categoryService } from './category.js';
import { baseEntryService, liveStreamService, mediaService } from './entry.js';
import { esearchService } from './esearch.js';
import { eventNotificationTemplateService } from './eventnotification.js';
import { scheduleEventResourceService, scheduleEventService, scheduleResourceService } from './schedule.js';
import { sessionService } from './session.js';
import type { ServiceDef } from './types.js';
import { userService } from './user.js';
import { virtualEventService } from './virtualevent.js';

export const SERVICES: Record<string, ServiceDef> = {
	session: sessionService,
	apptoken: appTokenService,
	user: userService,
	media: mediaService,
	baseentry: baseEntryService,
	livestream: liveStreamService,
	category: categoryService,
	categoryentry: categoryEntryService,
	elasticsearch_esearch: esearchService,
	schedule_scheduleresource: scheduleResourceService,
	schedule_scheduleevent: scheduleEventService,
	schedule_scheduleeventresource: scheduleEventResourceService,
	eventnotification_eventnotificationtemplate: eventNotificationTemplateService,
	virtualevent_virtualevent: virtualEventService
};

export type { ActionDef, CallContext, ServiceDef } from './types.js';
