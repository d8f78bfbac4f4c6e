import { ChannelType } from 'discord-api-types/v10';
import type { APIChannel, ChannelFlags } from 'discord-api-types/v10';
import type { AddChannelInput, StoredGuild } from './shapes.js';
import { StateStore } from './store.js';

/** Guild channels and the bot's DM channels. */
export class ChannelState extends StateStore {
	// ----------------------------------------------------------------------------- channels

	public addChannel(guildId: string, input: AddChannelInput): APIChannel {
		const guild = this.requireGuild(guildId);
		const id = input.id ?? this.nextId();
		if (this.channels.has(id)) throw new Error(`Discord stand-in: channel ${id} already exists`);
		const type = input.type ?? ChannelType.GuildText;
		const position = input.position ?? countOfType(this, guild, type);
		const base = {
			id,
			guild_id: guildId,
			name: input.name,
			position,
			permission_overwrites: input.permissionOverwrites ?? [],
			nsfw: input.nsfw ?? false,
			flags: 0
		};
		const parentId = input.parentId ?? null;
		let channel: APIChannel;
		switch (type) {
			case ChannelType.GuildText:
			case ChannelType.GuildAnnouncement:
				channel = {
					...base,
					type,
					parent_id: parentId,
					topic: input.topic ?? null,
					rate_limit_per_user: input.rateLimitPerUser ?? 0,
					last_message_id: null,
					last_pin_timestamp: null
				};
				break;
			case ChannelType.GuildVoice:
			case ChannelType.GuildStageVoice:
				channel = {
					...base,
					type,
					parent_id: parentId,
					bitrate: 64_000,
					user_limit: 0,
					rtc_region: null,
					rate_limit_per_user: input.rateLimitPerUser ?? 0,
					last_message_id: null
				};
				break;
			case ChannelType.GuildCategory:
				channel = { ...base, type, parent_id: null };
				break;
		}
		this.channels.set(id, channel);
		guild.channelIds.add(id);
		this.changed();
		return channel;
	}

	public requireChannel(id: string): APIChannel {
		const channel = this.channels.get(id);
		if (!channel) throw new Error(`Discord stand-in: unknown channel ${id}`);
		return channel;
	}

	public guildIdOfChannel(channelId: string): string | undefined {
		const channel = this.channels.get(channelId);
		return channel && 'guild_id' in channel ? channel.guild_id : undefined;
	}

	public guildChannels(guildId: string): APIChannel[] {
		const guild = this.requireGuild(guildId);
		const result: APIChannel[] = [];
		for (const id of guild.channelIds) {
			const channel = this.channels.get(id);
			if (channel) result.push(channel);
		}
		return result;
	}

	/** The DM channel between the bot and `userId`, created on first use. */
	public ensureDMChannel(userId: string): APIChannel {
		const recipient = this.requireUser(userId);
		const existing = this.dmChannels.get(userId);
		if (existing) return this.requireChannel(existing);
		const channel: APIChannel = {
			id: this.nextId(),
			type: ChannelType.DM,
			name: null,
			last_message_id: null,
			recipients: [recipient],
			flags: 0 as ChannelFlags
		};
		this.channels.set(channel.id, channel);
		this.dmChannels.set(userId, channel.id);
		this.changed();
		return channel;
	}
}

function countOfType(state: StateStore, guild: StoredGuild, type: ChannelType): number {
	let count = 0;
	for (const id of guild.channelIds) if (state.channels.get(id)?.type === type) count += 1;
	return count;
}
