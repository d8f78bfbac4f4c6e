import {
	ApplicationFlags,
	DiscordAPIError,
	MessageFlags,
	RESTJSONErrorCodes,
	Routes,
	type APIApplication,
	type APIApplicationCommand,
	type APIChannel,
	type APIMessage,
	type APIUser,
	type REST
} from 'discord.js';
import type { PrivilegedIntent } from '../../src/core/env.js';
import { CleanupStack } from './cleanup.js';
import { discordDetail, discordFix, type DiscordCallKind, type DiscordFixContext } from './discord-fixes.js';
import type { StepResult } from './report.js';

/** What the check posts; it is deleted at once, and sent silently so it notifies no one. */
export const LIVE_CHECK_MESSAGE = 'Live check of the Kaltura Discord bot (`npm run check:live`): this message is deleted at once.';

/** The application flags that say a privileged intent is enabled in the developer portal (either form). */
const INTENT_FLAGS: Readonly<Record<PrivilegedIntent, { readonly flags: readonly ApplicationFlags[]; readonly portalName: string }>> = {
	GuildMembers: { flags: [ApplicationFlags.GatewayGuildMembers, ApplicationFlags.GatewayGuildMembersLimited], portalName: 'Server Members Intent' },
	GuildPresences: { flags: [ApplicationFlags.GatewayPresence, ApplicationFlags.GatewayPresenceLimited], portalName: 'Presence Intent' },
	MessageContent: {
		flags: [ApplicationFlags.GatewayMessageContent, ApplicationFlags.GatewayMessageContentLimited],
		portalName: 'Message Content Intent'
	}
};

export interface DiscordCheckOptions extends DiscordFixContext {
	/** A REST instance with the bot token set (`new REST({ api }).setToken(token)`); no gateway is needed. */
	readonly rest: REST;
	/** DISCORD_PRIVILEGED_INTENTS: each must be enabled for the application, or Discord closes the bot's gateway (4014). */
	readonly privilegedIntents: readonly PrivilegedIntent[];
}

function failedRow(id: string, step: string, error: unknown, kind: DiscordCallKind, context: DiscordFixContext): StepResult {
	return { id, service: 'Discord', step, status: 'failed', detail: discordDetail(error), fix: discordFix(error, kind, context) };
}

function skippedRow(id: string, step: string, why: string, fix?: string): StepResult {
	return fix === undefined
		? { id, service: 'Discord', step, status: 'skipped', detail: why }
		: { id, service: 'Discord', step, status: 'skipped', detail: why, fix };
}

const STEPS = {
	login: 'log in (GET /users/@me)',
	application: 'read the application',
	commands: 'read its global commands',
	message: 'post and delete a message'
} as const;

/**
 * The Discord half of the live check, over REST only: the bot token's user, the application (and whether the
 * privileged intents the bot asks for are enabled), its global commands, and a message posted in the named
 * channel and deleted again. The message is deleted in a `finally`; a deletion that fails is a row of its own.
 */
export async function checkDiscord(options: DiscordCheckOptions): Promise<StepResult[]> {
	const results: StepResult[] = [];
	let user: APIUser;
	try {
		user = (await options.rest.get(Routes.user())) as APIUser;
		results.push({
			id: 'discord.login',
			service: 'Discord',
			step: STEPS.login,
			status: 'ok',
			detail: `the token is the bot ${user.username} (${user.id})`
		});
	} catch (error) {
		const why = 'not tried: the login failed';
		results.push(
			failedRow('discord.login', STEPS.login, error, 'login', options),
			skippedRow('discord.application', STEPS.application, why),
			skippedRow('discord.commands', STEPS.commands, why),
			skippedRow('discord.message', STEPS.message, why)
		);
		return results;
	}
	const applicationId = await checkApplication(options, results);
	results.push(await checkCommands(options, applicationId ?? user.id));
	results.push(...(await checkMessage(options)));
	return results;
}

