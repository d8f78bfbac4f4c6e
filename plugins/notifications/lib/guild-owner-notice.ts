import { container } from '@sapphire/framework';

/**
 * Tells the server's owner, by direct message, that a channel's notifications are paused: a log line
 * alone would leave the server wondering why the posts stopped. Failing to tell (DMs closed) is logged.
 */
export async function tellGuildOwner(guildId: string, channelId: string, status: number): Promise<void> {
	try {
		const guild = await container.client.guilds.fetch(guildId);
		const owner = await guild.fetchOwner();
		const why = status === 404 ? 'the channel no longer exists' : 'the bot is not allowed to post there';
		await owner.send(
			`Kaltura notifications for <#${channelId}> in **${guild.name}** are paused: ${why}. Fix that, then run \`/notifications subscribe\` for the channel again.`
		);
	} catch (error) {
		container.logger.warn(`Notifications: could not tell the owner of guild ${guildId} that channel ${channelId} is paused:`, error);
	}
}
