import { container } from '@sapphire/framework';
import { ChannelType, DiscordAPIError, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { replyPrivately } from '#sdk';
import { entryVisibleToMember } from '../../videos/api.js';
import watchTogether from '../plugin.js';

export type LaunchingInteraction = ChatInputCommandInteraction<'cached' | 'raw'> | ButtonInteraction<'cached' | 'raw'>;

/** Discord answers an interaction's launch only within its 3-second window; the entry check must leave time for the launch. */
const ENTRY_CHECK_BUDGET_MS = 2_000;

export const NOT_IN_VOICE_MESSAGE = 'Watch together runs in a voice channel: use this in a voice channel’s chat, or name one with `channel:`.';
export const CANNOT_WATCH_MESSAGE = 'You cannot watch that video: it does not exist, or your Kaltura account may not see it.';
export const KALTURA_SLOW_MESSAGE = 'Kaltura did not answer in time; try again in a moment.';
/**
 * Discord refuses LAUNCH_ACTIVITY for an application without Activities ("Only available for apps with Activities
 * enabled", discord-api-docs developers/interactions/receiving-and-responding.mdx, Interaction Callback Type); the docs
 * name no error code for it, so any refusal of the launch (a 4xx other than an expired or already answered
 * interaction) is answered with how to enable it.
 */
export const ACTIVITIES_DISABLED_MESSAGE = [
	'Discord would not start the Activity: this bot’s application does not have Activities turned on.',
	'**Operator:** in the Discord developer portal, open the application → **Activities** → **Settings**, turn Activities on and map `/` to the bot’s address (URL Mappings).',
	'**Members:** once it is on, anyone in the voice channel can start it from the channel’s **Activities** menu (the rocket icon) and pick the bot.'
].join('\n');

const VOICE_TYPES = new Set<ChannelType>([ChannelType.GuildVoice, ChannelType.GuildStageVoice]);
/** Unknown interaction (expired) and already acknowledged: the member cannot be answered any more either way. */
const UNANSWERABLE_CODES = new Set([10062, 40060]);

/**
 * Starts a watch-together Activity for one entry from a command or a button: the member's own Kaltura session must see
 * the entry; then Discord's LAUNCH_ACTIVITY callback (type 12, `?with_response=true`) launches it (or joins the running
 * one) and answers its instance id (`resource.activity_instance.id`), under which the entry and the launcher are stored
 * so the room opens with that entry and the launcher in control.
 */
export async function launchWatch(interaction: LaunchingInteraction, entryId: string, namedChannelId?: string): Promise<void> {
	const guildId = interaction.guildId;
	const channelId = namedChannelId ?? interaction.channelId;
	const channel = await container.client.channels.fetch(channelId).catch(() => null);
	if (channel === null || !VOICE_TYPES.has(channel.type) || !('guildId' in channel) || channel.guildId !== guildId)
		return replyPrivately(interaction, NOT_IN_VOICE_MESSAGE);
	const visible = await withinBudget(entryVisibleToMember(guildId, interaction.user.id, entryId));
	if (visible === 'late') return replyPrivately(interaction, KALTURA_SLOW_MESSAGE);
	if (visible === undefined) return replyPrivately(interaction, CANNOT_WATCH_MESSAGE);
	let instanceId: string | undefined;
	try {
		const response = await interaction.launchActivity({ withResponse: true });
		instanceId = response.resource?.activityInstance?.id ?? response.interaction.activityInstanceId ?? undefined;
	} catch (error) {
		if (error instanceof DiscordAPIError && error.status >= 400 && error.status < 500 && !UNANSWERABLE_CODES.has(Number(error.code)))
			return replyPrivately(interaction, ACTIVITIES_DISABLED_MESSAGE);
		throw error;
	}
	if (instanceId === undefined) return void watchTogether.logger.warn('Discord launched the Activity without saying which instance.');
	await watchTogether.services().launches.remember(instanceId, { entryId: visible.id, launcherId: interaction.user.id, guildId, channelId });
}

async function withinBudget<T>(work: Promise<T>): Promise<T | 'late'> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ENTRY_CHECK_BUDGET_MS)));
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}
