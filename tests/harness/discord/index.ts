/**
 * Discord stand-in: a local implementation of Discord's REST API (v10) and gateway that the
 * real discord.js client (and Sapphire on top of it) runs against unmodified.
 *
 *   const discord = await DiscordStandIn.start();
 *   const client = new Client({ intents, rest: { api: discord.restUrl } });
 *   await client.login(discord.token);
 */
export { DiscordStandIn, type DiscordStandInOptions, type MessageInput, type MessageWaitFilter, type StandInTiming } from './server.js';
export type {
	ActorInput,
	AttachmentInput,
	AutocompleteInput,
	MessageContextMenuInput,
	OptionInput,
	OptionValueInput,
	PressButtonInput,
	SelectMenuInput,
	SlashCommandInput,
	SubmitModalInput,
	UserContextMenuInput
} from './actors.js';
export {
	InteractionHandle,
	type CallbackRecord,
	type RejectedCallback,
	type InteractionRecord,
	type InteractionTimingOptions,
	type SubmitModalFromHandleInput
} from './interactions.js';
export type {
	AddChannelInput,
	AddGuildInput,
	AddMemberInput,
	AddRoleInput,
	AddUserInput,
	DiscordState,
	MessageEvent,
	MessageEventKind,
	MessageSource,
	StoredGuild,
	StoredMember,
	UpdateMemberInput
} from './state.js';
export type {
	DispatchDelivery,
	GatewayServer,
	GatewaySession,
	IdentifyRecord,
	IdentifyRefusal,
	MemberRequestOutcome,
	MemberRequestRecord,
	PrivilegedIntents,
	ReceivedGatewayPayload,
	SessionStartLimiter,
	ShardSessionInfo
} from './gateway.js';
export { DISCORD_IDENTIFY_WINDOW_MS } from './gateway.js';
export { DEFAULT_ENFORCED_NONCE_WINDOW_MS, type EnforcedNonces, type RememberedNonce } from './nonces.js';
export type { LimitWindow, RateLimitConfig, RateLimitHit, RateLimitStats, RouteRateLimitRule, RateLimiter } from './rate-limits.js';
export type { RecordedRequest, RequestFilter } from './recorder.js';
export { HarnessClock } from './clock.js';
export { DiscordHTTPError } from './errors.js';
export { ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './permissions.js';
export { CHAT_INPUT_NAME } from './command-validation.js';
export { snowflakeTimestamp, shardForGuild } from './snowflake.js';
export { loginClient } from './discordjs.js';
