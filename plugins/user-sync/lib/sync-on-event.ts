import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { syncMember } from './sync-member.js';
import userSync from '../plugin.js';
import type { UserSyncSettings } from './user-sync-settings.js';

/**
 * Syncs one member because something happened to them (joined, roles or nickname changed), within the
 * guild's concurrency limit, and logs what came of it. Never throws: listeners must not hand errors to
 * the event loop.
 */
export async function syncOnEvent(member: GuildMember, settings: UserSyncSettings, event: string): Promise<void> {
	const where = `member ${member.id} of guild ${member.guild.id} (${event})`;
	try {
		const outcome = await userSync
			.services()
			.limiterFor(member.guild.id, settings.concurrency)
			.run(() => syncMember(member));
		switch (outcome.kind) {
			case 'created':
				container.logger.info(`User sync: ${where}: Kaltura user ${outcome.kalturaUserId} created.`);
				break;
			case 'updated':
				container.logger.info(`User sync: ${where}: Kaltura user ${outcome.kalturaUserId} updated (${outcome.fields.join(', ')}).`);
				break;
			case 'unchanged':
				container.logger.debug(`User sync: ${where}: Kaltura user ${outcome.kalturaUserId} already up to date.`);
				break;
			case 'failed':
				container.logger.warn(`User sync: ${where}: failed (${outcome.code}): ${outcome.message}`);
				break;
		}
	} catch (error) {
		container.logger.error(`User sync: ${where} failed unexpectedly:`, error);
	}
}
