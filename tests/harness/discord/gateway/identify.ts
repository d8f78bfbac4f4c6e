import { randomBytes } from 'node:crypto';
import { ApplicationFlags, GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type { APIUser, GatewayIdentifyData, GatewayReadyDispatchData, GatewayResumeData } from 'discord-api-types/v10';
import { shardForGuild } from '../snowflake.js';
import { GatewayMemberRequests } from './member-requests.js';
import { GatewaySession, type GatewayConnection } from './session.js';

const KNOWN_INTENTS = Object.values(GatewayIntentBits)
	.filter((v): v is number => typeof v === 'number')
	.reduce((acc, bit) => acc | bit, 0);

/** IDENTIFY (READY, then GUILD_CREATE per guild) and RESUME (replay of missed dispatches). */
export class GatewayIdentify extends GatewayMemberRequests {
	// ------------------------------------------------------------------------- identify / resume

	protected onIdentify(connection: GatewayConnection, data: GatewayIdentifyData): void {
		if (connection.session) {
			this.refuse(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
			return;
		}
		if (!data || typeof data !== 'object' || data.token !== this.options.token) {
			this.refuse(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
			return;
		}
		const [shardId, shardCount] = Array.isArray(data.shard) ? data.shard : [0, 1];
		if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
			this.refuse(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
			return;
		}
		const intents = Number(data.intents);
		if (!Number.isInteger(intents) || intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
			this.refuse(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
			return;
		}
		const privileged = this.options.privilegedIntents;
		const disallowed =
			(!privileged.guildMembers && (intents & GatewayIntentBits.GuildMembers) !== 0) ||
			(!privileged.guildPresences && (intents & GatewayIntentBits.GuildPresences) !== 0) ||
			(!privileged.messageContent && (intents & GatewayIntentBits.MessageContent) !== 0);
		if (disallowed) {
			this.refuse(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
			return;
		}
		const state = this.context.state;
		const guilds = state.botGuilds().filter((g) => shardForGuild(g.id, shardCount) === shardId);
		if (guilds.length > this.options.maxGuildsPerShard) {
			this.refuse(connection, GatewayCloseCodes.ShardingRequired, 'Sharding required.');
			return;
		}

		this.identifies += 1;
		this.context.onIdentify();
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

		const ready: GatewayReadyDispatchData = {
			v: 10,
			user: { ...state.botUser, verified: true, mfa_enabled: false, flags: 0 as NonNullable<APIUser['flags']> },
			guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
			session_id: session.id,
			resume_gateway_url: `${this.context.baseUrl()}/resume`,
			shard: [shardId, shardCount],
			application: { id: state.applicationId, flags: this.applicationFlags(), flags_new: String(this.applicationFlags()) }
		};
		this.sendDispatch(session, GatewayDispatchEvents.Ready, JSON.stringify(ready));
		if (session.has(GatewayIntentBits.Guilds)) {
			for (const guild of guilds) {
				this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, JSON.stringify(this.guildCreateData(guild.id, session)));
			}
		}
		this.context.notifier.notify();
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
