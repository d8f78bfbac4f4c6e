import { createHash } from 'node:crypto';
import type { CommandStore } from '@sapphire/framework';
import type { Client, RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import type Keyv from 'keyv';
import { VersionedCommand } from './versioned-command.js';

export interface CommandManifestEntry {
	readonly name: string;
	readonly type: number;
	readonly version: string;
	readonly piece: string;
}

export type RegistrationOutcome = { readonly action: 'unchanged' } | { readonly action: 'registered'; readonly count: number };

/**
 * Publishes the bot's application commands to Discord, driven by their versions.
 *
 * Chosen over Sapphire's registry behaviours: `Overwrite` fetches every command and diffs it on every
 * start, and `BulkOverwrite` sends a PUT on every start. Here the set of (name, type, version) is
 * fingerprinted and stored; only a different fingerprint sends one bulk overwrite (PUT), which also
 * deletes commands no longer shipped. Discord then holds exactly what this build declares.
 */
export class CommandRegistrar {
	public constructor(private readonly store: Keyv<string>) {}

	public manifest(commands: CommandStore): CommandManifestEntry[] {
		const entries: CommandManifestEntry[] = [];
		for (const piece of commands.values()) {
			if (!(piece instanceof VersionedCommand)) continue;
			for (const definition of piece.applicationCommands) {
				entries.push({ name: definition.name, type: definition.type ?? 1, version: piece.version, piece: piece.name });
			}
		}
		return entries.sort((a, b) => a.type - b.type || a.name.localeCompare(b.name));
	}

	public definitions(commands: CommandStore): RESTPostAPIApplicationCommandsJSONBody[] {
		return [...commands.values()].flatMap((piece) => (piece instanceof VersionedCommand ? [...piece.applicationCommands] : []));
	}

	public fingerprint(commands: CommandStore): string {
		const identity = this.manifest(commands).map(({ name, type, version }) => `${type}:${name}@${version}`);
		return createHash('sha256').update(identity.join('\n')).digest('hex');
	}

	public async synchronize(client: Client<true>, commands: CommandStore): Promise<RegistrationOutcome> {
		const key = `global:${client.application.id}`;
		const fingerprint = this.fingerprint(commands);
		if ((await this.store.get(key)) === fingerprint) return { action: 'unchanged' };

		const registered = await client.application.commands.set(this.definitions(commands));
		// Ids route interactions straight to their piece; names keep working as the fallback.
		for (const [id, command] of registered) {
			const piece = commands.get(command.name);
			if (piece !== undefined) commands.aliases.set(id, piece);
		}
		await this.store.set(key, fingerprint);
		return { action: 'registered', count: registered.size };
	}
}
