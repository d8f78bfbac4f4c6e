import type { Command } from '@sapphire/framework';
import {
	InteractionContextType,
	MessageFlags,
	PermissionFlagsBits,
	SlashCommandBuilder,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { replyPrivately, VersionedCommand } from '#sdk';
import { renderUsageChart } from '../lib/usage-chart.js';
import { CHART_NAME, noUsageText, usageEmbed } from '../lib/usage-embed.js';
import { isEmptyReport } from '../lib/usage-report.js';
import { guildUsageReport, reportPeriodOf } from '../lib/usage-reports.js';

/** `/stats [days]`: the server's own usage over the last 7 or 30 days, with a chart; for those who manage the server. */
export class StatsCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.0.0',
			description: "This server's usage of the bot over the last 7 or 30 days",
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('stats')
				.setDescription("This server's usage of the bot: meetings, joins, video searches, notifications")
				.setContexts(InteractionContextType.Guild)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.addIntegerOption((option) =>
					option
						.setName('days')
						.setDescription('How many days back (7 when not given)')
						.addChoices({ name: '7 days', value: 7 }, { name: '30 days', value: 30 })
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const days = reportPeriodOf(interaction.options.getInteger('days'));
		// Reading the store (a network away on Redis) and drawing the chart may take more than Discord's 3 seconds.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const report = await guildUsageReport(interaction.guildId, days);
		if (isEmptyReport(report)) return replyPrivately(interaction, noUsageText(days));
		const chart = await renderUsageChart(report);
		return replyPrivately(interaction, { embeds: [usageEmbed(report, true)], files: [{ attachment: chart, name: CHART_NAME }] });
	}
}
