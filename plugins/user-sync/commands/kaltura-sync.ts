import type { Command } from '@sapphire/framework';
import {
	MessageFlags,
	PermissionFlagsBits,
	SlashCommandBuilder,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { replyPrivately, VersionedCommand } from '#sdk';
import { alreadyRunningText, progressText, summaryText } from '../lib/pass-text.js';
import type { PassSummary } from '../lib/pass-types.js';
import userSync from '../plugin.js';

/** How often the reply shows the pass's progress. */
const PROGRESS_EVERY_MS = 3_000;

/** `/kaltura-sync`: syncs every member of the server to Kaltura now, showing progress, then a summary. */
export class KalturaSyncCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.0.0',
			description: 'Sync every member of this server to Kaltura now',
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('kaltura-sync')
				.setDescription('Sync every member of this server to Kaltura now')
				.setContexts(0)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const guild = this.container.client.guilds.cache.get(interaction.guildId);
		if (guild === undefined) {
			return replyPrivately(interaction, 'The bot has to be a member of this server (invited with the `bot` scope) to see its members.');
		}
		const service = userSync.services();
		const settings = await userSync.settings(guild.id);
		const { started, pass } = service.start(guild, settings, 'command');
		if (!started) return replyPrivately(interaction, alreadyRunningText(pass.progress(), pass.trigger));

		// A pass takes minutes on a large server; acknowledge now, then keep the reply current.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		let shown = '';
		let editing: Promise<unknown> = Promise.resolve();
		const show = (text: string) => {
			if (text === shown) return editing;
			shown = text;
			// One edit at a time, in order; a failed edit (the token expires after 15 minutes) is logged and the pass goes on.
			editing = editing
				.then(() => interaction.editReply(text))
				.catch((error: unknown) =>
					this.container.logger.warn(`User sync of guild ${guild.id}: the progress reply could not be edited:`, error)
				);
			return editing;
		};
		void show(progressText(pass.progress()));
		const ticker = setInterval(() => void show(progressText(pass.progress())), PROGRESS_EVERY_MS);
		let summary: PassSummary | undefined;
		try {
			summary = await pass.done;
			clearInterval(ticker);
			await show(summaryText(summary));
		} finally {
			clearInterval(ticker);
			// Once the pass is over, with what it did: it can create, update, block or delete Kaltura users.
			await this.#record(interaction, summary);
		}
	}

	async #record(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, summary: PassSummary | undefined): Promise<void> {
		await this.container.audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'command',
			action: 'kaltura-sync.run',
			target: summary === undefined ? 'members' : `${summary.total} members`,
			...(summary === undefined
				? { detail: 'The pass failed before it finished; the bot’s log says why.' }
				: {
						changes: { ...summary.counts, total: summary.total, resumedFrom: summary.resumedFrom },
						...(summary.stoppedBecause === undefined ? {} : { detail: `Stopped early: ${summary.stoppedBecause}` })
					})
		});
	}
}
