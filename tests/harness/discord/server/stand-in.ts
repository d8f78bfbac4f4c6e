import { MessageType } from 'discord-api-types/v10';
import type { APIChannel, APIGuildMember, APIMessage, APIRole, APIUser } from 'discord-api-types/v10';
import type {
	AutocompleteInput,
	MessageContextMenuInput,
	PressButtonInput,
	SelectMenuInput,
	SlashCommandInput,
	SubmitModalInput,
	UserContextMenuInput
} from '../actors.js';
import type { ShardSessionInfo } from '../gateway.js';
import type { InteractionHandle } from '../interactions.js';
import { buildMessage, validateMessageBody } from '../messages.js';
import type { RateLimitStats } from '../rate-limits.js';
import { nextSnowflakeOnShard } from '../snowflake.js';
import { matchesRequest, type RecordedRequest, type RequestFilter } from '../recorder.js';
import type {
	AddChannelInput,
	AddGuildInput,
	AddMemberInput,
	AddRoleInput,
	AddUserInput,
	MessageEvent,
	StoredGuild,
	UpdateMemberInput
} from '../state.js';
import type { DiscordStandInOptions, MessageInput, MessageWaitFilter } from './options.js';
import { StandInRequests } from './requests.js';

/**
 * A local stand-in for Discord's REST API and gateway, for running the real discord.js
 * client (and Sapphire) against. See index.ts for the public surface.
 */
export class DiscordStandIn extends StandInRequests {
	private constructor(options: DiscordStandInOptions) {
		super(options);
	}

	/** Starts the stand-in on a free local port. */
	public static async start(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
		const standIn = new DiscordStandIn(options);
		await standIn.listen(options.port ?? 0);
		return standIn;
	}

	// ------------------------------------------------------------------------- seeding (silent)

	public addUser(input: AddUserInput): APIUser {
		return this.state.addUser(input);
	}

	/** A guild with @everyone, its owner, a "general" channel and (by default) the bot as member. */
	public addGuild(input: AddGuildInput): StoredGuild {
		return this.state.addGuild(input);
	}

	/** A guild whose id routes it to shard `shard[0]` of `shard[1]` (`(guild_id >> 22) % num_shards`). */
	public addGuildOnShard(shard: [number, number], input: AddGuildInput): StoredGuild {
		return this.state.addGuild({ ...input, id: nextSnowflakeOnShard(this.state.ids, shard[0], shard[1]) });
	}

	public addChannel(guildId: string, input: AddChannelInput): APIChannel {
		return this.state.addChannel(guildId, input);
	}

	public addRole(guildId: string, input: AddRoleInput): APIRole {
		return this.state.addRole(guildId, input);
	}

	/** Adds a member; returns it as Discord renders it (with `user`). */
	public addMember(guildId: string, input: AddMemberInput): APIGuildMember {
		const member = this.state.addMember(guildId, input);
		return this.state.memberToAPI(guildId, member.userId);
	}

	/** Stores a message written by a user, without dispatching it. */
	public addMessage(input: MessageInput): APIMessage {
		return this.createUserMessage(input, false);
	}

	// ------------------------------------------------------------------------- acting (state + dispatch)

	/** A user posts a message: stored and dispatched as MESSAGE_CREATE. */
	public postMessage(input: MessageInput): APIMessage {
		return this.createUserMessage(input, true);
	}

	/** A user reacts to a message (or removes the reaction): MESSAGE_REACTION_ADD / _REMOVE. */
	public react(input: { messageId: string; userId: string; emoji: string; remove?: boolean }): void {
		const found = this.state.findMessage(input.messageId);
		if (!found || found.ephemeral) throw new Error(`Discord stand-in: unknown channel message ${input.messageId}`);
		this.state.requireUser(input.userId);
		this.reactions.apply(found.message, input.userId, input.emoji, input.remove !== true);
	}

