import { NOTIFICATION_TYPES, type NotificationType } from './normalise.js';
import { ALL_EVENTS } from './store/notification-store.js';

/** The types a channel can subscribe to (`unknown` events are stored, never posted). */
export const SUBSCRIBABLE_TYPES: readonly Exclude<NotificationType, 'unknown'>[] = NOTIFICATION_TYPES.filter((type) => type !== 'unknown');

/** What `/notifications subscribe` takes for every type. */
export const ALL_WORD = 'all';

/** A name as people write it, without case or separators: `Entry-Ready`, `entry_ready` and `entry.ready` are one. */
const loose = (name: string) => name.toLowerCase().replace(/[\s._-]+/g, '');

const BY_LOOSE_NAME = new Map<string, string>([...SUBSCRIBABLE_TYPES, ALL_WORD].map((name) => [loose(name), name]));

/** The type (or `all`) a name means, however it is cased or separated; undefined when it means none. */
export function eventNameOf(name: string): string | undefined {
	return BY_LOOSE_NAME.get(loose(name));
}

/** What `/notifications subscribe events:` means: the types to store, the names that are no type, or nothing at all. */
export type ParsedEventList = { readonly events: string[] } | { readonly unknown: string[] } | { readonly empty: true };

/**
 * `all`, or a comma list of types, each however it is cased or separated (`Entry-Ready` is `entry.ready`);
 * the names that are not a type when there are any. A list with no name in it (`,`, `, ,`) is `empty`: only
 * the word `all` subscribes to every type, never a slip of the keyboard. The same reading as the autocomplete.
 */
export function parseEventList(input: string): ParsedEventList {
	const names = input
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (names.length === 0) return { empty: true };
	const types = names.map((name) => eventNameOf(name));
	if (types.includes(ALL_WORD)) return { events: [ALL_EVENTS] };
	const unknown = names.filter((_, index) => types[index] === undefined).map((name) => name.toLowerCase());
	const events = types.filter((type) => type !== undefined);
	return unknown.length > 0 ? { unknown } : { events: [...new Set(events)] };
}

/** Discord's limits on an autocomplete answer: 25 choices, name and value 1 to 100 characters each. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

export interface EventChoice {
	readonly name: string;
	readonly value: string;
}

/**
 * Completions of a comma list of event types as it is being typed: what comes before the last comma is kept
 * (each name written the way the command stores it, unknown ones as typed), and the part after it is
 * completed with each type not yet in the list that starts with it, then each that contains it (both read
 * without case or separators, so `live-str` finds `live_stream.started`). `all` is offered only on its own.
 */
export function eventListCompletions(typed: string): EventChoice[] {
	const parts = typed.split(',');
	const last = parts.pop() ?? '';
	const earlier = parts.map((part) => part.trim()).filter(Boolean);
	const kept = earlier.map((part) => eventNameOf(part) ?? part);
	const chosen = new Set(kept);
	const fragment = loose(last);
	const candidates = [...(kept.length === 0 ? [ALL_WORD] : []), ...SUBSCRIBABLE_TYPES].filter(
		(name) => !chosen.has(name) && !(chosen.has(ALL_WORD) && name !== ALL_WORD)
	);
	const starting = candidates.filter((name) => loose(name).startsWith(fragment));
	const containing = candidates.filter((name) => !starting.includes(name) && loose(name).includes(fragment));
	const prefix = kept.length === 0 ? '' : `${kept.join(',')},`;
	const choices = [...starting, ...containing]
		.map((name) => `${prefix}${name}`)
		.filter((value) => value.length <= MAX_CHOICE_LENGTH)
		.map((value) => ({ name: value, value }));
	// With nothing after the last comma, the list as it stands is the first choice: it can be sent as it is.
	const asItStands = kept.join(',');
	if (fragment === '' && kept.length > 0 && asItStands.length <= MAX_CHOICE_LENGTH) choices.unshift({ name: asItStands, value: asItStands });
	return dedupe(choices).slice(0, MAX_CHOICES);
}

function dedupe(choices: readonly EventChoice[]): EventChoice[] {
	const seen = new Set<string>();
	return choices.filter((choice) => !seen.has(choice.value) && seen.add(choice.value));
}
