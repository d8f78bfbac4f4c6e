import { randomUUID } from 'node:crypto';
import type { Frame, Page } from 'playwright-core';
import { FrameHost, type ClientUser, type FrameHostBackend } from './frame-host.js';
import { hostPageHtml } from './host-page.js';
import type { RpcMessage } from './rpc.js';

/** Where the activity runs, as Discord's launch passes it in the frame's query string (embedded-app-sdk src/Discord.ts). */
export interface ActivityLaunch {
	/** The activity's page, e.g. http://127.0.0.1:4000/activity/. */
	readonly activityUrl: string;
	readonly instanceId: string;
	readonly guildId: string;
	readonly channelId: string;
	readonly platform?: 'desktop' | 'mobile';
}

export interface DiscordClientOptions {
	readonly launch: ActivityLaunch;
	readonly clientId: string;
	readonly application: { readonly id: string; readonly name: string };
	readonly user: ClientUser;
	readonly backend: FrameHostBackend;
	/**
	 * Where the host page is served; default the Activity's own origin, the only one (besides Discord's) the SDK
	 * accepts messages from. Another origin shows that rule: the SDK then ignores READY and never signs in.
	 */
	readonly hostOrigin?: string;
}

interface HostEvent {
	readonly type: 'loaded' | 'message';
	readonly data?: unknown;
}

/** The frame's URL with Discord's query parameters: frame_id, instance_id, platform, guild_id, channel_id, location_id. */
export function activityFrameUrl(launch: ActivityLaunch, frameId: string): string {
	const url = new URL(launch.activityUrl);
	url.searchParams.set('frame_id', frameId);
	url.searchParams.set('instance_id', launch.instanceId);
	url.searchParams.set('platform', launch.platform ?? 'desktop');
	url.searchParams.set('guild_id', launch.guildId);
	url.searchParams.set('channel_id', launch.channelId);
	url.searchParams.set('location_id', `gc-${launch.guildId}-${launch.channelId}`);
	return url.href;
}

/**
 * One member's Discord client showing an activity in a browser page: the host page at the activity's origin (through
 * the browser's request routing, so no server of the test's needs that origin), a {@link FrameHost} per page load
 * answering the SDK, and the activity's frame for the test to read.
 */
export class DiscordClient {
	#host: FrameHost | undefined;
	#frameId = '';
	readonly #hostUrl: string;

	private constructor(
		public readonly page: Page,
		private readonly options: DiscordClientOptions
	) {
		this.#hostUrl = new URL(`/__discord-client/${randomUUID()}`, options.hostOrigin ?? options.launch.activityUrl).href;
	}

	public static async open(page: Page, options: DiscordClientOptions): Promise<DiscordClient> {
		const client = new DiscordClient(page, options);
		await page.route(client.#hostUrl, (route) =>
			route.fulfill({
				status: 200,
				contentType: 'text/html; charset=utf-8',
				body: hostPageHtml(activityFrameUrl(options.launch, client.#frameId))
			})
		);
		await page.exposeBinding('__discordClientReceive', (_source, event: HostEvent) => client.#receive(event));
		await client.load();
		return client;
	}

	/** (Re)loads the Discord client's page: a fresh frame id and a fresh frame, as reopening the activity does. */
	public async load(): Promise<void> {
		this.#frameId = randomUUID();
		await this.page.goto(this.#hostUrl);
	}

	/** The frame's end of the protocol for the current page load. */
	public get host(): FrameHost {
		if (this.#host === undefined) throw new Error('The host page has not loaded.');
		return this.#host;
	}

	/** The activity's frame. */
	public get frame(): Frame {
		const frame = this.page.frames().find((candidate) => candidate.url().includes(`frame_id=${this.#frameId}`));
		if (frame === undefined) throw new Error('The activity frame has not loaded.');
		return frame;
	}

	/** Tells the frame that who is in the instance changed (Discord sends this to every frame that subscribed). */
	public participantsChanged(): Promise<void> {
		return this.host.participantsChanged();
	}

	async #receive(event: HostEvent): Promise<void> {
		if (event.type === 'loaded') {
			this.#host = new FrameHost({ ...this.options, frameId: this.#frameId, post: (message) => this.#post(message) });
			return;
		}
		await this.#host?.receive(event.data);
	}

	async #post(message: RpcMessage): Promise<void> {
		await this.page
			.evaluate((payload) => (globalThis as unknown as { __discordClientPost(message: unknown): void }).__discordClientPost(payload), message)
			.catch(() => undefined);
	}
}
