import { randomBytes } from 'node:crypto';
import { ApplicationFlags, GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type { APIUser, GatewayIdentifyData, GatewayReadyDispatchData, GatewayResumeData } from 'discord-api-types/v10';
import { shardForGuild } from '../snowflake.js';
import { GatewayMemberRequests } from './member-requests.js';
import { GatewaySession, type GatewayConnection } from './session.js';
import type { IdentifyRecord, IdentifyRefusal } from './types.js';

const KNOWN_INTENTS = Object.values(GatewayIntentBits)
	.filter((v): v is number => typeof v === 'number')
	.reduce((acc, bit) => acc | bit, 0);

/**
 * IDENTIFY (READY, then GUILD_CREATE per guild) and RESUME (replay of missed dispatches).
 *
 * An IDENTIFY is checked in this order, each refusal recorded in `sessionStarts.log` (close codes from
 * discord-api-docs developers/topics/opcodes-and-status-codes.mdx, "Gateway Close Event Codes"):
 * 4005 already authenticated, 4004 authentication failed, 4010 invalid shard, 4013/4014 intents, then the
 * identify concurrency (op 9), then 4011 sharding required. The docs give no order; the payload's own faults come
 * first, and 4011 last because it depends on the guilds the session would load, i.e. on starting it.
 */
export class GatewayIdentify extends GatewayMemberRequests {
	// ------------------------------------------------------------------------- identify / resume

	/** Every IDENTIFY in arrival order: shard, rate-limit key, connection, session, accepted or why refused. */
	public get identifyLog(): readonly IdentifyRecord[] {
		return this.sessionStarts.log;
	}

	/** IDENTIFYs answered with op 9 because they came faster than `max_concurrency` per window allows. */
	public tooFastIdentifies(): IdentifyRecord[] {
		return this.sessionStarts.log.filter((entry) => entry.reason === 'max-concurrency');
	}

	protected onIdentify(connection: GatewayConnection, data: GatewayIdentifyData): void {
		const at = Date.now();
		const shard = shardPairOf(data);
		const base = { at, connectionId: connection.id, shard, rateLimitKey: shard ? this.sessionStarts.rateLimitKey(shard[0]) : null };
		const refuse = (reason: IdentifyRefusal, code: GatewayCloseCodes, message: string): void => {
			this.sessionStarts.record({ ...base, outcome: 'refused', sessionId: null, reason, closeCode: code });
			this.refuse(connection, code, message);
		};
		if (connection.session) return refuse('already-authenticated', GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
		if (!data || typeof data !== 'object' || data.token !== this.options.token) {
			return refuse('authentication-failed', GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
		}
		// "You sent us an invalid shard when identifying" (opcodes-and-status-codes.mdx, 4010).
		if (!shard) return refuse('invalid-shard', GatewayCloseCodes.InvalidShard, 'Invalid shard.');
		const intents = Number(data.intents);
		if (!Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
			return refuse('invalid-intents', GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
		}
		if (!this.allowedIntents(intents)) return refuse('disallowed-intents', GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');

		// "Apps are limited by maximum concurrency (max_concurrency in the session start limit object) when
		// identifying. If your app exceeds this limit, Discord will respond with a Invalid Session (opcode 9) event"
		// (discord-api-docs developers/events/gateway.mdx, "Identifying"; again under "Rate Limiting"). `d` says
		// "whether the session may be resumable" (events/gateway-events.mdx, "Invalid Session"): no session was
		// started, so false. @discordjs/ws answers it by reconnecting and identifying again through its throttler
		// (discordjs/discord.js, tag @discordjs/ws@1.2.3, packages/ws/src/ws/WebSocketShard.ts, InvalidSession).
		// The connection stays open: Discord sends op 9 rather than a close code, and the client disconnects.
		if (!this.sessionStarts.tryStart({ at, connectionId: connection.id, shard })) {
			this.sessionStarts.record({ ...base, outcome: 'refused', sessionId: null, reason: 'max-concurrency' });
			connection.send(GatewayOpcodes.InvalidSession, false);
			this.context.notifier.notify();
			return;
		}

		const [shardId, shardCount] = shard;
		const state = this.context.state;
		const guilds = state.botGuilds().filter((g) => shardForGuild(g.id, shardCount) === shardId);
		// "Each shard can only support a maximum of 2500 guilds" (gateway.mdx, "Sharding"); close 4011 "The session
		// would have handled too many guilds" (opcodes-and-status-codes.mdx).
		if (guilds.length > this.options.maxGuildsPerShard)
			return refuse('sharding-required', GatewayCloseCodes.ShardingRequired, 'Sharding required.');

		this.identifies += 1;
		this.sessionStarts.noteSessionStarted(at);
		const session = new GatewaySession(
			randomBytes(16).toString('hex'),
			[shardId, shardCount],
			intents,
			typeof data.large_threshold === 'number' ? Math.min(250, Math.max(50, data.large_threshold)) : 50,
			this.options.replayBufferSize
		);
		this.sessions.set(session.id, session);
		session.connection = connection;
		connection.session = session;
		this.sessionStarts.record({ ...base, outcome: 'accepted', sessionId: session.id });

		// READY's `shard` is "Shard information associated with this session, if sent when identifying"
		// (events/gateway-events.mdx, "Ready Event"); its guilds, and the GUILD_CREATEs after it, are the shard's only.
		const ready: GatewayReadyDispatchData = {
			v: 10,
			user: { ...state.botUser, verified: true, mfa_enabled: false, flags: 0 as NonNullable<APIUser['flags']> },
			guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
			session_id: session.id,
			resume_gateway_url: `${this.context.baseUrl()}/resume`,
			shard: [shardId, shardCount],
			application: { id: state.applicationId, flags: this.applicationFlags(), flags_new: String(this.applicationFlags()) }
		};
		this.sendDispatch(session, GatewayDispatchEvents.Ready, JSON.stringify(ready), session.id);
		if (session.has(GatewayIntentBits.Guilds)) {
			for (const guild of guilds) {
				this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, JSON.stringify(this.guildCreateData(guild.id, session)), guild.id);
			}
		}
		this.context.notifier.notify();
	}

	/** Privileged intents must be enabled for the application, else close 4014 (gateway.mdx, "Privileged Intents"). */
	private allowedIntents(intents: number): boolean {
		const privileged = this.options.privilegedIntents;
		return !(
			(!privileged.guildMembers && (intents & GatewayIntentBits.GuildMembers) !== 0) ||
			(!privileged.guildPresences && (intents & GatewayIntentBits.GuildPresences) !== 0) ||
			(!privileged.messageContent && (intents & GatewayIntentBits.MessageContent) !== 0)
		);
	}

	/** The "limited" privileged intent flags an unverified bot (< 100 guilds) carries. */
	protected applicationFlags(): ApplicationFlags {
		const p = this.options.privilegedIntents;
		let flags = 0;
		if (p.guildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
		if (p.guildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
		if (p.messageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
		return flags as ApplicationFlags;
	}

	/**
	 * RESUME on any new connection (the client opens it on `resume_gateway_url`, gateway.mdx "Preparing to Resume"):
	 * the session keeps its shard, gets the dispatches it missed "in order, finishing with a Resumed event" (same
	 * page). RESUME does not count against session starts or the identify concurrency: the 1000 a day "does not
	 * include RESUME calls" (gateway.mdx, "Identifying"). A session that ended (closed with 1000/1001, or whose
	 * missed events are gone) gets op 9 `d: false`; a new IDENTIFY for its shard is then accepted like any other.
	 */
	protected onResume(connection: GatewayConnection, data: GatewayResumeData): void {
		if (connection.session) {
			this.refuse(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		if (!data || data.token !== this.options.token) {
			this.refuse(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		const session = this.sessions.get(data.session_id);
		const frames = session && !session.invalidated ? session.buffer.after(Number(data.seq)) : undefined;
		if (!session || session.invalidated || frames === undefined || Number(data.seq) > session.seq) {
			connection.send(GatewayOpcodes.InvalidSession, false);
			return;
		}
		const previous = session.connection;
		if (previous && previous !== connection) {
			previous.session = null;
			previous.closed = true;
			previous.ws.terminate();
		}
		session.connection = connection;
		connection.session = session;
		for (const frame of frames) connection.sendRaw(frame);
		session.resumes += 1;
		this.resumes += 1;
		this.sendDispatch(session, GatewayDispatchEvents.Resumed, 'null');
		this.context.notifier.notify();
	}
}

/**
 * `shard` of an IDENTIFY as `[shard_id, num_shards]` with 0 <= shard_id < num_shards; `[0, 1]` when absent or null (the
 * field is optional: "Used for Guild Sharding", events/gateway-events.mdx, "Identify Structure"); null otherwise.
 */
function shardPairOf(data: GatewayIdentifyData | undefined): [number, number] | null {
	const shard: unknown = data && typeof data === 'object' ? data.shard : undefined;
	if (shard === undefined || shard === null) return [0, 1];
	if (!Array.isArray(shard) || shard.length !== 2) return null;
	const [id, count] = shard as unknown[];
	if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
	const shardId = id as number;
	const shardCount = count as number;
	return shardCount >= 1 && shardId >= 0 && shardId < shardCount ? [shardId, shardCount] : null;
}
