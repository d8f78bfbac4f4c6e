import type { Client } from 'discord.js';
import type { DiscordStandIn } from './server.js';

/**
 * Logs a discord.js (or Sapphire) client into the stand-in and resolves once it emitted
 * `clientReady`, i.e. after READY and every GUILD_CREATE. The client must have been built
 * with `rest: { api: standIn.restUrl }` (see `standIn.clientOptions()`).
 */
export async function loginClient(client: Client, standIn: DiscordStandIn, timeoutMs = 10_000): Promise<void> {
	const api = client.options.rest?.api;
	if (api !== standIn.restUrl) {
		throw new Error(`Discord stand-in: the client's rest.api is ${String(api)}, expected ${standIn.restUrl}`);
	}
	let timer: NodeJS.Timeout | undefined;
	const ready = new Promise<void>((resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`Discord stand-in: client not ready after ${timeoutMs} ms`)), timeoutMs);
		client.once('clientReady', () => resolve());
	});
	try {
		await client.login(standIn.token);
		await ready;
	} finally {
		clearTimeout(timer);
	}
}