	/** A user joins a guild: GUILD_MEMBER_ADD. */
	public memberJoin(guildId: string, input: AddMemberInput): APIGuildMember {
		const member = this.addMember(guildId, input);
		this.gateway.guildMemberAdd(guildId, member.user.id);
		return member;
	}

	/** A member's roles/nick change: GUILD_MEMBER_UPDATE. */
	public memberUpdate(guildId: string, userId: string, patch: UpdateMemberInput): APIGuildMember {
		this.state.updateMember(guildId, userId, patch);
		this.gateway.guildMemberUpdate(guildId, userId);
		return this.state.memberToAPI(guildId, userId);
	}

	/** A member leaves: GUILD_MEMBER_REMOVE. */
	public memberLeave(guildId: string, userId: string): void {
		this.state.removeMember(guildId, userId);
		this.gateway.guildMemberRemove(guildId, this.state.requireUser(userId));
	}

	/** The bot is added to a new guild: GUILD_CREATE. */
	public joinGuild(input: AddGuildInput): StoredGuild {
		const guild = this.state.addGuild({ ...input, botIsMember: true });
		this.gateway.guildCreate(guild.id);
		return guild;
	}

	/** The bot is removed from a guild: GUILD_DELETE (without `unavailable`). */
	public leaveGuild(guildId: string): void {
		this.state.removeMember(guildId, this.botUser.id);
		this.gateway.guildDelete(guildId, false);
	}

	public runSlashCommand(input: SlashCommandInput): InteractionHandle {
		return this.actors.runSlashCommand(input);
	}

	public runUserContextMenu(input: UserContextMenuInput): InteractionHandle {
		return this.actors.runUserContextMenu(input);
	}

	public runMessageContextMenu(input: MessageContextMenuInput): InteractionHandle {
		return this.actors.runMessageContextMenu(input);
	}

	public autocomplete(input: AutocompleteInput): InteractionHandle {
		return this.actors.autocomplete(input);
	}

	public pressButton(input: PressButtonInput): InteractionHandle {
		return this.actors.pressButton(input);
	}

	public selectMenu(input: SelectMenuInput): InteractionHandle {
		return this.actors.selectMenu(input);
	}

	public submitModal(input: SubmitModalInput): InteractionHandle {
		return this.actors.submitModal(input);
	}

	// ------------------------------------------------------------------------- reading back

	/** A channel's current messages, oldest first (ephemeral ones are never in a channel). */
	public channelMessages(channelId: string): APIMessage[] {
		return this.state.messagesIn(channelId);
	}

	/** Every message create/update/delete, in order (snapshots). */
	public get messageEvents(): readonly MessageEvent[] {
		return this.state.messageEvents;
	}

	public requestsMatching(filter: RequestFilter): RecordedRequest[] {
		return this.requests.filter((r) => matchesRequest(r, filter));
	}

	public rateLimitStats(): RateLimitStats {
		return this.rateLimits.stats();
	}

	/** Resolves with the first message event (past or future) matching the filter. */
	public waitForMessage(filter: MessageWaitFilter, timeoutMs = this.waitTimeoutMs): Promise<MessageEvent> {
		const kind = filter.kind ?? 'create';
		const matches = (event: MessageEvent): boolean => {
			if (event.kind !== kind) return false;
			if (filter.channelId !== undefined && event.channelId !== filter.channelId) return false;
			if (filter.authorId !== undefined && event.message.author.id !== filter.authorId) return false;
			if (filter.content !== undefined) {
				const content = event.message.content;
				if (typeof filter.content === 'string' ? !content.includes(filter.content) : !filter.content.test(content)) return false;
			}
			return filter.predicate ? filter.predicate(event) : true;
		};
		return this.waitFor(
			() => this.state.messageEvents.find(matches),
			`a message ${kind} matching ${describeFilter(filter)}`,
			timeoutMs,
			() => `  message events so far: ${this.state.messageEvents.length}`
		);
	}

