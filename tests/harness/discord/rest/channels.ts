import { ChannelType, MessageType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIChannel, APIMessage, APIMessageReference } from 'discord-api-types/v10';
import type { RestContext } from '../context.js';
import { DiscordErrors, FormErrors } from '../errors.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';
import { applyMessageEdit, buildMessage, validateMessageBody } from '../messages.js';
import { compareIds } from '../state.js';

/** Channels, channel messages and DM channels, with Discord's permission checks for the bot. */
export function channelRoutes(ctx: RestContext): RouteDefinition[] {
	const state = ctx.state;
	const botId = state.botUser.id;

	/** The channel, if the bot can see it (404 / 403 otherwise). */
	const visibleChannel = (request: HarnessRequest): { channel: APIChannel; guildId: string | undefined; permissions: bigint } => {
		const channel = state.channels.get(request.params.channel_id ?? '');
		if (!channel) throw DiscordErrors.unknownChannel();
		if (channel.type === ChannelType.DM) {
			const isRecipient = state.dmChannels.get(channel.recipients?.[0]?.id ?? '') === channel.id;
			if (!isRecipient) throw DiscordErrors.unknownChannel();
			return { channel, guildId: undefined, permissions: ~0n };
		}
		const guildId = state.guildIdOfChannel(channel.id);
		if (!guildId || !state.isBotInGuild(guildId)) throw DiscordErrors.missingAccess();
		const permissions = state.channelPermissions(guildId, botId, channel.id);
		if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) throw DiscordErrors.missingAccess();
		return { channel, guildId, permissions };
	};

	const require = (permissions: bigint, ...bits: bigint[]): void => {
		for (const bit of bits) if ((permissions & bit) !== bit) throw DiscordErrors.missingPermissions();
	};

	const isTextBased = (channel: APIChannel): boolean =>
		channel.type === ChannelType.GuildText ||
		channel.type === ChannelType.GuildAnnouncement ||
		channel.type === ChannelType.GuildVoice ||
		channel.type === ChannelType.GuildStageVoice ||
		channel.type === ChannelType.DM ||
		channel.type === ChannelType.PublicThread ||
		channel.type === ChannelType.PrivateThread ||
		channel.type === ChannelType.AnnouncementThread;

	const messageIn = (channelId: string, messageId: string | undefined): APIMessage => {
		const message = state.channelMessages.get(channelId)?.get(messageId ?? '');
		if (!message) throw DiscordErrors.unknownMessage();
		return message;
	};

	return [
		{
			method: 'GET',
			route: '/channels/:channel_id',
			auth: true,
			handler: (request) => ({ status: 200, body: visibleChannel(request).channel })
		},
		{
			method: 'GET',
			route: '/channels/:channel_id/messages',
			auth: true,
			handler: (request) => {
				const { channel, permissions } = visibleChannel(request);
				if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) return { status: 200, body: [] };
				const limitText = request.query.get('limit');
				const limit = limitText === null ? 50 : Number(limitText);
				if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
					const errors = new FormErrors();
					errors.add(['limit'], 'NUMBER_TYPE_MAX', 'Int value should be between 1 and 100.');
					errors.throwIfAny();
				}
				const newestFirst = state.messagesIn(channel.id).reverse();
				const before = request.query.get('before');
				const after = request.query.get('after');
				const around = request.query.get('around');
				let selected: APIMessage[];
				if (around) {
					const older = newestFirst.filter((m) => compareIds(m.id, around) <= 0).slice(0, Math.ceil(limit / 2));
					const newer = newestFirst.filter((m) => compareIds(m.id, around) > 0).slice(-Math.floor(limit / 2));
					selected = [...newer, ...older];
				} else if (after) {
					selected = newestFirst.filter((m) => compareIds(m.id, after) > 0).slice(-limit);
				} else {
					selected = newestFirst.filter((m) => !before || compareIds(m.id, before) < 0).slice(0, limit);
				}
				return { status: 200, body: selected };
			}
		},
		{
			method: 'GET',
			route: '/channels/:channel_id/messages/:message_id',
			auth: true,
			handler: (request) => {
				const { channel, permissions } = visibleChannel(request);
				require(permissions, PermissionFlagsBits.ReadMessageHistory);
				return { status: 200, body: messageIn(channel.id, request.params.message_id) };
			}
		},
		{
			method: 'POST',
			route: '/channels/:channel_id/messages',
			auth: true,
			handler: (request) => {
				const { channel, guildId, permissions } = visibleChannel(request);
				if (!isTextBased(channel)) {
					throw DiscordErrors.invalidFormBody({
						_errors: [{ code: 'CHANNEL_TYPE_INVALID', message: 'Cannot send messages in a non-text channel' }]
					});
				}
				if (channel.type === ChannelType.DM) {
					const recipient = channel.recipients?.[0]?.id;
					if (recipient && state.closedDMs.has(recipient)) throw DiscordErrors.cannotSendMessagesToThisUser();
				} else {
					require(permissions, PermissionFlagsBits.SendMessages);
					if (request.files.length > 0) require(permissions, PermissionFlagsBits.AttachFiles);
				}
				const body = validateMessageBody(request.body, request.files, 'create');
				// enforce_nonce: a create whose nonce the same author used within the window returns that message
				// and posts nothing (developers/resources/message.mdx, Create Message; window and scope in nonces.ts).
				// If that message was deleted meanwhile, Discord answers 10008 Unknown Message rather than posting
				// again ("That we don't try to recreate the message if it was created then subsequently deleted is
				// intentional", Discord's author of the feature in discord/discord-api-docs#6647).
				const nonce = body.nonce === undefined || body.nonce === null ? undefined : String(body.nonce);
				if (body.enforce_nonce === true && nonce !== undefined) {
					const earlier = ctx.nonces.find(botId, nonce);
					if (earlier) {
						const message = state.findMessage(earlier.messageId, earlier.channelId)?.message;
						if (!message) throw DiscordErrors.unknownMessage();
						return { status: 200, body: message };
					}
				}
				let messageReference: APIMessageReference | undefined;
				const reference = body.message_reference;
				if (reference && reference.message_id) {
					const targetChannel = reference.channel_id ?? channel.id;
					const target = state.channelMessages.get(targetChannel)?.get(reference.message_id);
					if (!target) {
						if (reference.fail_if_not_exists !== false) {
							const errors = new FormErrors();
							errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
							errors.throwIfAny();
						}
					} else {
						messageReference = { type: 0, message_id: target.id, channel_id: targetChannel, ...(guildId ? { guild_id: guildId } : {}) };
					}
				}
				const message = buildMessage(state, ctx.baseUrl(), {
					channelId: channel.id,
					author: state.botUser,
					body,
					files: request.files,
					type: messageReference ? MessageType.Reply : MessageType.Default,
					...(messageReference ? { messageReference } : {})
				});
				state.insertMessage(message, { ephemeral: false, source: 'rest' });
				if (nonce !== undefined) ctx.nonces.remember(botId, nonce, message);
				ctx.gateway.messageCreate(message);
				return { status: 200, body: message };
			}
		},
		{
			method: 'PATCH',
			route: '/channels/:channel_id/messages/:message_id',
			auth: true,
			handler: (request) => {
				const { channel } = visibleChannel(request);
				const existing = messageIn(channel.id, request.params.message_id);
				if (existing.author.id !== botId) throw DiscordErrors.cannotEditOthersMessage();
				const body = validateMessageBody(request.body, request.files, 'edit');
				const updated = applyMessageEdit(state, ctx.baseUrl(), existing, body, request.files);
				state.replaceMessage(updated, { ephemeral: false, source: 'rest' });
				ctx.gateway.messageUpdate(updated);
				return { status: 200, body: updated };
			}
		},
		{
			method: 'DELETE',
			route: '/channels/:channel_id/messages/:message_id',
			auth: true,
			handler: (request) => {
				const { channel, permissions } = visibleChannel(request);
				const existing = messageIn(channel.id, request.params.message_id);
				if (existing.author.id !== botId && channel.type !== ChannelType.DM) {
					require(permissions, PermissionFlagsBits.ManageMessages);
				}
				state.removeMessage(existing, { ephemeral: false, source: 'rest' });
				ctx.gateway.messageDelete(existing);
				return { status: 204 };
			}
		},
		{
			method: 'POST',
			route: '/channels/:channel_id/typing',
			auth: true,
			handler: (request) => {
				const { permissions, channel } = visibleChannel(request);
				if (channel.type !== ChannelType.DM) require(permissions, PermissionFlagsBits.SendMessages);
				return { status: 204 };
			}
		},
		{
			method: 'POST',
			route: '/users/@me/channels',
			auth: true,
			handler: (request) => {
				const body = (request.body ?? {}) as { recipient_id?: unknown };
				if (typeof body.recipient_id !== 'string') {
					const errors = new FormErrors();
					errors.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
					errors.throwIfAny();
				}
				const recipientId = body.recipient_id as string;
				if (!state.users.has(recipientId)) throw DiscordErrors.unknownUser();
				return { status: 200, body: state.ensureDMChannel(recipientId) };
			}
		}
	];
}
