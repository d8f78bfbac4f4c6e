import type { RoomPlayer } from './player.js';
import type { ControlResult, RoomSocket } from './room-socket.js';
import type { ControlAction, ControlArgs, Room } from './types.js';

/** What the page shows of itself to automated browser tests and benchmarks. */
export interface WatchTogetherHook {
	state(): {
		room: Room | null;
		offset: number;
		currentTime: number;
		paused: boolean;
		controls: boolean;
		connected: boolean;
		userId: string;
		expected: number;
		readyState: number;
	};
	control(action: ControlAction, args?: ControlArgs): Promise<ControlResult>;
}

declare global {
	interface Window {
		__watchTogether?: WatchTogetherHook;
	}
}

export function exposeHook(socket: RoomSocket, player: RoomPlayer, video: HTMLVideoElement): void {
	window.__watchTogether = {
		state: () => ({
			room: socket.room ?? null,
			offset: socket.clock.offset,
			currentTime: video.currentTime,
			paused: video.paused,
			controls: socket.you.controls,
			connected: socket.connected,
			userId: socket.you.id,
			expected: player.expected(),
			readyState: video.readyState
		}),
		control: (action, args) => socket.control(action, args)
	};
}