	/** Resolves with the first REST request (past or future) matching the filter. */
	public waitForRequest(filter: RequestFilter, timeoutMs = this.waitTimeoutMs): Promise<RecordedRequest> {
		return this.waitFor(
			() => this.requests.find((r) => matchesRequest(r, filter)),
			`a request matching ${describeFilter(filter)}`,
			timeoutMs,
			() =>
				`  requests so far: ${this.requests
					.map((r) => `${r.method} ${r.route} ${r.status}`)
					.slice(-10)
					.join(', ')}`
		);
	}

	/** Resolves once `count` IDENTIFYs were answered with READY. */
	public waitForIdentify(count = 1, timeoutMs = this.waitTimeoutMs): Promise<number> {
		return this.waitFor(() => (this.gateway.identifies >= count ? this.gateway.identifies : undefined), `${count} gateway IDENTIFY`, timeoutMs);
	}

	/**
	 * Resolves once each of `shardIds` (of `shardCount`) is held by a live, connected session, with those sessions;
	 * e.g. after starting every process of a sharded bot.
	 */
	public waitForShards(shardIds: readonly number[], shardCount: number, timeoutMs = this.waitTimeoutMs): Promise<ShardSessionInfo[]> {
		const probe = (): ShardSessionInfo[] | undefined => {
			const held = this.gateway.shardSessions().filter((s) => s.connected && s.shard[1] === shardCount && shardIds.includes(s.shard[0]));
			return shardIds.every((id) => held.some((s) => s.shard[0] === id)) ? held : undefined;
		};
		const diagnose = (): string =>
			`  live sessions: ${this.gateway
				.shardSessions()
				.map((s) => `[${s.shard.join(', ')}]${s.connected ? '' : ' (disconnected)'}`)
				.join(', ')}`;
		return this.waitFor(probe, `sessions for shards ${shardIds.join(', ')} of ${shardCount}`, timeoutMs, diagnose);
	}

	/** Resolves once `count` RESUMEs succeeded. */
	public waitForResume(count = 1, timeoutMs = this.waitTimeoutMs): Promise<number> {
		return this.waitFor(() => (this.gateway.resumes >= count ? this.gateway.resumes : undefined), `${count} gateway RESUME`, timeoutMs);
	}

	/** Resolves with the first non-undefined `probe()` value; re-checked on every stand-in change. */
	public waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = this.waitTimeoutMs, diagnose?: () => string): Promise<T> {
		return this.notifier.waitFor(probe, what, timeoutMs, diagnose);
	}

	// ------------------------------------------------------------------------- internals

	private createUserMessage(input: MessageInput, dispatch: boolean): APIMessage {
		const state = this.state;
		const author = state.requireUser(input.authorId);
		const channel = state.requireChannel(input.channelId);
		const guildId = state.guildIdOfChannel(channel.id);
		if (guildId && !state.guilds.get(guildId)?.members.has(author.id)) {
			throw new Error(`Discord stand-in: user ${author.id} is not a member of guild ${guildId}`);
		}
		const body = validateMessageBody({ content: input.content, embeds: input.embeds, components: input.components }, [], 'create');
		const reference = input.replyTo
			? { type: 0 as const, message_id: input.replyTo, channel_id: channel.id, ...(guildId ? { guild_id: guildId } : {}) }
			: undefined;
		const message = buildMessage(state, this.baseUrl, {
			channelId: channel.id,
			author,
			body,
			type: reference ? MessageType.Reply : MessageType.Default,
			...(reference ? { messageReference: reference } : {})
		});
		state.insertMessage(message, { ephemeral: false, source: dispatch ? 'user' : 'seed' });
		if (dispatch) this.gateway.messageCreate(message);
		return message;
	}
}

function describeFilter(filter: object): string {
	const parts = Object.entries(filter)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${k}=${typeof v === 'function' ? '<predicate>' : String(v)}`);
	return parts.length > 0 ? `{ ${parts.join(', ')} }` : 'anything';
}
