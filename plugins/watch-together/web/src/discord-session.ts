import { DiscordSDK, patchUrlMappings } from '@discord/embedded-app-sdk';
import { BotApiError, exchangeCode } from './api.js';
import type { ActivityConfig } from './config.js';
import type { ActivitySession, Participant } from './types.js';

/** Scopes the bot needs: who the member is, and their roles in the server (for moderator rights). */
const SCOPES = ['identify', 'guilds.members.read'] as const;

/** Only inside Discord's proxy does traffic to other hosts need rewriting through the portal's URL mappings. */
export function insideDiscordProxy(hostname: string): boolean {
	return hostname.endsWith('.discordsays.com');
}

/** The Activity's link to Discord: the SDK, the member's sessions, and who else is in the instance. */
export class DiscordSession {
	readonly #sdk: DiscordSDK;
	#session: ActivitySession | undefined;

	private constructor(sdk: DiscordSDK) {
		this.#sdk = sdk;
	}

	/** Connects to the Discord client around the frame and signs the member in (no prompt: launching the Activity is consent). */
	public static async start(config: ActivityConfig): Promise<DiscordSession> {
		if (insideDiscordProxy(location.hostname) && config.urlMappings.length > 0) {
			patchUrlMappings([...config.urlMappings], { patchSrcAttributes: true });
		}
		const session = new DiscordSession(new DiscordSDK(config.clientId));
		await session.#sdk.ready();
		await session.signIn(config.clientId);
		return session;
	}

	/** AUTHORIZE → the bot trades the code → AUTHENTICATE with Discord's token; again whenever the bot's session expires. */
	public async signIn(clientId: string): Promise<ActivitySession> {
		const { code } = await this.#sdk.commands.authorize({
			client_id: clientId,
			response_type: 'code',
			state: '',
			prompt: 'none',
			scope: [...SCOPES]
		});
		const session = await exchangeCode(code, this.#sdk.instanceId);
		await this.#sdk.commands.authenticate({ access_token: session.accessToken });
		this.#session = session;
		return session;
	}

	/**
	 * Runs a call with the bot's session token; when the bot refuses the token (it lives 15 minutes), signs in again
	 * without a prompt and runs the call once more.
	 */
	public async withSession<T>(clientId: string, call: (sessionToken: string) => Promise<T>): Promise<T> {
		try {
			return await call(this.session.sessionToken);
		} catch (error) {
			if (!(error instanceof BotApiError) || error.status !== 401) throw error;
			return call((await this.signIn(clientId)).sessionToken);
		}
	}

	public get session(): ActivitySession {
		if (this.#session === undefined) throw new Error('Not signed in.');
		return this.#session;
	}

	public get instanceId(): string {
		return this.#sdk.instanceId;
	}

	/** Calls `onChange` with everyone in the instance now and after every change Discord reports. */
	public async watchParticipants(onChange: (participants: readonly Participant[]) => void): Promise<void> {
		const { participants } = await this.#sdk.commands.getInstanceConnectedParticipants();
		onChange(participants);
		await this.#sdk.subscribe('ACTIVITY_INSTANCE_PARTICIPANTS_UPDATE', (update: { participants: Participant[] }) =>
			onChange(update.participants)
		);
	}
}
