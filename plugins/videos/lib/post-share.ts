import { MessageFlags, type ButtonInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { escapeAndTruncate } from '#sdk';
import { shareEmbed } from './share-embed.js';
import { countShare, videoToShare } from './use-cases/share-guild-video.js';

/** A Share button or the Share context menu, used in a server. */
export type ShareInteraction = ButtonInteraction<'cached' | 'raw'> | MessageContextMenuCommandInteraction<'cached' | 'raw'>;

/**
 * Shares an entry in the interaction's channel as the member who asked. The answer is deferred privately, so a
 * refusal (thrown as a UserFacingError and answered by the core) is seen by that member alone and nothing is
 * posted. Only once the member's own session has read the entry is the private reply edited and the public post
 * made as a follow-up: after a private deferral Discord makes the first follow-up an edit of the deferred reply
 * (discord-api-docs developers/interactions/receiving-and-responding.mdx, "Create Followup Message"), so the
 * edit must come first for the post to be a message of its own. Mentions are off: nothing in it pings anyone.
 */
export async function shareInChannel(interaction: ShareInteraction, entryId: string): Promise<void> {
	await interaction.deferReply({ flags: MessageFlags.Ephemeral });
	const { video, watchUrl } = await videoToShare(interaction.guildId, interaction.user.id, entryId);
	const sharedBy =
		interaction.member !== null && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.displayName;
	await interaction.editReply({ content: `Shared “${escapeAndTruncate(video.name, 100)}” in this channel.`, embeds: [], components: [] });
	await interaction.followUp({ embeds: [shareEmbed(video, watchUrl, sharedBy)], allowedMentions: { parse: [] } });
	countShare(interaction.guildId);
}
