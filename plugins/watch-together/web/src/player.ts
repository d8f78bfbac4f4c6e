import type { ClockOffset } from './clock.js';
import { correctionFor, expectedPosition } from './sync.js';
import type { Playback, Room } from './types.js';

const SYNC_EVERY_MS = 250;

/**
 * Keeps an HTML5 `<video>` on the room's timeline: the entry's play manifest as its source, playing or paused as the
 * room is, and every 250 ms (and at once on every room change) a jump or a playback-rate nudge toward the expected
 * position.
 */
export class RoomPlayer {
	#room: Room | undefined;
	#entryId: string | null = null;
	#loading: Promise<void> | undefined;
	#timer: ReturnType<typeof setInterval> | undefined;
	/** A play() the browser refused (autoplay policy): the member must click once before video can start. */
	#blocked = false;

	public constructor(
		private readonly video: HTMLVideoElement,
		private readonly clock: ClockOffset,
		private readonly playbackOf: (entryId: string) => Promise<Playback>,
		private readonly onEntry: (playback: Playback | undefined, error?: unknown) => void,
		/** The browser refused to play without a click (true), or plays again (false). */
		private readonly onBlocked: (blocked: boolean) => void
	) {}

	public start(): void {
		this.#timer ??= setInterval(() => this.sync(), SYNC_EVERY_MS);
	}

	public stop(): void {
		clearInterval(this.#timer);
		this.#timer = undefined;
	}

	public get blocked(): boolean {
		return this.#blocked;
	}

	/** Follows a new room state: loads its entry when it changed, then corrects at once rather than on the next tick. */
	public follow(room: Room): void {
		this.#room = room;
		if (room.entryId !== this.#entryId) this.#load(room.entryId);
		this.sync();
	}

	/** Where the room expects playback to be now, in seconds. */
	public expected(): number {
		if (this.#room === undefined) return 0;
		const duration = Number.isFinite(this.video.duration) ? this.video.duration : Number.POSITIVE_INFINITY;
		return expectedPosition(this.#room, this.clock.serverNow(), duration);
	}

	/** One correction step. */
	public sync(): void {
		const room = this.#room;
		const video = this.video;
		if (room?.entryId == null || this.#loading !== undefined || video.readyState < HTMLMediaElement.HAVE_METADATA) return;
		const expected = this.expected();
		const atEnd = Number.isFinite(video.duration) && expected >= video.duration;
		const playing = room.playing && !atEnd;
		if (playing && video.paused) this.#play();
		if (!playing && !video.paused) video.pause();
		const correction = correctionFor(video.currentTime, expected, playing);
		if (correction.kind === 'seek') {
			if (!video.seeking || Math.abs(video.currentTime - correction.to) > 0.5) video.currentTime = correction.to;
			video.playbackRate = 1;
		} else if (video.playbackRate !== correction.rate) {
			video.playbackRate = correction.rate;
		}
	}

	/** Plays after a click when the browser refused to start without one. */
	public unblock(): void {
		if (this.#blocked) this.sync();
	}

	#play(): void {
		this.video.play().then(
			() => this.#setBlocked(false),
			(error: unknown) => {
				if (error instanceof DOMException && error.name === 'NotAllowedError') this.#setBlocked(true);
			}
		);
	}

	#setBlocked(blocked: boolean): void {
		if (blocked === this.#blocked) return;
		this.#blocked = blocked;
		this.onBlocked(blocked);
	}

	#load(entryId: string | null): void {
		this.#entryId = entryId;
		if (entryId === null) {
			this.video.removeAttribute('src');
			this.video.load();
			this.onEntry(undefined);
			return;
		}
		const loading = this.playbackOf(entryId)
			.then(async (playback) => {
				if (this.#entryId !== entryId) return;
				this.video.src = playback.playManifestUrl;
				this.onEntry(playback);
				await metadataOf(this.video);
			})
			.catch((error: unknown) => {
				if (this.#entryId === entryId) this.onEntry(undefined, error);
			})
			.finally(() => {
				if (this.#loading === loading) this.#loading = undefined;
				this.sync();
			});
		this.#loading = loading;
	}
}

/** Resolves once the video knows its duration (or failed to load). */
function metadataOf(video: HTMLVideoElement): Promise<void> {
	if (video.readyState >= HTMLMediaElement.HAVE_METADATA) return Promise.resolve();
	return new Promise((done) => {
		const finish = () => {
			video.removeEventListener('loadedmetadata', finish);
			video.removeEventListener('error', finish);
			done();
		};
		video.addEventListener('loadedmetadata', finish);
		video.addEventListener('error', finish);
	});
}
