import type { Command } from '@sapphire/framework';
import { ChannelType, EmbedBuilder, MessageFlags, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { onAuditLog } from '../core/audit/audit-access.js';
import { formatAuditLine } from '../core/audit/audit-format.js';
import { AUDIT_ACTIONS, isAuditAction, isSearchable, type SearchableAuditLog } from '../core/audit/audit-log.js';
import { manageServerOptions, manageServerSlashCommand } from '../core/commands/manage-server-command.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { replyPrivately, truncate } from '../core/discord/replies.js';

/** Entries per page of `/audit list`. */
export const AUDIT_PAGE_SIZE = 10;
const MAXIMUM_PAGE = 1_000;

export class AuditCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(
			context,
			manageServerOptions({
				// 1.1.0: the action option offers kaltura-sync.run and meeting.start.
				version: '1.1.0',
				description: 'Read this server’s audit log and choose where new entries are posted'
			})
		);
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			manageServerSlashCommand('audit', 'Read this server’s audit log and choose where new entries are posted')
				.addSubcommand((sub) =>
					sub
						.setName('list')
						.setDescription('Admin actions in this server, newest first')
						.addUserOption((option) => option.setName('member').setDescription('Only what this member did'))
						.addStringOption((option) =>
							option
								.setName('action')
								.setDescription('Only this kind of action')
								.addChoices(AUDIT_ACTIONS.map((action) => ({ name: action, value: action })))
						)
						.addIntegerOption((option) =>
							option
								.setName('page')
								.setDescription(`Page ${AUDIT_PAGE_SIZE} entries at a time; 1 is the newest`)
								.setMinValue(1)
								.setMaxValue(MAXIMUM_PAGE)
						)
				)
				.addSubcommandGroup((group) =>
					group
						.setName('channel')
						.setDescription('Post each new entry of this server in a channel')
						.addSubcommand((sub) =>
							sub
								.setName('set')
								.setDescription('Post each new entry in this channel')
								.addChannelOption((option) =>
									option
										.setName('channel')
										.setDescription('A text channel the bot can post in')
										.setRequired(true)
										.addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement)
								)
						)
						.addSubcommand((sub) => sub.setName('clear').setDescription('Stop posting new entries in a channel'))
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const { audit } = this.container;
		if (!isSearchable(audit)) return replyPrivately(interaction, 'This bot keeps no readable audit log.');
		// The store may be a network away (MongoDB): acknowledge first, so Discord's 3-second window cannot run out.
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		if (interaction.options.getSubcommandGroup(false) === 'channel') {
			return interaction.options.getSubcommand(true) === 'set' ? this.#setChannel(interaction, audit) : this.#clearChannel(interaction, audit);
		}
		return this.#list(interaction, audit);
	}

	async #list(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, audit: SearchableAuditLog) {
		const member = interaction.options.getUser('member');
		const action = interaction.options.getString('action') ?? undefined;
		if (action !== undefined && !isAuditAction(action)) return replyPrivately(interaction, `\`${truncate(action, 40)}\` is not an audit action.`);
		const page = interaction.options.getInteger('page') ?? 1;
		// One more than a page: whether an older page exists, without counting the whole log.
		const entries = await onAuditLog('/audit', () =>
			audit.list({
				guildId: interaction.guildId,
				actorId: member?.id,
				action,
				limit: AUDIT_PAGE_SIZE + 1,
				offset: (page - 1) * AUDIT_PAGE_SIZE
			})
		);
		const shown = entries.slice(0, AUDIT_PAGE_SIZE);
		const filters = [member === null ? '' : `by <@${member.id}>`, action === undefined ? '' : `\`${action}\``]
			.filter((part) => part !== '')
			.join(', ');
		const embed = new EmbedBuilder()
			.setTitle('Audit log')
			.setColor(0x00_6e_ff)
			.setDescription(
				truncate(
					shown.length > 0
						? `${filters === '' ? '' : `Only ${filters}:\n`}${shown.map((entry) => formatAuditLine(entry)).join('\n')}`
						: page === 1
							? `Nothing recorded${filters === '' ? '' : ` ${filters}`} yet.`
							: `Page ${page} is past the end of the log.`,
					4096
				)
			)
			.setFooter({
				text: `Page ${page}, newest first${entries.length > AUDIT_PAGE_SIZE ? ` · older entries: /audit list page:${page + 1}` : ''}`
			});
		return replyPrivately(interaction, { embeds: [embed], allowedMentions: { parse: [] } });
	}

	async #setChannel(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, audit: SearchableAuditLog) {
		const channel = interaction.options.getChannel('channel', true);
		await onAuditLog('/audit', async () => {
			const before = await audit.logChannelOf(interaction.guildId);
			await audit.setLogChannel(interaction.guildId, channel.id);
			// Recorded after the change, so this entry is the first the new channel receives.
			await audit.record({
				guildId: interaction.guildId,
				actorId: interaction.user.id,
				source: 'command',
				action: 'audit.channel-set',
				target: channel.id,
				changes: { before, after: channel.id }
			});
		});
		return replyPrivately(
			interaction,
			`Each new audit entry of this server is now posted in <#${channel.id}>. The bot needs to be able to send messages there.`
		);
	}

	async #clearChannel(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, audit: SearchableAuditLog) {
		const before = await onAuditLog('/audit', () => audit.logChannelOf(interaction.guildId));
		if (before === null) return replyPrivately(interaction, 'Audit entries are not posted in any channel.');
		await onAuditLog('/audit', async () => {
			await audit.setLogChannel(interaction.guildId, null);
			await audit.record({
				guildId: interaction.guildId,
				actorId: interaction.user.id,
				source: 'command',
				action: 'audit.channel-set',
				target: before,
				changes: { before, after: null }
			});
		});
		return replyPrivately(interaction, `Audit entries are no longer posted in <#${before}>.`);
	}
}
