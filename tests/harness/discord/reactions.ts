import { GatewayDispatchEvents, GatewayIntentBits, ReactionType } from 'discord-api-types/v10';
import type { APIEmoji, APIMessage, APIReaction, GatewayMessageReactionAddDispatchData } from 'discord-api-types/v10';
import type { GatewayServer } from './gateway.js';
import type { DiscordState } from './state.js';

/** Who reacted with what, per message: message id → emoji key → user ids. */
export class ReactionStore {
	readonly #byMessage = new Map<string, Map<string, { emoji: APIEmoji; users: Set<string> }>>();

	public constructor(
		private readonly state: DiscordState,
		private readonly gateway: GatewayServer
	) {}

	/** Users who reacted to a message with an emoji (unicode, or `name:id`). */
	public usersOf(messageId: string, emoji: string): string[] {
		return [...(this.#byMessage.get(messageId)?.get(parseEmoji(emoji).key)?.users ?? [])];
	}

	/**
	 * Adds or removes one user's reaction, keeps `message.reactions` in sync and dispatches
	 * MESSAGE_REACTION_ADD / _REMOVE. Returns false if nothing changed.
	 */
	public apply(message: APIMessage, userId: string, emojiText: string, add: boolean): boolean {
		const { key, emoji } = parseEmoji(emojiText);
		let perEmoji = this.#byMessage.get(message.id);
		if (!perEmoji) {
			perEmoji = new Map();
			this.#byMessage.set(message.id, perEmoji);
		}
		let entry = perEmoji.get(key);
		if (!entry) {
			entry = { emoji, users: new Set() };
			perEmoji.set(key, entry);
		}
		if (add === entry.users.has(userId)) return false;
		if (add) entry.users.add(userId);
		else entry.users.delete(userId);
		if (entry.users.size === 0) perEmoji.delete(key);
		message.reactions = this.render(message.id);
		if (message.reactions.length === 0) delete message.reactions;

		const guildId = this.state.guildIdOfChannel(message.channel_id);
		const data: GatewayMessageReactionAddDispatchData = {
			user_id: userId,
			channel_id: message.channel_id,
			message_id: message.id,
			emoji: entry.emoji,
			burst: false,
			type: ReactionType.Normal
		};
		if (guildId) {
			data.guild_id = guildId;
			if (add && this.state.guilds.get(guildId)?.members.has(userId)) data.member = this.state.memberToAPI(guildId, userId);
		}
		if (add) {
			data.message_author_id = message.author.id;
			data.burst_colors = [];
		}
		this.gateway.dispatch(add ? GatewayDispatchEvents.MessageReactionAdd : GatewayDispatchEvents.MessageReactionRemove, data, {
			guildId,
			ref: message.id,
			intent: guildId ? GatewayIntentBits.GuildMessageReactions : GatewayIntentBits.DirectMessageReactions
		});
		this.state.changed();
		return true;
	}

	private render(messageId: string): APIReaction[] {
		const botId = this.state.botUser.id;
		return [...(this.#byMessage.get(messageId)?.values() ?? [])].map(({ emoji, users }) => ({
			count: users.size,
			count_details: { burst: 0, normal: users.size },
			me: users.has(botId),
			me_burst: false,
			emoji,
			burst_colors: []
		}));
	}
}

/** `👍`, `name:id` or `a:name:id` → a stable key and the emoji object. */
export function parseEmoji(text: string): { key: string; emoji: APIEmoji } {
	const custom = /^(a:)?([\w-]+):(\d{16,20})$/.exec(text);
	if (custom) {
		const emoji: APIEmoji = { id: custom[3]!, name: custom[2]!, animated: custom[1] !== undefined };
		return { key: custom[3]!, emoji };
	}
	return { key: text, emoji: { id: null, name: text } };
}