/** The application behind the token, and whether it has each privileged intent the bot is configured to ask for. */
async function checkApplication(options: DiscordCheckOptions, results: StepResult[]): Promise<string | undefined> {
	let application: APIApplication;
	try {
		application = (await options.rest.get(Routes.currentApplication())) as APIApplication;
	} catch (error) {
		results.push(failedRow('discord.application', STEPS.application, error, 'application', options));
		return undefined;
	}
	const flags = Number(application.flags ?? 0);
	const missing = options.privilegedIntents.filter((intent) => !INTENT_FLAGS[intent].flags.some((flag) => (flags & flag) === flag));
	const servers =
		typeof application.approximate_guild_count === 'number'
			? `, in ${application.approximate_guild_count} ${application.approximate_guild_count === 1 ? 'server' : 'servers'}`
			: '';
	const found = `application ${application.name} (${application.id})${servers}`;
	if (missing.length === 0) {
		const intents =
			options.privilegedIntents.length === 0
				? 'no privileged intents asked for'
				: `privileged intents enabled: ${options.privilegedIntents.join(', ')}`;
		results.push({ id: 'discord.application', service: 'Discord', step: STEPS.application, status: 'ok', detail: `${found}; ${intents}` });
	} else {
		results.push({
			id: 'discord.application',
			service: 'Discord',
			step: STEPS.application,
			status: 'failed',
			detail: `${found}; DISCORD_PRIVILEGED_INTENTS asks for ${missing.join(', ')}, which the application does not have (Discord would close the bot’s connection, 4014)`,
			fix: `In the developer portal, your application > Bot, turn on ${missing.map((intent) => INTENT_FLAGS[intent].portalName).join(' and ')}; or take ${missing.join(', ')} out of DISCORD_PRIVILEGED_INTENTS.`
		});
	}
	return application.id;
}

/** The application's global commands: none is normal before the bot's first start, which registers them. */
async function checkCommands(options: DiscordCheckOptions, applicationId: string): Promise<StepResult> {
	let commands: APIApplicationCommand[];
	try {
		commands = (await options.rest.get(Routes.applicationCommands(applicationId))) as APIApplicationCommand[];
	} catch (error) {
		return failedRow('discord.commands', STEPS.commands, error, 'commands', options);
	}
	if (commands.length === 0) {
		return {
			id: 'discord.commands',
			service: 'Discord',
			step: STEPS.commands,
			status: 'warn',
			detail: 'none registered yet',
			fix: 'Normal before the bot’s first start: it registers its commands when it starts (`npm start`). After a start, check the bot’s log for a registration error.'
		};
	}
	const names = commands.map((command) => `/${command.name}`).sort();
	return {
		id: 'discord.commands',
		service: 'Discord',
		step: STEPS.commands,
		status: 'ok',
		detail: `${commands.length} registered: ${names.join(', ')}`
	};
}

/** Reads the named channel, posts a silent message there and deletes it again. */
async function checkMessage(options: DiscordCheckOptions): Promise<StepResult[]> {
	const channelId = options.channelId;
	if (channelId === undefined) {
		return [
			skippedRow(
				'discord.message',
				STEPS.message,
				'no channel named',
				'Pass --channel <channel id> (or set LIVE_CHECK_CHANNEL_ID) to check that the bot can post in a channel.'
			)
		];
	}
	let channel: APIChannel;
	try {
		channel = (await options.rest.get(Routes.channel(channelId))) as APIChannel;
	} catch (error) {
		return [failedRow('discord.message', STEPS.message, error, 'channel', options)];
	}
	const where = 'name' in channel && typeof channel.name === 'string' ? `#${channel.name} (${channelId})` : `channel ${channelId}`;
	const cleanup = new CleanupStack();
	const results: StepResult[] = [];
	try {
		const message = (await options.rest.post(Routes.channelMessages(channelId), {
			body: { content: LIVE_CHECK_MESSAGE, flags: MessageFlags.SuppressNotifications, allowed_mentions: { parse: [] } }
		})) as APIMessage;
		const guildId = 'guild_id' in channel && typeof channel.guild_id === 'string' ? channel.guild_id : '@me';
		cleanup.add({
			id: 'cleanup.discord-message',
			service: 'Discord',
			what: `message ${message.id}`,
			remove: async () => {
				try {
					await options.rest.delete(Routes.channelMessage(channelId, message.id));
				} catch (error) {
					// Already gone (someone deleted it first): nothing is left behind.
					if (!(error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMessage)) throw error;
				}
			},
			byHand: `open https://discord.com/channels/${guildId}/${channelId}/${message.id} (in ${where}) and delete it (More > Delete Message).`,
			describe: (error) => `${discordDetail(error)}; ${discordFix(error, 'delete', options)}`
		});
		results.push({
			id: 'discord.message',
			service: 'Discord',
			step: STEPS.message,
			status: 'ok',
			detail: `posted in ${where} (silently), deleted at the end`
		});
	} catch (error) {
		results.push(failedRow('discord.message', STEPS.message, error, 'post', options));
	} finally {
		results.push(...(await cleanup.removeAll()));
	}
	return results;
}
