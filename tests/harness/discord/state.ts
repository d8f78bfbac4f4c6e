// Everything the stand-in knows, split by resource under state/ (one class layer per resource; DiscordState is the last).
export type {
	AddChannelInput,
	AddGuildInput,
	AddMemberInput,
	AddRoleInput,
	AddUserInput,
	CommandScope,
	DiscordStateOptions,
	MessageEvent,
	MessageEventKind,
	MessageSource,
	StoredGuild,
	StoredMember,
	UpdateMemberInput
} from './state/shapes.js';
export { compareIds } from './state/store.js';
export { DiscordState, requireBotGuild } from './state/commands.js';
