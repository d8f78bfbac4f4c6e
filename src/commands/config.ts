import type { Command } from '@sapphire/framework';
import { type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { configChanges } from '../core/audit/config-changes.js';
import { manageServerOptions, manageServerSlashCommand } from '../core/commands/manage-server-command.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { getAtPath, parsePath } from '../core/config/object-path.js';
import {
	configValueReply,
	resetAllConfirmation,
	resetChanges,
	settingsFingerprint,
	shownValue,
	unknownKeyReply
} from '../core/discord/config-replies.js';
import { inlineCode } from '../core/discord/markdown.js';
import { replyPrivately, truncate } from '../core/discord/replies.js';
import { withConfigRefusals } from '../core/errors/config-refusal.js';

export class ConfigCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(
			context,
			manageServerOptions({
				// 1.1.0: `view` shows everything (as a file when long); `reset` of everything asks first; an unknown key is named as such.
				version: '1.1.0',
				description: 'View and change this server’s bot configuration'
			})
		);
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			manageServerSlashCommand('config', 'View and change this server’s bot configuration')
				.addSubcommand((sub) =>
					sub
						.setName('view')
						.setDescription('Show the configuration in effect here (all of it, as a file when long)')
						.addStringOption((option) =>
							option.setName('key').setDescription('A dotted key such as plugins or meetings.defaultDurationMinutes').setMaxLength(200)
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('set')
						.setDescription('Change one setting for this server')
						.addStringOption((option) =>
							option
								.setName('key')
								.setDescription('A dotted key such as meetings.defaultDurationMinutes')
								.setRequired(true)
								.setMaxLength(200)
						)
						.addStringOption((option) =>
							option
								.setName('value')
								.setDescription('The new value; JSON (60, true, ["a"]) or plain text')
								.setRequired(true)
								.setMaxLength(1000)
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('reset')
						.setDescription('Undo this server’s changes, back to the bot’s defaults')
						.addStringOption((option) =>
							option
								.setName('key')
								.setDescription('Reset only this key; leave empty to reset everything (asks first)')
								.setMaxLength(200)
						)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const subcommand = interaction.options.getSubcommand(true);
		const key = interaction.options.getString('key')?.trim() || undefined;
		const actor = { guildId: interaction.guildId, actorId: interaction.user.id, source: 'command' } as const;
		// Every subcommand may name a key that is not one, or write what the config refuses: told the same way.
		return withConfigRefusals(actor, async () => {
			switch (subcommand) {
				case 'view':
					return this.view(interaction, key);
				case 'set':
					return this.set(interaction, interaction.options.getString('key', true), interaction.options.getString('value', true));
				default:
					return key === undefined ? this.confirmResetAll(interaction) : this.reset(interaction, key);
			}
		});
	}

	private async view(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, key: string | undefined) {
		const config = await this.container.guildConfig.resolve(interaction.guildId);
		const value = key === undefined ? config : getAtPath(config, parsePath(key));
		// Only a key can name nothing: the whole configuration is always there.
		if (value === undefined && key !== undefined) return replyPrivately(interaction, unknownKeyReply(key, config));
		const json = this.container.redactor.redact(JSON.stringify(value, null, 2));
		const heading = key === undefined ? 'Configuration in effect' : inlineCode(key);
		return replyPrivately(interaction, configValueReply(heading, json, key === undefined ? 'config.json' : `config-${key}.json`));
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

	private async reset(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, key: string) {
		const { guildConfig, audit, redactor } = this.container;
		const redact = (text: string) => redactor.redact(text);
		const before = await guildConfig.runtimeOverride(interaction.guildId);
		const keys = parsePath(key);
		if (getAtPath(before, keys) === undefined) {
			// Throws for a key that is no setting at all; a real one simply has nothing of this server's to undo.
			await guildConfig.reset(interaction.guildId, key);
			const current = getAtPath(await guildConfig.resolve(interaction.guildId), keys);
			return replyPrivately(
				interaction,
				`${inlineCode(key)} was not changed in this server, so there is nothing to reset; it is ${shownValue(current, redact)}.`
			);
		}
		const config = await guildConfig.reset(interaction.guildId, key);
		const changes = configChanges(before, await guildConfig.runtimeOverride(interaction.guildId));
		await audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'command',
			action: 'config.reset',
			target: key,
			changes
		});
		return replyPrivately(
			interaction,
			`${inlineCode(key)} is back to its default: ${shownValue(getAtPath(before, keys), redact)} → ${shownValue(getAtPath(config, keys), redact)}.`
		);
	}

	/** Resetting everything undoes every plugin switch and role mapping made here, so it asks first; the button does it. */
	private async confirmResetAll(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const { guildConfig, redactor } = this.container;
		const override = await guildConfig.runtimeOverride(interaction.guildId);
		const changes = resetChanges(override, guildConfig.baseline(interaction.guildId));
		if (Object.keys(changes).length === 0) {
			return replyPrivately(
				interaction,
				'This server has no settings of its own: everything already comes from the bot’s defaults, so there is nothing to reset.'
			);
		}
		return replyPrivately(
			interaction,
			resetAllConfirmation(settingsFingerprint(override), changes, (text) => redactor.redact(text))
		);
	}
}

/** Admins type values as text; JSON when it parses (numbers, booleans, lists), the text itself otherwise. */
function parseValue(raw: string): unknown {
	try {
		const parsed: unknown = JSON.parse(raw);
		return parsed;
	} catch {
		return raw;
	}
}
