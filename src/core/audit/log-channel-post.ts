import { Routes, type REST } from 'discord.js';
import { formatAuditLine } from './audit-format.js';
import type { AuditEntry } from './audit-log.js';

/**
 * Posts an entry to a guild's log channel through Discord's REST API: one line, full time, and no
 * mention in it pings anyone (allowed_mentions with nothing to parse).
 */
export function logChannelPoster(rest: REST): (channelId: string, entry: AuditEntry) => Promise<void> {
	return async (channelId, entry) => {
		await rest.post(Routes.channelMessages(channelId), { body: { content: formatAuditLine(entry, 'f'), allowed_mentions: { parse: [] } } });
	};
}
