import { EventEmitter } from 'node:events';
import '@sapphire/plugin-api/register';
import { PluginHook, SapphireClient } from '@sapphire/framework';
import { BaseInteraction, Client, Events, type ClientOptions } from 'discord.js';
import { interactionLogContext, runWithLogContext } from './logging/log-context.js';
import { httpApiStep, startupStep } from './startup-failure.js';

/** The emitter's own `emit` (discord.js types `Client#emit` per event name, which a pass-through cannot satisfy). */
function emitOnEmitter(emitter: EventEmitter, event: string | symbol, args: unknown[]): boolean {
	return EventEmitter.prototype.emit.call(emitter, event, ...args);
}

type ManualEntries = Map<string, { name: string; piece: unknown }>;

/** Sapphire keeps a store's virtual pieces under a module-private symbol; found by its description. */
function manualEntries(store: object): ManualEntries | undefined {
	const symbol = Object.getOwnPropertySymbols(store).find((candidate) => candidate.description === '@sapphire/pieces:ManuallyRegisteredPieces');
	const entries: unknown = symbol === undefined ? undefined : Reflect.get(store, symbol);
	return entries instanceof Map ? entries : undefined;
}

/**
 * The framework's own virtual pieces, per store, as the first client of the process received them.
 * Sapphire queues most of them once, when its modules are imported, and hands the queue to the first
 * client's stores only; a second client in the same process (a test file after another, a restarted
 * sandbox) would get no interaction listeners and answer nothing.
 */
let frameworkPieces: Map<string, ManualEntries> | undefined;

/**
 * The Sapphire client with one change to start-up order: every store is loaded and the HTTP API is
 * listening before the gateway connects. Sapphire's own `login` opens the API (in a pre-login hook)
 * before the stores load, and requests in that window hang with no listener to answer them.
 */
export class BotClient extends SapphireClient {
	#prepared: Promise<void> | undefined;

	public constructor(options: ClientOptions) {
		super(options);
		if (frameworkPieces === undefined) {
			frameworkPieces = new Map([...this.stores.values()].map((store) => [store.name, new Map(manualEntries(store))]));
			return;
		}
		for (const store of this.stores.values()) {
			const entries = manualEntries(store);
			for (const [name, entry] of frameworkPieces.get(store.name) ?? []) if (!entries?.has(name)) entries?.set(name, entry);
		}
	}

	/** Loads every store and opens the API, without touching Discord. Tests stop here; `login` continues. */
	public prepare(): Promise<void> {
		this.#prepared ??= (async () => {
			await Promise.all([...this.stores.values()].map((store) => store.loadAll()));
			const { host = 'localhost', port = 0 } = this.options.api?.listenOptions ?? {};
			// The API server re-emits its socket's errors and throws when nobody listens, which would crash the
			// process before connect() could reject; connect() reports the failure, so this listener only has to exist.
			const reportedByConnect = () => {};
			this.server.on('error', reportedByConnect);
			try {
				await startupStep(httpApiStep(host, port), () => this.server.connect());
			} finally {
				this.server.off('error', reportedByConnect);
			}
		})();
		return this.#prepared;
	}

	/**
	 * Same steps as SapphireClient#login, with the store load moved into {@link prepare}:
	 * the base directory is never scanned (the core registers pieces itself) and stores load once.
	 */
	public override async login(token?: string): Promise<string> {
		await this.prepare();
		for (const plugin of SapphireClient.plugins.values(PluginHook.PreLogin)) await plugin.hook.call(this, this.options);
		const result = await Client.prototype.login.call(this, token);
		for (const plugin of SapphireClient.plugins.values(PluginHook.PostLogin)) await plugin.hook.call(this, this.options);
		return result;
	}

	/**
	 * Every `interactionCreate` listener (Sapphire's command, handler and precondition runs included, and all
	 * they start) runs inside the interaction's log context, whatever order the listeners were added in.
	 * Wrapping the emit with `run` scopes the context to this interaction: `enterWith` from a first listener
	 * would also leave it on the gateway socket's async resource, for the unrelated events that follow.
	 */
	public override emit(event: string | symbol, ...args: unknown[]): boolean {
		const [interaction] = args;
		if (event === Events.InteractionCreate && interaction instanceof BaseInteraction) {
			return runWithLogContext(interactionLogContext(interaction), () => emitOnEmitter(this, event, args));
		}
		return emitOnEmitter(this, event, args);
	}

	public override async destroy(): Promise<void> {
		if (this.server.server.listening) await this.server.disconnect();
		await super.destroy();
	}
}
