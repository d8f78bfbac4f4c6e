import type { Command } from '@sapphire/framework';
import {
	ApplicationCommandType,
	ContextMenuCommandBuilder,
	EmbedBuilder,
	MessageFlags,
	PermissionFlagsBits,
	type ContextMenuCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody
} from 'discord.js';
import { escapeAndTruncate, inlineCode, KalturaError, kalturaServices, replyPrivately, VersionedCommand } from '#sdk';
import { kalturaRoleOf } from '../lib/resolve-kaltura-role.js';

const USER_STATUS: Readonly<Record<string, string>> = { '0': 'blocked', '1': 'active', '2': 'deleted' };

/** User context menu: who this member is on Kaltura, with which role, and when Kaltura last saw a change. */
export class KalturaProfileCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, { version: '1.0.0', runIn: ['GUILD_ANY'] });
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [new ContextMenuCommandBuilder().setName('Kaltura profile').setType(ApplicationCommandType.User).setContexts(0).toJSON()];
	}

	public override async contextMenuRun(interaction: ContextMenuCommandInteraction<'cached' | 'raw'>) {
		if (!interaction.isUserContextMenuCommand()) return;
		const target = interaction.targetUser;
		const own = target.id === interaction.user.id;
		if (!own && !interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
			return replyPrivately(interaction, 'You can see your own Kaltura profile; seeing another member’s needs the Manage Server permission.');
		}
		await interaction.deferReply({ flags: MessageFlags.Ephemeral });

		const { identity, kaltura: facade, client } = this.container;
		const guild = await client.guilds.fetch(interaction.guildId);
		const member = await guild.members.fetch(target.id).catch(() => null);
		if (member === null) return void (await interaction.editReply(`${target.username} is not a member of this server.`));

		const link = await identity.linkOf(interaction.guildId, target.id);
		const kalturaUserId = link?.kalturaUserId ?? identity.derivedKalturaUserId(target.id);
		const role = await kalturaRoleOf(member);
		const embed = new EmbedBuilder()
			.setTitle(`Kaltura profile of ${escapeAndTruncate(member.displayName, 200)}`)
			.setColor(0x00_6e_ff)
			.addFields(
				{ name: 'Kaltura user', value: `${inlineCode(kalturaUserId)} ${link ? `(linked by <@${link.linkedBy}>)` : '(from the Discord id)'}` },
				{
					name: 'Kaltura role',
					value: role.source === 'mapping' ? `**${role.role}**, from <@&${role.discordRoleId}>` : `**${role.role}** (the default)`
				}
			);
		embed.addFields({ name: 'On Kaltura', value: await this.describeKalturaUser(facade, kalturaUserId) });
		await interaction.editReply({ embeds: [embed] });
	}

	private async describeKalturaUser(facade: typeof this.container.kaltura, kalturaUserId: string): Promise<string> {
		try {
			const user = await facade.admin(
				{ actions: ['user.get'], why: 'shows whether the member’s Kaltura user exists; a USER session reads only its own' },
				kalturaServices.user.get(kalturaUserId)
			);
			const status = USER_STATUS[String(user.status)] ?? 'unknown status';
			const updated = user.updatedAt === undefined ? '' : `, last synced <t:${user.updatedAt}:R>`;
			return `${status}${updated}`;
		} catch (error) {
			if (error instanceof KalturaError && (error.code === 'USER_NOT_FOUND' || error.code === 'INVALID_USER_ID'))
				return 'not created yet (the user-sync plugin creates members’ Kaltura users)';
			if (error instanceof KalturaError) return `could not be checked: ${error.userMessage}`;
			throw error;
		}
	}
}
