import { InteractionHandlerTypes, type InteractionHandler } from '@sapphire/framework';
import { PermissionFlagsBits, type Interaction } from 'discord.js';
import { configChanges } from '../core/audit/config-changes.js';
import { ConfigValidationError } from '../core/config/guild-config-schema.js';
import { ConfigChangedError } from '../core/config/guild-config-service.js';
import { changeLines, configRefusalReply, parseResetAllButtonId, resetChanges, settingsFingerprint } from '../core/discord/config-replies.js';
import { PluginInteractionHandler } from '../core/discord/plugin-interaction-handler.js';
import { truncate } from '../core/discord/replies.js';

/**
 * The button under `/config reset` (no key): resets every runtime setting of the server and reports
 * what went back to what. Whoever presses it is checked again (a button outlives the rights of the
 * one who asked), and only the settings that were shown are reset: if they changed since, it asks again.
 */
export class ConfigResetConfirmButtonHandler extends PluginInteractionHandler<string> {
	public constructor(context: InteractionHandler.LoaderContext) {
		super(context, { interactionHandlerType: InteractionHandlerTypes.Button });
	}

	protected override parseInteraction(interaction: Interaction) {
		const fingerprint = interaction.isButton() && interaction.inGuild() ? parseResetAllButtonId(interaction.customId) : undefined;
		return fingerprint === undefined ? this.none() : this.some(fingerprint);
	}

	protected override async handle(interaction: Interaction, fingerprint: string) {
		if (!interaction.isButton() || !interaction.inGuild()) return;
		if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) {
			return void (await interaction.update({
				content: 'Resetting this server’s configuration needs the **Manage Server** permission.',
				components: []
			}));
		}
		const { guildConfig, audit, redactor } = this.container;
		const before = await guildConfig.runtimeOverride(interaction.guildId);
		let config;
		// Caught here, not by the error listener: a refusal replaces the confirmation in place (its button goes),
		// where the listener would leave the button under a second, private message.
		try {
			// Compared again inside the write: a change that lands after the read above is never wiped unseen.
			config = await guildConfig.resetAll(
				interaction.guildId,
				(current) => settingsFingerprint(current) === fingerprint && settingsFingerprint(before) === fingerprint
			);
		} catch (error) {
			if (error instanceof ConfigChangedError) {
				return void (await interaction.update({
					content:
						'The settings changed since this was asked, so nothing was reset. Run `/config reset` again to see what would be reset now.',
					components: []
				}));
			}
			if (error instanceof ConfigValidationError)
				return void (await interaction.update({ content: configRefusalReply(error), components: [] }));
			throw error;
		}
		const changes = resetChanges(before, config);
		// The audit log keeps runtime values only (the operator's file values may hold filled-in secrets).
		await audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'component',
			action: 'config.reset',
			target: '(all)',
			changes: configChanges(before, {})
		});
		const count = Object.keys(changes).length;
		const heading = `Reset ${count} ${count === 1 ? 'setting' : 'settings'} of this server to the bot’s defaults:`;
		await interaction.update({
			content: truncate(`${heading}\n${changeLines(changes, (text) => redactor.redact(text), 1_900 - heading.length)}`, 2_000),
			components: []
		});
	}
}
