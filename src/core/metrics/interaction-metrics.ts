import { Events as SapphireEvents } from '@sapphire/framework';
import { Events, type BaseInteraction, type Client } from 'discord.js';
import { UserFacingError } from '../errors/user-facing-error.js';
import { defineCounter, defineHistogram, metricsRecording } from './instruments.js';

export type InteractionOutcome = 'ok' | 'denied' | 'user_error' | 'failed';

const interactions = defineCounter({
	name: 'interactions_total',
	help: 'Interactions answered, by kind, command (or component handler), subcommand and outcome',
	labelNames: ['kind', 'command', 'subcommand', 'outcome']
});
const interactionDuration = defineHistogram({
	name: 'interaction_duration_seconds',
	help: 'From the interaction reaching the bot to its handler finishing, by kind, command and outcome',
	labelNames: ['kind', 'command', 'outcome']
});

/**
 * When each interaction reached the bot (`performance.now()`, a double: no BigInt per event); weakly held, so an interaction no
 * handler claims is simply forgotten. Kept only while the bot records: a bot without the metrics plugin keeps nothing.
 */
const arrivals = new WeakMap<BaseInteraction, number>();

function kindOf(interaction: BaseInteraction): string {
	if (interaction.isChatInputCommand()) return 'chat_input';
	if (interaction.isContextMenuCommand()) return 'context_menu';
	if (interaction.isAutocomplete()) return 'autocomplete';
	if (interaction.isButton()) return 'button';
	if (interaction.isAnySelectMenu()) return 'select';
	if (interaction.isModalSubmit()) return 'modal';
	return 'other';
}

function subcommandOf(interaction: BaseInteraction): string {
	if (!interaction.isChatInputCommand() && !interaction.isAutocomplete()) return '';
	const group = interaction.options.getSubcommandGroup(false);
	const subcommand = interaction.options.getSubcommand(false) ?? '';
	return group === null ? subcommand : `${group} ${subcommand}`;
}

/** The outcome of an error thrown by a handler: a refusal meant for the member, or a failure. */
export function outcomeOfError(error: unknown): InteractionOutcome {
	return error instanceof UserFacingError ? 'user_error' : 'failed';
}

/**
 * Records one answered interaction. `command` names what answered it: the command's name (Discord's, bounded by the commands the
 * bot registers) or the component handler's piece name; never a custom id, which may carry ids.
 */
export function recordInteraction(interaction: BaseInteraction, command: string, outcome: InteractionOutcome): void {
	// Not recording: the labels are not worked out just to be dropped.
	if (!metricsRecording()) return;
	const kind = kindOf(interaction);
	interactions.inc({ kind, command, subcommand: subcommandOf(interaction), outcome });
	const arrived = arrivals.get(interaction);
	if (arrived !== undefined) interactionDuration.observe({ kind, command, outcome }, (performance.now() - arrived) / 1000);
}

/** Counts and times commands, context menus and commands' autocomplete from Sapphire's events; components are recorded by their handlers. */
export function recordInteractionMetrics(client: Client): void {
	client.on(Events.InteractionCreate, (interaction) => {
		if (metricsRecording()) arrivals.set(interaction, performance.now());
	});
	client.on(SapphireEvents.ChatInputCommandSuccess, ({ interaction }) => recordInteraction(interaction, interaction.commandName, 'ok'));
	client.on(SapphireEvents.ChatInputCommandDenied, (_error, { interaction }) => recordInteraction(interaction, interaction.commandName, 'denied'));
	client.on(SapphireEvents.ChatInputCommandError, (error, { interaction }) =>
		recordInteraction(interaction, interaction.commandName, outcomeOfError(error))
	);
	client.on(SapphireEvents.ContextMenuCommandSuccess, ({ interaction }) => recordInteraction(interaction, interaction.commandName, 'ok'));
	client.on(SapphireEvents.ContextMenuCommandDenied, (_error, { interaction }) =>
		recordInteraction(interaction, interaction.commandName, 'denied')
	);
	client.on(SapphireEvents.ContextMenuCommandError, (error, { interaction }) =>
		recordInteraction(interaction, interaction.commandName, outcomeOfError(error))
	);
	client.on(SapphireEvents.CommandAutocompleteInteractionSuccess, ({ interaction }) =>
		recordInteraction(interaction, interaction.commandName, 'ok')
	);
	client.on(SapphireEvents.CommandAutocompleteInteractionError, (error, { interaction }) =>
		recordInteraction(interaction, interaction.commandName, outcomeOfError(error))
	);
}
