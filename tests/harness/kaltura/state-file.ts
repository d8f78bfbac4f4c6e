import { readStateFile, refill, writeStateFile } from '../state-json.js';
import type { KalturaState } from './state.js';

type Obj = Record<string, unknown>;

/** The partner's objects, as Kaltura keeps them between two runs (sessions and KS bookkeeping are not kept). */
interface SavedKalturaState {
	readonly users: Map<string, Obj>;
	readonly entries: Map<string, Obj>;
	readonly categories: Map<number, Obj>;
	readonly categoryEntries: Obj[];
	readonly scheduleResources: Map<number, Obj>;
	readonly scheduleEvents: Map<number, Obj>;
	readonly eventResources: Obj[];
	readonly appTokens: Map<string, Obj>;
	readonly templates: Map<number, Obj>;
	readonly virtualEvents: Map<number, Obj>;
	/** The notification job ids handed out so far go on after a restart: a receiver takes a job id it has seen for a retry. */
	readonly lastJobId?: number;
}

/** The stand-in's notification sender, whose job ids are Kaltura's batch job ids (unique, increasing). */
interface JobIds {
	nextJobId(): number;
}

/** Saves the partner's users, entries, categories, schedule objects, app tokens and templates. */
export function saveKalturaState(state: KalturaState, path: string, jobs?: JobIds): void {
	const saved: SavedKalturaState = {
		users: state.users,
		entries: state.entries,
		categories: state.categories,
		categoryEntries: state.categoryEntries,
		scheduleResources: state.scheduleResources,
		scheduleEvents: state.scheduleEvents,
		eventResources: state.eventResources,
		appTokens: state.appTokens,
		templates: state.templates,
		virtualEvents: state.virtualEvents,
		...(jobs ? { lastJobId: jobs.nextJobId() } : {})
	};
	writeStateFile(path, saved);
}

/**
 * Loads what `saveKalturaState` wrote into a fresh stand-in. Numeric ids go on from the highest loaded one, as
 * Kaltura's auto-increment columns do, so a new schedule event never takes the id of one the bot stored.
 */
export function loadKalturaState(state: KalturaState, path: string, jobs?: JobIds): void {
	const saved = readStateFile<SavedKalturaState>(path);
	refill(state.users, saved.users);
	refill(state.entries, saved.entries);
	refill(state.categories, saved.categories);
	state.categoryEntries.splice(0, state.categoryEntries.length, ...saved.categoryEntries);
	refill(state.scheduleResources, saved.scheduleResources);
	refill(state.scheduleEvents, saved.scheduleEvents);
	state.eventResources.splice(0, state.eventResources.length, ...saved.eventResources);
	refill(state.appTokens, saved.appTokens);
	// Stock (partner 0) templates come with every stand-in; the partner's own ones are added to them.
	for (const [id, template] of saved.templates) state.templates.set(id, template);
	refill(state.virtualEvents, saved.virtualEvents);
	advancePast(state, 'category', saved.categories.keys());
	advancePast(state, 'resource', saved.scheduleResources.keys());
	advancePast(state, 'event', saved.scheduleEvents.keys());
	advancePast(state, 'template', saved.templates.keys());
	advancePast(state, 'virtualEvent', saved.virtualEvents.keys());
	if (jobs && saved.lastJobId !== undefined) {
		let next = 0;
		while (next <= saved.lastJobId) next = jobs.nextJobId();
	}
}

function advancePast(state: KalturaState, kind: Parameters<KalturaState['nextId']>[0], ids: Iterable<number>): void {
	const highest = Math.max(0, ...ids);
	let next = 0;
	while (next < highest) next = state.nextId(kind);
}
