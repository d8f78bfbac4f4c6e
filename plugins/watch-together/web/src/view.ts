import type { ControlAction, ControlArgs, Participant, Room, VideoSummary } from './types.js';

function element<T extends HTMLElement>(id: string): T {
	const found = document.getElementById(id);
	if (found === null) throw new Error(`The page has no #${id}.`);
	return found as T;
}

/** What the page's buttons ask for; the room socket carries it to the bot. */
export interface ViewActions {
	control(action: ControlAction, args?: ControlArgs): void;
	search(query: string): Promise<VideoSummary[]>;
	/** The current position, for Pause to freeze the room where this member sees it. */
	position(): number;
}

function clockText(seconds: number): string {
	const whole = Math.max(0, Math.floor(seconds));
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** The page around the video: status line, the controller's buttons, the picker and the hand-off menu. */
export class View {
	public readonly video = element<HTMLVideoElement>('player');
	readonly #status = element('status');
	readonly #title = element('title');
	readonly #controls = element('controls');
	readonly #seek = element<HTMLInputElement>('seek');
	readonly #clock = element('clock');
	readonly #handoff = element('handoff');
	readonly #handoffTo = element<HTMLSelectElement>('handoff-to');
	readonly #picker = element('picker');
	readonly #results = element<HTMLUListElement>('results');
	readonly #error = element('error');
	#names = new Map<string, string>();
	#dragging = false;

	public constructor(private readonly actions: ViewActions) {
		element('play').addEventListener('click', () => actions.control('play', { position: actions.position() }));
		element('pause').addEventListener('click', () => actions.control('pause', { position: actions.position() }));
		this.#seek.addEventListener('input', () => (this.#dragging = true));
		this.#seek.addEventListener('change', () => {
			this.#dragging = false;
			actions.control('seek', { position: Number(this.#seek.value) });
		});
		element('handoff-go').addEventListener('click', () => {
			if (this.#handoffTo.value !== '') actions.control('handoff', { to: this.#handoffTo.value });
		});
		element<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
			event.preventDefault();
			void this.#search(element<HTMLInputElement>('search').value);
		});
		this.video.addEventListener('timeupdate', () => this.#showTime());
	}

	public status(text: string): void {
		this.#status.textContent = text;
	}

	public error(text: string | undefined): void {
		this.#error.hidden = text === undefined;
		this.#error.textContent = text ?? '';
	}

	public title(text: string): void {
		this.#title.textContent = text;
	}

	public participants(participants: readonly Participant[]): void {
		this.#names = new Map(participants.map((member) => [member.id, member.nickname ?? member.global_name ?? member.username]));
	}

	public nameOf(id: string): string {
		return this.#names.get(id) ?? `member ${id}`;
	}

	/** Redraws everything that depends on the room and on who controls it. */
	public room(room: Room, you: { id: string; controls: boolean }): void {
		const others = room.participants.length - 1;
		const controller = room.controllerId === you.id ? 'you control' : `${this.nameOf(room.controllerId)} controls`;
		const company = others <= 0 ? 'You are watching alone' : `You are watching with ${others} ${others === 1 ? 'person' : 'people'}`;
		this.status(`${company} · ${controller}`);
		this.#controls.hidden = !you.controls || room.entryId === null;
		this.#picker.hidden = !you.controls;
		this.#handoff.hidden = room.controllerId !== you.id || others <= 0;
		this.#handoffTo.replaceChildren(
			...room.participants
				.filter((id) => id !== you.id)
				.map((id) => Object.assign(document.createElement('option'), { value: id, textContent: this.nameOf(id) }))
		);
	}

	#showTime(): void {
		const duration = Number.isFinite(this.video.duration) ? this.video.duration : 0;
		this.#clock.textContent = `${clockText(this.video.currentTime)} / ${clockText(duration)}`;
		this.#seek.max = String(duration);
		if (!this.#dragging) this.#seek.value = String(this.video.currentTime);
	}

	async #search(query: string): Promise<void> {
		try {
			const videos = await this.actions.search(query);
			this.#results.replaceChildren(
				...videos.map((video) => {
					const button = Object.assign(document.createElement('button'), {
						type: 'button',
						textContent: `${video.name} (${clockText(video.duration)})`
					});
					button.addEventListener('click', () => this.actions.control('load', { entryId: video.entryId }));
					const item = document.createElement('li');
					item.append(button);
					return item;
				})
			);
			if (videos.length === 0) this.#results.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'No video found.' }));
		} catch {
			this.error('The search failed; try again.');
		}
	}
}
