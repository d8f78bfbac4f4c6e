import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from '@sapphire/framework';
import { type ChatInputCommandInteraction, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { GUILD_MANAGE_SCOPE, TOKEN_ID_PATTERN } from '../core/auth/api-tokens.js';
import { manageServerOptions, manageServerSlashCommand } from '../core/commands/manage-server-command.js';
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
 * `/api-token issue`: gives a Manage Server member a short-lived token for this server's HTTP API routes,
 * privately, with its id. This is the only place tokens are issued: no API route mints them. The token
 * appears in that one private reply and nowhere else; the log and the audit log record who got which id,
 * for which server and until when.
 *
 * `/api-token revoke [token-id]`: revokes every token of this server issued until now, or the one with
 * that id, on every instance of the bot. A token also stops working on its own as soon as its user loses
 * Manage Server or leaves the server (checked on every API request).
 */
export class ApiTokenCommand extends VersionedCommand {
	public constructor(context: Command.LoaderContext) {
		super(
			context,
			manageServerOptions({
				version: '2.0.0',
				description: 'Get or revoke short-lived tokens for this server’s HTTP API'
			})
		);
	}

	public override definitions(): RESTPostAPIApplicationCommandsJSONBody[] {
		return [
			manageServerSlashCommand('api-token', 'Tokens for this server’s HTTP API')
				.addSubcommand((sub) =>
					sub
						.setName('issue')
						.setDescription('Get a short-lived token for this server’s HTTP API (only you see it)')
						.addIntegerOption((option) =>
							option
								.setName('minutes')
								.setDescription(
									`How long the token works, ${MINIMUM_TOKEN_MINUTES} to ${MAXIMUM_TOKEN_MINUTES} minutes (default ${DEFAULT_TOKEN_MINUTES})`
								)
								.setMinValue(MINIMUM_TOKEN_MINUTES)
								.setMaxValue(MAXIMUM_TOKEN_MINUTES)
						)
				)
				.addSubcommand((sub) =>
					sub
						.setName('revoke')
						.setDescription('Revoke every API token of this server issued until now, or one by its id')
						.addStringOption((option) =>
							option
								.setName('token-id')
								.setDescription('Revoke only the token with this id (shown when it was issued)')
								.setMinLength(36)
								.setMaxLength(36)
						)
				)
				.toJSON()
		];
	}

	public override async chatInputRun(interaction: ChatInputCommandInteraction<'cached' | 'raw'>) {
		if (interaction.options.getSubcommand(true) === 'revoke')
			return this.revoke(interaction, interaction.options.getString('token-id') ?? undefined);
		return this.issue(interaction, interaction.options.getInteger('minutes') ?? DEFAULT_TOKEN_MINUTES);
	}

	private async issue(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, minutes: number) {
		// Discord enforces the option's range for its own clients; anything else is held to it here.
		if (minutes < MINIMUM_TOKEN_MINUTES || minutes > MAXIMUM_TOKEN_MINUTES) {
			return replyPrivately(interaction, `\`minutes\` must be between ${MINIMUM_TOKEN_MINUTES} and ${MAXIMUM_TOKEN_MINUTES}.`);
		}

		const { apiTokens, tokenRevocations, audit, env, logger } = this.container;
		// A token signed in the second this server's tokens were revoked would be revoked as well.
		const wait = await tokenRevocations.waitUntilIssuable(interaction.guildId);
		if (wait > 0) await sleep(wait);
		const token = apiTokens.issue({
			userId: interaction.user.id,
			guildId: interaction.guildId,
			scope: [GUILD_MANAGE_SCOPE],
			lifetimeSeconds: minutes * 60
		});
		const verification = apiTokens.verify(token);
		if (!verification.ok) throw new Error(`A token just issued does not verify (${verification.reason})`);
		const { exp: expiresAt, jti } = verification.claims;
		// Stored before the token is shown, so that every token an admin holds can be revoked by its id.
		await tokenRevocations.recordIssued(verification.claims);

		// Who got a token, for which server and until when; never the token itself. Recorded before it is shown.
		logger.info(`API token ${jti} issued to user ${interaction.user.id} for guild ${interaction.guildId}, valid ${minutes} minutes.`);
		await audit.record({
			guildId: interaction.guildId,
			actorId: interaction.user.id,
			source: 'command',
			action: 'api-token.issue',
			target: jti,
			changes: { expiresAt: new Date(expiresAt * 1000).toISOString() }
		});

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
				`Its id is \`${jti}\`: \`/api-token revoke token-id:${jti}\` ends it early. It also stops working if you lose Manage Server or leave the server.`,
				'Anyone holding it can change this server’s bot settings until it expires: do not share it.'
			].join('\n')
		);
	}

	private async revoke(interaction: ChatInputCommandInteraction<'cached' | 'raw'>, tokenId: string | undefined) {
		const { tokenRevocations, audit, logger } = this.container;
		const { guildId, user } = interaction;
		if (tokenId === undefined) {
			const notBefore = await tokenRevocations.revokeAll(guildId);
			logger.info(`Every API token of guild ${guildId} issued until ${notBefore} revoked by user ${user.id}.`);
			await audit.record({
				guildId,
				actorId: user.id,
				source: 'command',
				action: 'api-token.revoke',
				target: 'all',
				changes: { issuedBefore: new Date((notBefore + 1) * 1000).toISOString() }
			});
			return replyPrivately(
				interaction,
				'Every API token of this server issued until now is revoked, yours included. `/api-token issue` gives a new one.'
			);
		}
		// Never echo what does not look like an id: it may be a token pasted by mistake.
		if (!TOKEN_ID_PATTERN.test(tokenId)) {
			return replyPrivately(
				interaction,
				'`token-id` must be a token’s id as `/api-token issue` showed it (such as `123e4567-e89b-42d3-a456-426614174000`), not the token itself.'
			);
		}
		const revoked = await tokenRevocations.revoke(guildId, tokenId, user.id);
		if (revoked === undefined)
			return replyPrivately(interaction, `No unexpired API token with the id \`${tokenId}\` was issued for this server.`);
		logger.info(`API token ${tokenId} of guild ${guildId} revoked by user ${user.id}.`);
		await audit.record({
			guildId,
			actorId: user.id,
			source: 'command',
			action: 'api-token.revoke',
			target: tokenId,
			changes: { issuedTo: revoked.userId }
		});
		return replyPrivately(interaction, `API token \`${tokenId}\` (issued to <@${revoked.userId}>) is revoked.`);
	}

	/** The port the API actually listens on: differs from API_PORT when that is 0 (a free port). */
	private listeningPort(): number | undefined {
		const address = this.container.client.server?.server?.address();
		return typeof address === 'object' && address !== null ? address.port : undefined;
	}
}
