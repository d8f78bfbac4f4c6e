import { Command } from '@sapphire/framework';
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import semver from 'semver';

export interface VersionedCommandOptions extends Command.Options {
	/** Semver of the command's Discord-facing shape; bump it whenever {@link VersionedCommand.definitions} changes. */
	readonly version: string;
}

/**
 * A command piece whose application commands (slash and context menu) carry a version.
 *
 * The core's registrar sends all definitions to Discord in one bulk overwrite only when the set of
 * (name, version) pairs differs from the last registration, so a restart costs no API calls and a
 * version bump is what publishes a change.
 */
export abstract class VersionedCommand extends Command {
	public readonly version: string;
	#applicationCommands: readonly RESTPostAPIApplicationCommandsJSONBody[] | undefined;

	public constructor(context: Command.LoaderContext, options: VersionedCommandOptions) {
		super(context, options);
		if (semver.valid(options.version) === null) throw new TypeError(`Command ${context.name} has an invalid version "${options.version}"`);
		this.version = options.version;
	}

	/** The application commands this piece answers, as sent to Discord. Built once; read {@link applicationCommands}. */
	public abstract definitions(): RESTPostAPIApplicationCommandsJSONBody[];

	/** {@link definitions}, built on first use and kept: builders are not free and the shape never changes at run time. */
	public get applicationCommands(): readonly RESTPostAPIApplicationCommandsJSONBody[] {
		this.#applicationCommands ??= this.definitions();
		return this.#applicationCommands;
	}

	/**
	 * Routes interactions to this piece by the names it registers: Sapphire looks a command up by id,
	 * then by name, and the piece's own name carries the plugin prefix rather than the slash name.
	 */
	public override onLoad(): void {
		for (const { name } of this.applicationCommands) {
			const holder = this.store.get(name);
			if (holder !== undefined && holder !== this) {
				this.container.logger.error(`Command "${name}" of ${this.name} is ignored: ${holder.name} already answers it.`);
				continue;
			}
			this.store.aliases.set(name, this);
		}
		super.onLoad();
	}

	public override onUnload(): void {
		for (const { name } of this.applicationCommands) {
			if (this.store.aliases.get(name) === this) this.store.aliases.delete(name);
		}
		super.onUnload();
	}
}
