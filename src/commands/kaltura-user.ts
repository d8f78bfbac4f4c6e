import type { Command } from '@sapphire/framework';
import { MessageFlags, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { linkIdentity, unlinkIdentity } from '../core/auth/link-identity.js';
import { manageServerOptions, manageServerSlashCommand } from '../core/commands/manage-server-command.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { replyPrivately } from '../core/discord/replies.js';

/** Admins decide which Kaltura user a member is, when the derived `discord_<id>` is not the right one. */
export class KalturaUserCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(
			context,
			manageServerOptions({
				version: '1.0.0',
				description: 'Link a member to an existing Kaltura user'
			})
		);
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			manageServerSlashCommand('kaltura-user', 'Link a member to an existing Kaltura user')
				.addSubcommand((sub) =>
					sub
						.setName('link')
						.setDescription('Make a member act as an existing Kaltura user in this server')
						.addUserOption((option) => option.setName('member').setDescription('The member').setRequired(true))
						.addStringOption((option) =>
							option.setName('kaltura-user-id').setDescription('The Kaltura user id').setRequired(true).setMaxLength(100)
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('unlink')
						.setDescription('Go back to the Kaltura user derived from the member’s Discord id')
						.addUserOption((option) => option.setName('member').setDescription('The member').setRequired(true))
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const member = interaction.options.getUser('member', true);
		const { identity } = this.container;
		const actor = { actorId: interaction.user.id, source: 'command' } as const;
		if (interaction.options.getSubcommand(true) === 'unlink') {
			const removed = await unlinkIdentity(interaction.guildId, member.id, actor);
			const derived = identity.derivedKalturaUserId(member.id);
			return replyPrivately(
				interaction,
				removed !== undefined
					? `<@${member.id}> is Kaltura user \`${derived}\` again.`
					: `<@${member.id}> was not linked; they are Kaltura user \`${derived}\`.`
			);
		}
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });
		const kalturaUserId = interaction.options.getString('kaltura-user-id', true).trim();
		await linkIdentity(interaction.guildId, member.id, kalturaUserId, actor);
		await interaction.editReply(`<@${member.id}> now acts as Kaltura user \`${kalturaUserId}\` in this server.`);
	}
}
