import semver from 'semver';
import type { DiscoveredPlugin, PluginRefusal } from './discovery.js';

export interface LoadOrder {
	/** Plugins whose every requirement is met, each after the plugins it requires. */
	readonly ordered: DiscoveredPlugin[];
	readonly refused: PluginRefusal[];
}

/**
 * Decides which discovered plugins can run with this core and with each other, and in which order.
 * A refusal cascades: a plugin that requires a refused plugin is refused too, naming the cause.
 */
export function resolveLoadOrder(candidates: readonly DiscoveredPlugin[], coreVersion: string): LoadOrder {
	const refused: PluginRefusal[] = [];
	const accepted = new Map<string, DiscoveredPlugin>();

	for (const candidate of candidates) {
		const { name, core } = candidate.manifest;
		if (semver.satisfies(coreVersion, core)) accepted.set(name, candidate);
		else refused.push({ name, kind: 'incompatible', reason: `it supports core ${core} but this core is ${coreVersion}` });
	}

	// Requirements are re-checked until nothing changes, because each refusal can invalidate others.
	let changed = true;
	while (changed) {
		changed = false;
		for (const [name, candidate] of accepted) {
			const unmet = unmetRequirement(candidate, accepted, candidates);
			if (unmet !== null) {
				accepted.delete(name);
				refused.push({ name, ...unmet });
				changed = true;
			}
		}
	}

	const { ordered, cyclic } = topologicalOrder(accepted);
	for (const name of cyclic) refused.push({ name, kind: 'broken', reason: 'its requirements form a cycle' });
	return { ordered, refused };
}

function unmetRequirement(
	candidate: DiscoveredPlugin,
	accepted: ReadonlyMap<string, DiscoveredPlugin>,
	all: readonly DiscoveredPlugin[]
): Omit<PluginRefusal, 'name'> | null {
	for (const [dependency, range] of Object.entries(candidate.manifest.requires ?? {})) {
		const present = accepted.get(dependency);
		if (present === undefined) {
			const exists = all.some((plugin) => plugin.manifest.name === dependency);
			const reason = exists ? `it requires "${dependency}", which was refused` : `it requires "${dependency}" ${range}, which is not installed`;
			return { kind: 'requirement', requirement: dependency, reason };
		}
		if (!semver.satisfies(present.manifest.version, range)) {
			return { kind: 'incompatible', reason: `it requires "${dependency}" ${range} but ${present.manifest.version} is installed` };
		}
	}
	return null;
}

function topologicalOrder(accepted: ReadonlyMap<string, DiscoveredPlugin>): { ordered: DiscoveredPlugin[]; cyclic: string[] } {
	const ordered: DiscoveredPlugin[] = [];
	const placed = new Set<string>();
	let remaining = [...accepted.values()];
	while (remaining.length > 0) {
		const ready = remaining.filter((plugin) => Object.keys(plugin.manifest.requires ?? {}).every((dependency) => placed.has(dependency)));
		if (ready.length === 0) break;
		for (const plugin of ready) {
			ordered.push(plugin);
			placed.add(plugin.manifest.name);
		}
		remaining = remaining.filter((plugin) => !placed.has(plugin.manifest.name));
	}
	return { ordered, cyclic: remaining.map((plugin) => plugin.manifest.name) };
}
