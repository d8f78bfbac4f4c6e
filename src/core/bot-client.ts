import '@sapphire/plugin-api/register';
import { PluginHook, SapphireClient } from '@sapphire/framework';
import { Client } from 'discord.js';

/**
 * The Sapphire client with one change to start-up order: every store is loaded and the HTTP API is
 * listening before the gateway connects. Sapphire's own `login` opens the API (in a pre-login hook)
 * before the stores load, and requests in that window hang with no listener to answer them.
 */
export class BotClient extends SapphireClient {
	#prepared: Promise<void> | undefined;

	/** Loads every store and opens the API, without touching Discord. Tests stop here; `login` continues. */
	public prepare(): Promise<void> {
		this.#prepared ??= (async () => {
			await Promise.all([...this.stores.values()].map((store) => store.loadAll()));
			await this.server.connect();
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

	public override async destroy(): Promise<void> {
		if (this.server.server.listening) await this.server.disconnect();
		await super.destroy();
	}
}
