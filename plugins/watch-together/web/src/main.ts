import { BotApiError, fetchPlayback, searchVideos } from './api.js';
import { loadConfig } from './config.js';
import { DiscordSession } from './discord-session.js';
import { RoomPlayer } from './player.js';
import { RoomSocket } from './room-socket.js';
import { exposeHook } from './test-hook.js';
import { View } from './view.js';

/** Sentences for the bot's refusals, by code. */
const REFUSALS: Record<string, string> = {
	not_controller: 'Only the member who controls the room can do that.',
	not_entitled: 'That video is not available to you.',
	not_in_instance: 'You are not in this Activity.',
	activity_not_configured: 'This server has not set the Activity up yet.',
	unknown_instance: 'Discord does not know this Activity any more; start it again.'
};

function explain(error: unknown): string {
	if (error instanceof BotApiError) return REFUSALS[error.code] ?? error.message;
	return 'Something went wrong; close the Activity and start it again.';
}

async function main(): Promise<void> {
	const config = await loadConfig();
	const discord = await DiscordSession.start(config);
	const socketUrl = new URL('/api/v1/activity/socket', location.href);
	socketUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
	const socket = new RoomSocket(socketUrl.href, discord.session.sessionToken, {
		room: (room, you) => {
			view.room(room, you);
			player.follow(room);
		},
		connection: (connected) => {
			if (!connected) view.status('Reconnecting…');
		},
		renewToken: async () => (await discord.signIn(config.clientId)).sessionToken,
		ended: (reason) => {
			player.stop();
			view.status(reason);
		}
	});
	const view: View = new View({
		control: (action, args) => {
			void socket.control(action, args).then((result) => view.error(result.ok ? undefined : (REFUSALS[result.reason] ?? result.reason)));
		},
		search: (query) => discord.withSession(config.clientId, (token) => searchVideos(token, query)),
		position: (): number => view.video.currentTime
	});
	view.status('Joining the room…');
	const player = new RoomPlayer(
		view.video,
		socket.clock,
		(entryId) => discord.withSession(config.clientId, (token) => fetchPlayback(token, entryId)),
		(playback, error) => {
			view.title(playback?.name ?? '');
			view.error(error === undefined ? undefined : explain(error));
		},
		(blocked) => view.error(blocked ? 'Click anywhere to start the video.' : undefined)
	);
	// A browser that refuses autoplay lets the member start it with one click anywhere.
	document.addEventListener('click', () => player.unblock());
	exposeHook(socket, player, view.video);
	await discord.watchParticipants((participants) => view.participants(participants));
	socket.connect();
	player.start();
}

main().catch((error: unknown) => {
	const status = document.getElementById('status');
	if (status !== null) status.textContent = explain(error);
});
