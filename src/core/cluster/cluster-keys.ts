import { createHash } from 'node:crypto';

/**
 * The prefix of every cluster key in Redis: one per bot token, so two bots sharing a Redis never share identifies,
 * shards or jobs. A digest of the token stands for it; the token itself never leaves the process.
 */
export function clusterKeyPrefix(token: string): string {
	return `kaltura-bot:cluster:${createHash('sha256').update(token).digest('hex').slice(0, 16)}:`;
}
