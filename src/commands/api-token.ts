import type { Command } from '@sapphire/framework';
import { PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { GUILD_MANAGE_SCOPE } from '../core/auth/api-tokens.js';
import { VersionedCommand } from '../core/commands/versioned-command.js';
import { replyPrivately } from '../core/discord/replies.js';

export const DEFAULT_TOKEN_MINUTES = 15;
export const MINIMUM_TOKEN_MINUTES = 5;
export const MAXIMUM_TOKEN_MINUTES = 24 * 60;

/** Stands for the bot's address when the API listens on every interface and the bot cannot tell which name reaches it. */
export const API_HOST_PLACEHOLDER = '<bot-host>';

/**
 * The HTTP API's base URL as an operator would call it: `API_HOST` and the port the API listens on
 * (`API_PORT`, or the one picked when it is 0). A wildcard host is no address to call, so it becomes a placeholder.
 */
export function apiBaseUrl(host: string, port: number): string {
	const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
	const shown = wildcard ? API_HOST_PLACEHOLDER : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
	return `http://${shown}:${port}/api/v1`;
}

/**
 * `/api-token`: gives a Manage Server member a short-lived token for this server's HTTP API routes,
 * privately. This is the only place tokens are issued: no API route mints them. The token appears in
 * that one private reply and nowhere else; the log records who got one, for which server and until when.
 */
export class ApiTokenCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(context, {
			version: '1.0.0',
			description: 'Get a short-lived token for this server’s HTTP API',
			runIn: ['GUILD_ANY'],
			requiredUserPermissions: [PermissionFlagsBits.ManageGuild]
		});
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			new SlashCommandBuilder()
				.setName('api-token')
				.setDescription('Get a short-lived token for this server’s HTTP API (only you see it)')
				.setContexts(0)
				.setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
				.addIntegerOption((option) =>
					option
						.setName('minutes')
						.setDescription(`How long the token works, ${MINIMUM_TOKEN_MINUTES} to ${MAXIMUM_TOKEN_MINUTES} minutes (default ${DEFAULT_TOKEN_MINUTES})`)
						.setMinValue(MINIMUM_TOKEN_MINUTES)
						.setMaxValue(MAXIMUM_TOKEN_MINUTES)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		const minutes = interaction.options.getInteger('minutes') ?? DEFAULT_TOKEN_MINUTES;
		// Discord enforces the option's range for its own clients; anything else is held to it here.
		if (minutes < MINIMUM_TOKEN_MINUTES || minutes > MAXIMUM_TOKEN_MINUTES) {
			return replyPrivately(interaction, `\`minutes\` must be between ${MINIMUM_TOKEN_MINUTES} and ${MAXIMUM_TOKEN_MINUTES}.`);
		}

		const { apiTokens, env, logger } = this.container;
		const token = apiTokens.issue({ userId: interaction.user.id, guildId: interaction.guildId, scope: [GUILD_MANAGE_SCOPE], lifetimeSeconds: minutes * 60 });
		const verification = apiTokens.verify(token);
		if (!verification.ok) throw new Error(`A token just issued does not verify (${verification.reason})`);
		const { exp: expiresAt, jti } = verification.claims;

		const base = apiBaseUrl(env.API_HOST, this.listeningPort() ?? env.API_PORT);
		await replyPrivately(
			interaction,
			[
				`Your API token for this server, valid for ${minutes} minutes (until <t:${expiresAt}:f>, <t:${expiresAt}:R>). Only you can see it:`,
				'```',
				token,
				'```',
				'Send it as a bearer token; with it in `$TOKEN`:',
				'```sh',
				`curl -H "Authorization: Bearer $TOKEN" ${base}/guilds/${interaction.guildId}/plugins`,
				'```',
				'Anyone holding it can change this server’s bot settings until it expires: do not share it.'
			].join('\n')
		);
		// Who got a token, for which server and until when; never the token itself.
		logger.info(`API token ${jti} issued to user ${interaction.user.id} for guild ${interaction.guildId}, valid ${minutes} minutes.`);
	}

	/** The port the API actually listens on: differs from API_PORT when that is 0 (a free port). */
	private listeningPort(): number | undefined {
		const address = this.container.client.server?.server?.address();
		return typeof address === 'object' && address !== null ? address.port : undefined;
	}
}
