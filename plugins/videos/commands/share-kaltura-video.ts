import type { Command } from '@sapphire/framework';
import {
	ApplicationCommandType,
	ContextMenuCommandBuilder,
	type ContextMenuCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { replyPrivately, VersionedCommand } from '#sdk';
import { firstEntryIdIn } from '../lib/entry-ids.js';
import { isPartnerLink } from '../lib/partner-links.js';
import { shareInChannel } from '../lib/post-share.js';

export const NO_VIDEO_MESSAGE = 'No Kaltura video found in that message: it needs an entry id (such as 1_abcd1234) or a link to one.';

/**
 * Message context menu: shares the first Kaltura video the message names (an entry id, or a link to an entry on
 * the partner's hosts) in the channel, as the member who asked and within what their own Kaltura session sees.
 * The target message's content reaches the bot without the message content intent (discord-api-docs
 * developers/events/gateway.mdx, "Message Content Intent": the message a context menu command is used on).
 */
export class ShareKalturaVideoCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { name: 'videos-share-kaltura-video', version: '1.0.0', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [new ContextMenuCommandBuilder().setName('Share Kaltura video').setType(ApplicationCommandType.Message).setContexts(0).toJSON()];
	}

	public override async contextMenuRun(interaction: ContextMenuCommandInteraction<'cached' | 'raw'>) {
		if (!interaction.isMessageContextMenuCommand()) return;
		const entryId = firstEntryIdIn(interaction.targetMessage.content, isPartnerLink);
		if (entryId === undefined) return void (await replyPrivately(interaction, NO_VIDEO_MESSAGE));
		await shareInChannel(interaction, entryId);
	}
}
