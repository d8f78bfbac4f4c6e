import type { Server } from 'node:http';
import type Keyv from 'keyv';
import { operatorPolicy, type PluginLogger } from '#sdk';
import { isActivityPath, serveActivity } from './activity-static.js';
import { DiscordActivityApi } from './discord-activity-api.js';
import { guildRoomPolicy } from './guild-room-policy.js';
import { InstanceMembership } from './instance-membership.js';
import { LaunchStore, type Launch } from './launches.js';
import { MemoryRoomStore } from './memory-room-store.js';
import { RedisRoomStore } from './redis-room-store.js';
import { mountBeforeApi } from './request-mount.js';
import type { RoomStore } from './room-store.js';
import type { WatchTogetherEnvironment } from './settings.js';
import { SignInLimiter } from './sign-in-limits.js';
import { ActivitySocketServer } from './socket-server.js';

/** What the plugin runs while it is started. */
export interface WatchTogetherServices {
	readonly rooms: RoomStore;
	readonly launches: LaunchStore;
	/** Undefined until the operator sets DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET: no sign-in, no socket. */
	readonly discord: { readonly api: DiscordActivityApi; readonly membership: InstanceMembership } | undefined;
	readonly socket: ActivitySocketServer;
	/** Bounds the sign-ins (each one a Discord call) per remote address and in all. */
	readonly signInLimiter: SignInLimiter;
	/** JWT_SECRET: signs the Activity's session tokens. */
	readonly sessionSecret: string;
	/** Takes the web app's pages off the HTTP server again. */
	readonly unmountPages: () => void;
}

export interface WatchTogetherStart {
	readonly env: WatchTogetherEnvironment;
	readonly core: {
		readonly REDIS_URL?: string | undefined;
		readonly DISCORD_API_URL: string;
		readonly DISCORD_TOKEN: string;
		readonly KALTURA_SERVICE_URL: string;
		readonly JWT_SECRET: string;
	};
	readonly httpServer: Server;
	readonly launches: Keyv<Launch>;
	readonly logger: PluginLogger;
}

export async function startWatchTogether(start: WatchTogetherStart): Promise<WatchTogetherServices> {
	const { DISCORD_CLIENT_ID: clientId, DISCORD_CLIENT_SECRET: clientSecret } = start.env;
	const api =
		clientId === undefined || clientSecret === undefined
			? undefined
			: new DiscordActivityApi({ apiUrl: start.core.DISCORD_API_URL, clientId, clientSecret, botToken: start.core.DISCORD_TOKEN });
	if (api === undefined) start.logger.warn('DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET are not both set: the Activity cannot sign members in.');
	const rooms: RoomStore = start.core.REDIS_URL === undefined ? new MemoryRoomStore() : await RedisRoomStore.connect(start.core.REDIS_URL);
	const discord = api === undefined ? undefined : { api, membership: new InstanceMembership(api) };
	const launches = new LaunchStore(start.launches);
	const socket = new ActivitySocketServer({
		rooms,
		launches,
		membership: discord?.membership,
		policy: guildRoomPolicy,
		secret: start.core.JWT_SECRET,
		logger: start.logger
	});
	socket.attach(start.httpServer);
	const mediaOrigins = [new URL(start.core.KALTURA_SERVICE_URL).origin, ...operatorPolicy().linkHosts.map((host) => `https://${host}`)];
	const unmountPages = mountBeforeApi(
		start.httpServer,
		isActivityPath,
		(request, response) => serveActivity(request, response, { clientId, mediaOrigins }),
		(error) => start.logger.error(`The Activity's page could not be served: ${error instanceof Error ? error.message : String(error)}`)
	);
	return { rooms, launches, discord, socket, signInLimiter: new SignInLimiter(), sessionSecret: start.core.JWT_SECRET, unmountPages };
}

export async function stopWatchTogether(services: WatchTogetherServices): Promise<void> {
	services.unmountPages();
	await services.socket.close();
	await services.rooms.close();
}
