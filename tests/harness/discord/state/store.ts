import type { APIApplicationCommand, APIChannel, APIMessage, APIUser, UserFlags } from 'discord-api-types/v10';
import type { UploadedFile } from '../http.js';
import type { SnowflakeGenerator } from '../snowflake.js';
import type { ChangeNotifier } from '../waiters.js';
import type { AddUserInput, DiscordStateOptions, MessageEvent, StoredGuild } from './shapes.js';

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/**
 * The maps behind DiscordState, with users and guild lookups. DiscordState adds one layer per resource
 * (channels, roles and members, guilds, messages, commands), each in its own module.
 */
export class StateStore {
	public readonly users = new Map<string, APIUser>();
	public readonly guilds = new Map<string, StoredGuild>();
	public readonly channels = new Map<string, APIChannel>();
	/** Channel messages in creation order, per channel. Ephemeral messages are not here. */
	public readonly channelMessages = new Map<string, Map<string, APIMessage>>();
	/** Ephemeral messages (only reachable through their interaction token). */
	public readonly ephemeralMessages = new Map<string, APIMessage>();
	/** DM channel id per recipient user id. */
	public readonly dmChannels = new Map<string, string>();
	public readonly globalCommands = new Map<string, APIApplicationCommand>();
	public readonly guildCommands = new Map<string, Map<string, APIApplicationCommand>>();
	public readonly messageEvents: MessageEvent[] = [];
	/** Users that refuse DMs from the bot. */
	public readonly closedDMs = new Set<string>();
	/** Uploaded files by attachment id (served under /attachments/…). */
	public readonly attachmentFiles = new Map<string, UploadedFile>();

	public readonly ids: SnowflakeGenerator;
	public readonly botUser: APIUser;
	public readonly applicationId: string;
	readonly #notifier: ChangeNotifier;

	public constructor(options: DiscordStateOptions) {
		this.ids = options.ids;
		this.#notifier = options.notifier;
		this.botUser = options.botUser;
		this.applicationId = options.applicationId;
		this.users.set(this.botUser.id, this.botUser);
	}

	public nextId(): string {
		return this.ids.next();
	}

	public changed(): void {
		this.#notifier.notify();
	}

	// ----------------------------------------------------------------------------- users

	public addUser(input: AddUserInput): APIUser {
		const id = input.id ?? this.nextId();
		if (this.users.has(id)) throw new Error(`Discord stand-in: user ${id} already exists`);
		const user: APIUser = {
			id,
			username: input.username,
			discriminator: '0',
			global_name: input.globalName ?? null,
			avatar: input.avatar ?? null,
			bot: input.bot ?? false,
			system: false,
			banner: null,
			accent_color: null,
			public_flags: 0 as UserFlags,
			flags: 0 as UserFlags,
			avatar_decoration_data: null,
			collectibles: null,
			primary_guild: null
		};
		this.users.set(id, user);
		if (input.acceptsDirectMessages === false) this.closedDMs.add(id);
		this.changed();
		return user;
	}

	public requireUser(id: string): APIUser {
		const user = this.users.get(id);
		if (!user) throw new Error(`Discord stand-in: unknown user ${id}`);
		return user;
	}

	// ----------------------------------------------------------------------------- guild lookups

	public requireGuild(id: string): StoredGuild {
		const guild = this.guilds.get(id);
		if (!guild) throw new Error(`Discord stand-in: unknown guild ${id}`);
		return guild;
	}

	/** Guilds the bot is a member of, in creation order. */
	public botGuilds(): StoredGuild[] {
		const result: StoredGuild[] = [];
		for (const guild of this.guilds.values()) if (guild.members.has(this.botUser.id)) result.push(guild);
		return result;
	}

	public isBotInGuild(guildId: string): boolean {
		return this.guilds.get(guildId)?.members.has(this.botUser.id) ?? false;
	}
}

export function compareIds(a: string, b: string): number {
	const x = BigInt(a);
	const y = BigInt(b);
	return x < y ? -1 : x > y ? 1 : 0;
}
