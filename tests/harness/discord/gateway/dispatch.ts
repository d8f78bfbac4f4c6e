import { GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import type { APIGuildMember, APIMessage, APIUser, GatewayGuildCreateDispatchData, GatewayMessageCreateDispatchData } from 'discord-api-types/v10';
import { DeliveryLog } from './deliveries.js';
import { SessionStartLimiter } from './session-starts.js';
import type { GatewayConnection, GatewaySession } from './session.js';
import type { DispatchTarget, GatewayContext, GatewayOptions, MemberRequestRecord, ReceivedGatewayPayload, ShardSessionInfo } from './types.js';

/**
 * The gateway's sessions and connections as data, and sending dispatches to them: sequence numbers, the replay
 * buffer, shard and intent filtering, and typed helpers per event. GatewayServer adds the wire protocol on top.
 */
export class GatewayDispatcher {
	public readonly sessions = new Map<string, GatewaySession>();
	public readonly connections = new Set<GatewayConnection>();
	public readonly received: ReceivedGatewayPayload[] = [];
	/** Connections refused or closed by the stand-in, with the reason (e.g. etf requested). */
	public readonly closes: { connectionId: number; code: number; reason: string }[] = [];
	public identifies = 0;
	public resumes = 0;
	/** Every REQUEST_GUILD_MEMBERS and what the stand-in did with it, in arrival order. */
	public readonly memberRequests: MemberRequestRecord[] = [];
	/** Session starts per day, `max_concurrency`, the identify window, and every IDENTIFY (`sessionStarts.log`). */
	public readonly sessionStarts: SessionStartLimiter;
	/** Which session got which dispatch. */
	public readonly deliveries = new DeliveryLog();

	public constructor(
		protected readonly context: GatewayContext,
		public readonly options: GatewayOptions
	) {
		this.sessionStarts = new SessionStartLimiter(options.sessionStarts);
	}

	protected refuse(connection: GatewayConnection, code: number, reason: string): void {
		this.closes.push({ connectionId: connection.id, code, reason });
		connection.close(code, reason);
		this.context.notifier.notify();
	}

	// ------------------------------------------------------------------------- dispatching

	/** Assigns the next sequence number, buffers the frame, sends it if connected, and records who got it. */
	protected sendDispatch(session: GatewaySession, t: string, dJson: string, ref?: string): void {
		session.seq += 1;
		const frame = `{"op":0,"t":${JSON.stringify(t)},"s":${session.seq},"d":${dJson}}`;
		session.buffer.push(session.seq, frame);
		session.connection?.sendRaw(frame);
		const connection = session.connection && !session.connection.closed ? session.connection : null;
		this.deliveries.push({
			at: Date.now(),
			t,
			seq: session.seq,
			sessionId: session.id,
			shard: session.shard,
			ref,
			connected: connection !== null,
			connectionId: connection?.id ?? null
		});
	}

	/** Live (not invalidated) sessions, connected or waiting to resume. */
	public liveSessions(): GatewaySession[] {
		return [...this.sessions.values()].filter((s) => !s.invalidated);
	}

	/** Every session with the shard it holds and the guilds that gives it; only live ones unless `all`. */
	public shardSessions(options: { all?: boolean } = {}): ShardSessionInfo[] {
		const sessions = options.all ? [...this.sessions.values()] : this.liveSessions();
		const guildIds = this.context.state.botGuilds().map((guild) => guild.id);
		return sessions.map((session) => ({
			sessionId: session.id,
			shard: [session.shard[0], session.shard[1]],
			connectionId: session.connection?.id ?? null,
			connected: session.connection !== null && !session.connection.closed,
			invalidated: session.invalidated,
			startedAt: session.startedAt,
			resumes: session.resumes,
			guildIds: guildIds.filter((id) => session.servesGuild(id))
		}));
	}

	/** The distinct sessions that were handed the event about `ref` (an interaction, message, guild or user id). */
	public sessionsThatReceived(ref: string, t?: GatewayDispatchEvents | string): string[] {
		return this.deliveries.sessionsThatReceived(ref, t);
	}

	/**
	 * Sends a dispatch to every live session it concerns (shard, intents). Sessions that
	 * are disconnected get it on RESUME. Returns the number of sessions it went to.
	 */
	public dispatch(t: GatewayDispatchEvents | string, d: unknown, target: DispatchTarget = {}): number {
		let json: string | undefined;
		const ref = target.ref ?? idOf(d);
		return this.dispatchRendered(t, () => (json ??= JSON.stringify(d ?? null)), { ...target, ref });
	}

	/** Like `dispatch`, with the payload rendered per session (intent-dependent content). */
	public dispatchEach(t: GatewayDispatchEvents | string, render: (session: GatewaySession) => unknown, target: DispatchTarget = {}): number {
		return this.dispatchRendered(t, (session) => JSON.stringify(render(session)), target);
	}

	protected dispatchRendered(t: GatewayDispatchEvents | string, serialize: (session: GatewaySession) => string, target: DispatchTarget): number {
		let count = 0;
		for (const session of target.session ? [target.session] : this.liveSessions()) {
			if (session.invalidated) continue;
			if (!target.session && !session.servesGuild(target.guildId)) continue;
			if (target.intent !== undefined && !session.has(target.intent)) continue;
			this.sendDispatch(session, t, serialize(session), target.ref);
			count += 1;
		}
		this.context.notifier.notify();
		return count;
	}

	public guildCreateData(guildId: string, session: GatewaySession): GatewayGuildCreateDispatchData {
		const state = this.context.state;
		const guild = state.requireGuild(guildId);
		const memberCount = guild.members.size;
		const large = memberCount > session.largeThreshold;
		const allMembers = !large && session.has(GatewayIntentBits.GuildMembers);
		const memberIds = allMembers ? [...guild.members.keys()] : guild.members.has(state.botUser.id) ? [state.botUser.id] : [];
		const botMember = guild.members.get(state.botUser.id);
		return {
			...state.guildToAPI(guildId),
			joined_at: botMember?.joinedAt ?? new Date().toISOString(),
			large,
			unavailable: false,
			member_count: memberCount,
			voice_states: [],
			members: memberIds.map((id) => state.memberToAPI(guildId, id)),
			channels: state.guildChannels(guildId).map((channel) => {
				const copy = { ...channel } as Record<string, unknown>;
				delete copy.guild_id;
				return copy as unknown as GatewayGuildCreateDispatchData['channels'][number];
			}),
			threads: [],
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: []
		};
	}

	/** GUILD_CREATE for one guild (e.g. after the bot joined it). */
	public guildCreate(guildId: string): number {
		return this.dispatchEach(GatewayDispatchEvents.GuildCreate, (session) => this.guildCreateData(guildId, session), {
			guildId,
			ref: guildId,
			intent: GatewayIntentBits.Guilds
		});
	}

	/** GUILD_DELETE: the bot left/was removed (`unavailable: false`) or an outage (`true`). */
	public guildDelete(guildId: string, unavailable = false): number {
		const data = unavailable ? { id: guildId, unavailable: true } : { id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildDelete, data, { guildId, intent: GatewayIntentBits.Guilds });
	}

	public guildMemberAdd(guildId: string, userId: string): number {
		const member = { ...this.context.state.memberToAPI(guildId, userId), guild_id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildMemberAdd, member, { guildId, ref: userId, intent: GatewayIntentBits.GuildMembers });
	}

	public guildMemberUpdate(guildId: string, userId: string): number {
		const member = { ...this.context.state.memberToAPI(guildId, userId), guild_id: guildId };
		return this.dispatch(GatewayDispatchEvents.GuildMemberUpdate, member, { guildId, ref: userId, intent: GatewayIntentBits.GuildMembers });
	}

	public guildMemberRemove(guildId: string, user: APIUser): number {
		return this.dispatch(
			GatewayDispatchEvents.GuildMemberRemove,
			{ guild_id: guildId, user },
			{ guildId, ref: user.id, intent: GatewayIntentBits.GuildMembers }
		);
	}

	public messageCreate(message: APIMessage): number {
		return this.dispatchMessage(GatewayDispatchEvents.MessageCreate, message);
	}

	public messageUpdate(message: APIMessage): number {
		return this.dispatchMessage(GatewayDispatchEvents.MessageUpdate, message);
	}

	public messageDelete(message: Pick<APIMessage, 'id' | 'channel_id'>): number {
		const guildId = this.context.state.guildIdOfChannel(message.channel_id);
		const data = guildId
			? { id: message.id, channel_id: message.channel_id, guild_id: guildId }
			: { id: message.id, channel_id: message.channel_id };
		return this.dispatch(GatewayDispatchEvents.MessageDelete, data, {
			guildId,
			intent: guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages
		});
	}

	public interactionCreate(interaction: { guild_id?: string | undefined }): number {
		return this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction, { guildId: interaction.guild_id });
	}

	protected dispatchMessage(t: GatewayDispatchEvents, message: APIMessage): number {
		const state = this.context.state;
		const guildId = state.guildIdOfChannel(message.channel_id);
		const render = (session: GatewaySession): GatewayMessageCreateDispatchData => {
			const data: GatewayMessageCreateDispatchData = { ...message };
			if (guildId) {
				data.guild_id = guildId;
				const guild = state.guilds.get(guildId);
				if (guild?.members.has(message.author.id) && message.webhook_id === undefined) {
					const { user: _user, ...member } = state.memberToAPI(guildId, message.author.id);
					data.member = member as NonNullable<GatewayMessageCreateDispatchData['member']>;
				}
				data.mentions = message.mentions.map((user) =>
					guild?.members.has(user.id) ? { ...user, member: withoutUser(state.memberToAPI(guildId, user.id)) } : user
				) as GatewayMessageCreateDispatchData['mentions'];
			}
			const botMentioned = message.mentions.some((u) => u.id === state.botUser.id);
			const own = message.author.id === state.botUser.id;
			if (guildId && !own && !botMentioned && !session.has(GatewayIntentBits.MessageContent)) {
				data.content = '';
				data.embeds = [];
				data.attachments = [];
				data.components = [];
				delete data.poll;
			}
			return data;
		};
		return this.dispatchEach(t, render, {
			guildId,
			ref: message.id,
			intent: guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages
		});
	}
}

/** The `id` of a dispatch payload, which names what most events are about. */
function idOf(d: unknown): string | undefined {
	if (typeof d !== 'object' || d === null || !('id' in d)) return undefined;
	return typeof d.id === 'string' ? d.id : undefined;
}

function withoutUser(member: APIGuildMember): Omit<APIGuildMember, 'user'> {
	const { user: _user, ...rest } = member;
	return rest;
}
