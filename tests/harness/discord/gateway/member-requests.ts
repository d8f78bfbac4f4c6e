import { GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord-api-types/v10';
import type { APIGuildMember, GatewayGuildMembersChunkDispatchData, GatewayRequestGuildMembersData } from 'discord-api-types/v10';
import { GatewayDispatcher } from './dispatch.js';
import type { GatewaySession } from './session.js';
import type { MemberRequestOutcome } from './types.js';

/** Discord ignores a request nonce longer than 32 bytes and then answers without one (gateway-events.mdx, Request Guild Members). */
const MAX_MEMBER_REQUEST_NONCE_BYTES = 32;
/** "Requesting a prefix (`query` parameter) will return a maximum of 100 members" and "Requesting `user_ids` will continue to be limited to returning 100 members" (same page). */
const MAX_MEMBERS_BY_QUERY_OR_IDS = 100;
/** GUILD_MEMBERS_CHUNK carries "up to 1000 members per chunk" (same page). */
const MEMBERS_PER_CHUNK = 1000;

/** REQUEST_GUILD_MEMBERS (op 8): member chunks, and the whole-list rate limit. */
export class GatewayMemberRequests extends GatewayDispatcher {
	/** Guild id → when its whole member list was last sent (Date.now()). Per bot: all sessions share it. */
	readonly #wholeListSentAt = new Map<string, number>();

	/**
	 * REQUEST_GUILD_MEMBERS (op 8), as discord-api-docs developers/events/gateway-events.mdx "Request Guild Members"
	 * describes it:
	 * - "`GUILD_MEMBERS` intent is required to request the entire member list—(query='', limit=0<=n)". Discord
	 *   does not close the connection for it (4013/4014 are only for IDENTIFY, gateway.mdx "Gateway Intents"): it
	 *   sends nothing back, and the client waits until it gives up (discord.js: GuildMembersTimeout after 120 s).
	 *   Reported in discord/discord-api-docs#5855 ("I don't get a response", cause: the intent missing from
	 *   IDENTIFY) and switchupcb/disgo#63.
	 * - The whole list (`query: ""`, `limit: 0`) once per guild per bot every 30 s; more are answered with a
	 *   RATE_LIMITED dispatch `{ opcode: 8, retry_after, meta: { guild_id, nonce } }` (developers/change-log.mdx,
	 *   August 14, 2025; gateway-events.mdx "Rate Limited"). Only the request counts, not its chunks.
	 * - At most 100 members by prefix or by `user_ids`, chunks of up to 1000, a nonce of at most 32 bytes echoed.
	 */
	protected onRequestGuildMembers(session: GatewaySession, data: GatewayRequestGuildMembersData): void {
		const state = this.context.state;
		const guildId = data && typeof data.guild_id === 'string' ? data.guild_id : undefined;
		const nonce = validNonce(data?.nonce);
		const byIds = Boolean(data) && 'user_ids' in data && data.user_ids !== undefined;
		const query = !byIds && data && 'query' in data && typeof data.query === 'string' ? data.query : '';
		const requested = data && 'limit' in data && typeof data.limit === 'number' ? data.limit : 0;
		const wholeList = !byIds && query === '';
		const record = (outcome: MemberRequestOutcome, retryAfter?: number): void => {
			this.memberRequests.push({
				at: Date.now(),
				sessionId: session.id,
				guildId,
				wholeList,
				nonce,
				outcome,
				...(retryAfter === undefined ? {} : { retryAfter })
			});
			this.context.notifier.notify();
		};

		const guild = guildId === undefined ? undefined : state.guilds.get(guildId);
		if (!guild || !guild.members.has(state.botUser.id)) {
			record('ignored-unknown-guild');
			return;
		}
		if (wholeList && !session.has(GatewayIntentBits.GuildMembers)) {
			record('ignored-no-members-intent');
			return;
		}
		if (wholeList && requested === 0) {
			const now = Date.now();
			const last = this.#wholeListSentAt.get(guild.id);
			if (last !== undefined && now - last < this.options.memberListWindowMs) {
				const retryAfter = (last + this.options.memberListWindowMs - now) / 1000;
				const meta: { guild_id: string; nonce?: string } = { guild_id: guild.id };
				if (nonce !== undefined) meta.nonce = nonce;
				this.sendDispatch(
					session,
					GatewayDispatchEvents.RateLimited,
					JSON.stringify({ opcode: GatewayOpcodes.RequestGuildMembers, retry_after: retryAfter, meta })
				);
				record('rate-limited', retryAfter);
				return;
			}
			this.#wholeListSentAt.set(guild.id, now);
		}

		const members: APIGuildMember[] = [];
		const notFound: string[] = [];
		if (byIds) {
			const raw = (data as { user_ids: string | string[] }).user_ids;
			const ids = (Array.isArray(raw) ? raw : [raw]).slice(0, MAX_MEMBERS_BY_QUERY_OR_IDS);
			for (const id of ids) {
				if (guild.members.has(id)) members.push(state.memberToAPI(guild.id, id));
				else notFound.push(id);
			}
		} else {
			const lowered = query.toLowerCase();
			let limit = requested > 0 ? requested : Number.POSITIVE_INFINITY;
			if (query !== '') limit = Math.min(limit, MAX_MEMBERS_BY_QUERY_OR_IDS);
			for (const member of guild.members.values()) {
				if (members.length >= limit) break;
				const user = state.users.get(member.userId);
				const names = [user?.username, user?.global_name, member.nick].filter((n): n is string => typeof n === 'string');
				if (lowered === '' || names.some((n) => n.toLowerCase().startsWith(lowered))) {
					members.push(state.memberToAPI(guild.id, member.userId));
				}
			}
		}
		const chunkCount = Math.max(1, Math.ceil(members.length / MEMBERS_PER_CHUNK));
		for (let index = 0; index < chunkCount; index += 1) {
			const chunk: GatewayGuildMembersChunkDispatchData = {
				guild_id: guild.id,
				members: members.slice(index * MEMBERS_PER_CHUNK, (index + 1) * MEMBERS_PER_CHUNK),
				chunk_index: index,
				chunk_count: chunkCount
			};
			if (index === 0 && notFound.length > 0) chunk.not_found = notFound;
			if (data.presences) chunk.presences = [];
			if (nonce !== undefined) chunk.nonce = nonce;
			this.sendDispatch(session, GatewayDispatchEvents.GuildMembersChunk, JSON.stringify(chunk));
		}
		record('answered');
	}

	/** Forgets when whole member lists were sent, so the next request of each guild is answered. */
	public resetMemberListLimit(): void {
		this.#wholeListSentAt.clear();
	}
}

/** The request's nonce if Discord would echo it: a string of at most 32 bytes. */
function validNonce(nonce: unknown): string | undefined {
	return typeof nonce === 'string' && Buffer.byteLength(nonce) <= MAX_MEMBER_REQUEST_NONCE_BYTES ? nonce : undefined;
}
