import { MessageFlags, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';

/** Any interaction that can be answered: commands, context menus, components, modals. */
export type Answerable = Pick<RepliableInteraction, 'deferred' | 'replied' | 'reply' | 'editReply' | 'followUp'>;

/**
 * Answers an interaction privately whatever state it is in: a first reply, the edit of a deferred
 * reply, or a follow-up once it was answered. Discord accepts exactly one acknowledgement, so picking
 * the wrong call throws (40060) and the member sees "The application did not respond".
 */
export async function replyPrivately(interaction: Answerable, reply: string | Omit<InteractionReplyOptions, 'flags'>): Promise<void> {
	const options = typeof reply === 'string' ? { content: reply } : reply;
	if (interaction.deferred && !interaction.replied) {
		await interaction.editReply(options);
	} else if (interaction.replied) {
		await interaction.followUp({ ...options, flags: MessageFlags.Ephemeral });
	} else {
		await interaction.reply({ ...options, flags: MessageFlags.Ephemeral });
	}
}

/**
 * Discord rejects message content over 2,000 characters; long output is cut with a visible mark, between
 * whole characters (markdown.ts). It does not escape: text from outside goes through `escapeAndTruncate`.
 */
export { truncate } from './markdown.js';

/** Wraps text in a code block that its own content cannot close. */
export function codeBlock(language: string, text: string): string {
	return `\`\`\`${language}\n${text.replaceAll('```', '`\u200b``')}\n\`\`\``;
}
