import type { Command } from '@sapphire/framework';
import {
	EmbedBuilder,
	PermissionFlagsBits,
	SlashCommandBuilder,
	type AutocompleteInteraction,
	type ChatInputCommandInteraction,
	type RESTPostAPIApplicationCommandsJSONBody,
	type SlashCommandStringOption
} from 'discord.js';
import { autocompleteAllowed, operatorPolicy, replyPrivately, truncate, VersionedCommand } from '#sdk';
import { BUILT_IN_KALTURA_ROLES, SNOWFLAKE } from '../lib/kaltura-roles.js';
import { roleMappingSettings } from '../lib/resolve-kaltura-role.js';
import { mapRole, setDefaultRole, unmapRole } from '../lib/use-cases/role-mappings.js';

const kalturaRoleOption = (option: SlashCommandStringOption) =>
	option
		.setName('kaltura-role')
		.setDescription('A Kaltura role this bot’s operator allows (viewer and moderator unless told otherwise)')
		.setRequired(true)
		.setMaxLength(64)
		.setAutocomplete(true);

export class RolesCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			// 1.1.0: the kaltura-role option offers only the roles the operator allows.
			version: '1.1.0',
			description: 'Decide which Kaltura role each Discord role gives',
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('roles')
				.setDescription('Decide which Kaltura role each Discord role gives')
				.setContexts(0)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.addSubcommand((sub) =>
					sub
						.setName('map')
						.setDescription('Give members of a Discord role a Kaltura role')
						.addRoleOption((option) => option.setName('role').setDescription('The Discord role').setRequired(true))
						.addStringOption(kalturaRoleOption)
				)
				.addSubcommand((sub) =>
					sub
						.setName('unmap')
						.setDescription('Stop mapping a Discord role')
						.addRoleOption((option) => option.setName('role').setDescription('The Discord role').setRequired(true))
				)
				.addSubcommand((sub) =>
					sub.setName('default').setDescription('The Kaltura role of members with no mapped role').addStringOption(kalturaRoleOption)
				)
				.addSubcommand((sub) => sub.setName('list').setDescription('Show every mapping and the default role'))
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const actor = { guildId: interaction.guildId, actorId: interaction.user.id, source: 'command' } as const;
		switch (interaction.options.getSubcommand(true)) {
			case 'map': {
				const role = interaction.options.getRole('role', true);
				const kalturaRole = interaction.options.getString('kaltura-role', true).trim();
				await mapRole(actor, role.id, kalturaRole);
				return replyPrivately(
					interaction,
					`Members with <@&${role.id}> now get the Kaltura role **${kalturaRole}** (unless a higher mapped role of theirs says otherwise).`
				);
			}
			case 'unmap': {
				const role = interaction.options.getRole('role', true);
				const unmapped = await unmapRole(actor, role.id);
				if (!unmapped.wasMapped) return replyPrivately(interaction, `<@&${role.id}> is not mapped.`);
				return replyPrivately(
					interaction,
					unmapped.fileMapping === undefined
						? `<@&${role.id}> no longer gives a Kaltura role.`
						: `<@&${role.id}> is mapped in this server's configuration file (to **${unmapped.fileMapping}**); it can be changed with \`/roles map\` but only removed from the file.`
				);
			}
			case 'default': {
				const kalturaRole = interaction.options.getString('kaltura-role', true).trim();
				await setDefaultRole(actor, kalturaRole);
				return replyPrivately(interaction, `Members with no mapped role now get the Kaltura role **${kalturaRole}**.`);
			}
			default:
				return this.list(interaction);
		}
	}

	public override async autocompleteRun(interaction: AutocompleteInteraction) {
		if (!(await autocompleteAllowed(interaction, this))) return interaction.respond([]);
		const typed = interaction.options.getFocused().trim().toLowerCase();
		// Only what the operator allows: the built-in roles it lists, then its partner-defined ones.
		const { mappableRoles } = operatorPolicy();
		const offered = [
			...BUILT_IN_KALTURA_ROLES.filter((role) => mappableRoles.includes(role)),
			...mappableRoles.filter((role) => !BUILT_IN_KALTURA_ROLES.some((builtIn) => builtIn === role))
		];
		const suggestions = offered
			.filter((role) => role.startsWith(typed))
			.slice(0, 25)
			.map((role) => ({ name: role, value: role }));
		await interaction.respond(suggestions);
	}

	private async list(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const settings = await roleMappingSettings(interaction.guildId);
		const lines = Object.entries(settings.mappings).map(
			([key, kalturaRole]) => `${SNOWFLAKE.test(key) ? `<@&${key}>` : `“${key}” (by name)`} → **${kalturaRole}**`
		);
		const embed = new EmbedBuilder()
			.setTitle('Discord roles → Kaltura roles')
			.setColor(0x00_6e_ff)
			.setDescription(truncate(lines.length > 0 ? lines.join('\n') : 'No Discord role is mapped yet. Map one with `/roles map`.', 4000))
			.addFields({ name: 'Everyone else', value: `**${settings.defaultRole}**` })
			.setFooter({ text: 'When a member has several mapped roles, the one highest in the server’s role list wins.' });
		return replyPrivately(interaction, { embeds: [embed] });
	}
}
