import type { Command } from '@sapphire/framework';
import {
	ApplicationCommandType,
	ContextMenuCommandBuilder,
	MessageFlags,
	type ContextMenuCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { VersionedCommand } from '#sdk';
import { meetingLinkFor } from '../lib/join-link.js';
import { planMeeting } from '../lib/meeting-input.js';
import { titleFromMessage } from '../lib/meeting-title.js';
import { canStartMeetings, fetchMember, START_REFUSED } from '../lib/meeting-permissions.js';
import { kalturaFailureReply } from '../lib/meeting-replies.js';
import { meetingsConfig } from '../lib/meetings-config.js';
import { hostLinkOf, startedReply } from '../lib/started-reply.js';
import { startMeeting } from '../lib/start-meeting.js';

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
		const settings = meetingsConfig(await this.container.guildConfig.resolve(interaction.guildId));
		const host = await fetchMember(interaction.guildId, interaction.user.id);
		if (host === null || !(await canStartMeetings(host, settings))) return void (await interaction.editReply(START_REFUSED));
		const message = interaction.targetMessage;
		const planned = planMeeting(
			{ type: 'meeting', title: titleFromMessage(message.content, message.author.displayName) },
			settings.defaultDurationMinutes
		);
		if (!planned.ok) return void (await interaction.editReply(planned.reason));
		try {
			const started = await startMeeting(planned.plan, host, interaction.channelId, { source: 'command', replyTo: message.id });
			await interaction.editReply(
				startedReply(started, await hostLinkOf(() => meetingLinkFor(this.container, host, started.meeting, settings)))
			);
		} catch (error) {
			await interaction.editReply(kalturaFailureReply('Starting the meeting', error));
		}
	}
}
