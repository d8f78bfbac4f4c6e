import type { Command } from '@sapphire/framework';
import {
	ApplicationCommandType,
	ContextMenuCommandBuilder,
	MessageFlags,
	type ContextMenuCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { VersionedCommand } from '#sdk';
import { titleFromMessage } from '../lib/meeting-title.js';
import { startedReply } from '../lib/started-reply.js';
import { startGuildMeeting } from '../lib/use-cases/start-meeting.js';

/** Message context menu: a meeting about this message, announced in a reply to it. */
export class StartKalturaMeetingCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { version: '1.0.0', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [new ContextMenuCommandBuilder().setName('Start Kaltura meeting').setType(ApplicationCommandType.Message).setContexts(0).toJSON()];
	}

	public override async contextMenuRun(interaction: ContextMenuCommandInteraction<'cached' | 'raw'>) {
		if (!interaction.isMessageContextMenuCommand()) return;
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const message = interaction.targetMessage;
		const started = await startGuildMeeting({
			guildId: interaction.guildId,
			hostId: interaction.user.id,
			channelId: interaction.channelId,
			source: 'command',
			replyTo: message.id,
			meeting: { type: 'meeting', title: titleFromMessage(message.content, message.author.displayName) }
		});
		await interaction.editReply(startedReply(started, started.hostLink));
	}
}
