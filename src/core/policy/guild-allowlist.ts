import { container } from '@sapphire/framework';
import { DiscordAPIError, type Guild } from 'discord.js';
import { GUILD_NOT_ALLOWED_MESSAGE, isGuildAllowed, operatorPolicy } from './operator-policy.js';

/** Servers whose owner was told, kept across restarts so each owner hears it once. */
const NAMESPACE = 'guild-allowlist';
/** Guilds being told right now: `ready` and `guildCreate` can both see a guild at start-up. */
const telling = new Set<string>();

/** What the owner of a server outside ALLOWED_GUILD_IDS is sent. */
export function notServedNotice(guildName: string): string {
	return `Hello! The Kaltura bot was added to your server **${guildName.replaceAll('*', '')}**, but it is not enabled for it. ${GUILD_NOT_ALLOWED_MESSAGE} Until then it stays in the server and answers every command with this notice; nothing is created on Kaltura.`;
}

/**
 * The bot stays in a server it does not serve (its owner is told once, every command is refused):
 * leaving would make the owner invite it again after the operator adds the server, and a bot that leaves
 * on joining can be re-added in a loop, sending a message each time. Nothing here ever throws.
 */
export async function tellOwnerIfNotServed(guild: Guild): Promise<void> {
	if (isGuildAllowed(operatorPolicy(), guild.id) || telling.has(guild.id)) return;
	telling.add(guild.id);
	try {
		const store = container.storage.open<string>(NAMESPACE);
		if ((await store.get(guild.id)) !== undefined) {
			container.logger.debug(`Guild ${guild.id} is not in ALLOWED_GUILD_IDS; its owner was told before.`);
			return;
		}
		container.logger.warn(`Guild ${guild.id} is not in ALLOWED_GUILD_IDS: its commands are refused; its owner is being told.`);
		const how = await tell(guild);
		if (how === undefined) {
			container.logger.warn(
				`The owner of guild ${guild.id} could not be told that the bot is not enabled there (no DM, no writable system channel).`
			);
			return;
		}
		await store.set(guild.id, `${how} ${new Date().toISOString()}`);
	} catch (error) {
		container.logger.warn(`Could not tell the owner of guild ${guild.id} that the bot is not enabled there:`, error);
	} finally {
		telling.delete(guild.id);
	}
}

/** A DM to the owner; when their DMs are closed, the server's system channel. How it was told, or undefined. */
async function tell(guild: Guild): Promise<'dm' | 'system-channel' | undefined> {
	const notice = notServedNotice(guild.name);
	try {
		const owner = await guild.fetchOwner();
		await owner.send({ content: notice, allowedMentions: { parse: [] } });
		return 'dm';
	} catch (error) {
		if (!(error instanceof DiscordAPIError)) throw error;
	}
	const channel = guild.systemChannel;
	if (channel === null) return undefined;
	try {
		await channel.send({ content: `<@${guild.ownerId}> ${notice}`, allowedMentions: { users: [guild.ownerId] } });
		return 'system-channel';
	} catch (error) {
		if (error instanceof DiscordAPIError) return undefined;
		throw error;
	}
}

/**
 * Whether the bot serves this server (it is in ALLOWED_GUILD_IDS, or no list is set). Everything that
 * acts for a server without a command, so without the `guild-allowed` precondition (listeners, periodic
 * work, autocomplete), asks this first.
 */
export function isServedGuild(guildId: string): boolean {
	return isGuildAllowed(operatorPolicy(), guildId);
}
