import type { Command } from '@sapphire/framework';
import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { configChanges } from '../core/audit/config-changes.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { ConfigValidationError } from '../core/config/guild-config-schema.js';
import { ConfigPathError, getAtPath, parsePath } from '../core/config/object-path.js';
import { auditConfigRefusal, ConfigPolicyError } from '../core/policy/runtime-config-check.js';
import { codeBlock, replyPrivately, truncate } from '../core/discord/replies.js';

/** Room left in a 2,000-character message for the code fence and the heading line. */
const VIEW_LIMIT = 1_800;

export class ConfigCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.0.0',
			description: 'View and change this server’s bot configuration',
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('config')
				.setDescription('View and change this server’s bot configuration')
				.setContexts(0)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.addSubcommand((sub) =>
					sub
						.setName('view')
						.setDescription('Show the configuration in effect here')
						.addStringOption((option) => option.setName('key').setDescription('A dotted key such as plugins or meetings.defaultDurationMinutes').setMaxLength(200))
				)
				.addSubcommand((sub) =>
					sub
						.setName('set')
						.setDescription('Change one setting for this server')
						.addStringOption((option) => option.setName('key').setDescription('A dotted key such as meetings.defaultDurationMinutes').setRequired(true).setMaxLength(200))
						.addStringOption((option) => option.setName('value').setDescription('The new value; JSON (60, true, ["a"]) or plain text').setRequired(true).setMaxLength(1000))
				)
				.addSubcommand((sub) =>
					sub
						.setName('reset')
						.setDescription('Undo this server’s changes, back to the bot’s defaults')
						.addStringOption((option) => option.setName('key').setDescription('Reset only this key; leave empty to reset everything').setMaxLength(200))
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const subcommand = interaction.options.getSubcommand(true);
		const key = interaction.options.getString('key') ?? undefined;
		try {
			switch (subcommand) {
				case 'view':
					return await this.view(interaction, key);
				case 'set':
					return await this.set(interaction, key!, interaction.options.getString('value', true));
				default:
					return await this.reset(interaction, key);
			}
		} catch (error) {
			if (error instanceof ConfigPathError) return replyPrivately(interaction, error.message);
			if (error instanceof ConfigPolicyError) await auditConfigRefusal(error, { guildId: interaction.guildId, actorId: interaction.user.id, source: 'command' });
			if (error instanceof ConfigValidationError) {
				const lines = error.issues.map((issue) => `• \`${issue.path || '(whole config)'}\`: ${issue.message}`);
				return replyPrivately(interaction, truncate(`Nothing was changed; the new configuration is not valid:\n${lines.join('\n')}`, 2000));
			}
			throw error;
		}
	}

	private async view(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, key: string | undefined) {
		const config = await this.container.guildConfig.resolve(interaction.guildId);
		const value = key === undefined ? config : getAtPath(config, parsePath(key));
		if (value === undefined) return replyPrivately(interaction, `There is no setting \`${key}\`. Use \`/config view\` to see every key.`);
		const text = this.container.redactor.redact(JSON.stringify(value, null, 2));
		return replyPrivately(interaction, `${key === undefined ? 'Configuration in effect' : `\`${key}\``}:\n${codeBlock('json', truncate(text, VIEW_LIMIT))}`);
	}

	private async set(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, key: string, raw: string) {
		const value = parseValue(raw);
		const { guildConfig, audit } = this.container;
		const before = await guildConfig.runtimeOverride(interaction.guildId);
		const config = await guildConfig.set(interaction.guildId, key, value);
		await audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'command',
			action: 'config.set',
			target: key,
			changes: configChanges(before, await guildConfig.runtimeOverride(interaction.guildId))
		});
		const stored = JSON.stringify(getAtPath(config, parsePath(key)));
		return replyPrivately(interaction, `\`${key}\` is now \`${truncate(this.container.redactor.redact(stored ?? ''), 1500)}\`.`);
	}

	private async reset(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, key: string | undefined) {
		const { guildConfig, audit } = this.container;
		const before = await guildConfig.runtimeOverride(interaction.guildId);
		await guildConfig.reset(interaction.guildId, key);
		await audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'command',
			action: 'config.reset',
			target: key ?? '(all)',
			changes: configChanges(before, await guildConfig.runtimeOverride(interaction.guildId))
		});
		return replyPrivately(interaction, key === undefined ? 'Every setting of this server is back to the bot’s defaults.' : `\`${key}\` is back to its default.`);
	}
}

/** Admins type values as text; JSON when it parses (numbers, booleans, lists), the text itself otherwise. */
function parseValue(raw: string): unknown {
	try {
		return JSON.parse(raw) as unknown;
	} catch {
		return raw;
	}
}
