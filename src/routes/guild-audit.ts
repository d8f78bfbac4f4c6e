import type { ApiRequest, ApiResponse, Route } from '@sapphire/plugin-api';
import { ApiError } from '../core/api/api-error.js';
import { GuildApiRoute, type GuildRequestContext } from '../core/api/api-route.js';
import { onAuditLog } from '../core/audit/audit-access.js';
import { AUDIT_ID } from '../core/audit/audit-ids.js';
import { AUDIT_ACTIONS, isAuditAction, isSearchable, type AuditCursor, type AuditEntry } from '../core/audit/audit-log.js';

const SNOWFLAKE = /^\d{17,20}$/;
const DEFAULT_LIMIT = 50;

/** One query parameter's value (the first, when it is repeated); undefined when absent or empty. */
function parameter(request: ApiRequest, name: string): string | undefined {
	const raw = request.query[name];
	const text = Array.isArray(raw) ? raw[0] : raw;
	return text === undefined || text === '' ? undefined : String(text);
}

/** `before` is an entry id (the previous page's `next`) or a time: milliseconds since the epoch or an ISO 8601 date. */
function cursorOf(text: string | undefined): AuditCursor | undefined {
	if (text === undefined) return undefined;
	if (AUDIT_ID.test(text)) return { id: text };
	const at = /^\d{1,15}$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
	if (Number.isNaN(at))
		throw new ApiError(400, 'invalid_before', 'before must be an entry id (a page’s "next"), milliseconds since 1970 or an ISO 8601 time.');
	return { at };
}

const entryJson = (entry: AuditEntry) => ({
	id: entry.id,
	at: new Date(entry.at).toISOString(),
	actorId: entry.actorId,
	source: entry.source,
	action: entry.action,
	target: entry.target ?? null,
	changes: entry.changes ?? null,
	outcome: entry.outcome,
	detail: entry.detail ?? null
});

/**
 * `GET /api/v1/guilds/:guildId/audit?limit=1..100&before=<id or time>&actor=<userId>&action=<action>`: the
 * guild's audit entries, newest first, and `next`, the `before` of the following page (null on the last).
 */
export class GuildAuditRoute extends GuildApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'guilds/[guildId]/audit', methods: ['GET'] });
	}

	protected override async handle(request: ApiRequest, response: ApiResponse, { guildId }: GuildRequestContext) {
		const limitText = parameter(request, 'limit');
		const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
		if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ApiError(400, 'invalid_limit', 'limit must be an integer from 1 to 100.');
		const actorId = parameter(request, 'actor');
		if (actorId !== undefined && !SNOWFLAKE.test(actorId)) throw new ApiError(400, 'invalid_actor', 'actor must be a Discord user id.');
		const action = parameter(request, 'action');
		if (action !== undefined && !isAuditAction(action)) {
			throw new ApiError(400, 'invalid_action', `action must be one of: ${AUDIT_ACTIONS.join(', ')}.`);
		}
		const before = cursorOf(parameter(request, 'before'));

		const { audit } = this.container;
		if (!isSearchable(audit)) throw new ApiError(404, 'not_found', 'This bot keeps no readable audit log.');
		// One more than asked: whether a next page exists.
		const entries = await onAuditLog(`GET audit of guild ${guildId}`, () => audit.list({ guildId, actorId, action, before, limit: limit + 1 }));
		const page = entries.slice(0, limit);
		const last = page.at(-1);
		response.ok({ entries: page.map(entryJson), next: entries.length > limit && last !== undefined ? last.id : null });
	}
}
