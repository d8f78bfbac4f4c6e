import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { arrayAt, isObject, objectAt, stringAt, type Json } from './files.js';
import { shardCoverageProblems, shardIdsOf } from './shard-coverage.js';

/** The variables a Compose file interpolates (`${NAME}`, `${NAME:-default}`, `${NAME:?message}`), and which of them are required. */
export function interpolatedVariables(text: string): { readonly all: Set<string>; readonly required: Set<string> } {
	const all = new Set<string>();
	const required = new Set<string>();
	// `$$` is a literal dollar in Compose: drop those before looking.
	for (const match of text.replaceAll('$$', '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?/g)) {
		const name = match[1] ?? '';
		all.add(name);
		if (match[2]?.endsWith('?')) required.add(name);
	}
	return { all, required };
}

export const servicesOf = (compose: unknown): Map<string, Json> =>
	new Map(Object.entries(objectAt(compose, 'services')).flatMap(([name, service]) => (isObject(service) ? [[name, service] as const] : [])));

/** A service's environment as a map, from either of Compose's forms (mapping, or a list of NAME=value). */
export function environmentOf(service: Json): Map<string, string> {
	const environment = service.environment;
	if (Array.isArray(environment)) return new Map(environment.map((item) => String(item).split(/=(.*)/s) as [string, string]));
	return new Map(Object.entries(objectAt(environment)).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** The bot processes: the services built from the repository's Dockerfile. */
export const botServicesOf = (compose: unknown): Map<string, Json> =>
	new Map([...servicesOf(compose)].filter(([, service]) => isObject(service.build)));

/** The bots' SHARD_IDS against their shared SHARD_COUNT. */
export function composeShardProblems(bots: ReadonlyMap<string, Json>): string[] {
	const counts = new Set([...bots.values()].map((bot) => environmentOf(bot).get('SHARD_COUNT')));
	if (counts.size !== 1) return [`the bots name different SHARD_COUNTs: ${[...counts].join(', ')}`];
	const count = Number([...counts][0]);
	if (!Number.isInteger(count) || count < 1) return [`SHARD_COUNT is not a number`];
	const processes = new Map<string, number[]>();
	for (const [name, bot] of bots) {
		const ids = shardIdsOf(environmentOf(bot).get('SHARD_IDS') ?? '');
		if (ids === null) return [`${name} has no valid SHARD_IDS`];
		processes.set(name, ids);
	}
	return shardCoverageProblems(count, processes);
}

const ROOT_USERS = new Set(['root', '0', '0:0']);

/** Every service runs with a read-only root file system, as a user other than root, without added capabilities. */
export function composeHardeningProblems(compose: unknown): string[] {
	const problems: string[] = [];
	for (const [name, service] of servicesOf(compose)) {
		if (service.read_only !== true) problems.push(`${name} has a writable root file system`);
		const user = stringAt(service, 'user');
		if (user === undefined || ROOT_USERS.has(user) || user.startsWith('0:')) problems.push(`${name} does not name a non-root user`);
		if (!arrayAt(service, 'cap_drop').includes('ALL')) problems.push(`${name} keeps its capabilities`);
		if (!arrayAt(service, 'security_opt').includes('no-new-privileges:true')) problems.push(`${name} may gain privileges`);
	}
	return problems;
}

/** Volumes that are not bind mounts (./ or ../) must be named volumes the file declares. */
export function composeVolumeProblems(compose: unknown): string[] {
	const declared = new Set(Object.keys(objectAt(compose, 'volumes')));
	const problems: string[] = [];
	for (const [name, service] of servicesOf(compose))
		for (const volume of arrayAt(service, 'volumes')) {
			const source = typeof volume === 'string' ? volume.split(':')[0] : stringAt(volume, 'source');
			if (source === undefined || source.startsWith('.') || source.startsWith('/')) continue;
			if (!declared.has(source)) problems.push(`${name} mounts volume ${source}, which the file does not declare`);
		}
	return problems;
}

/** `bot-0:9464` for every bot: where Prometheus must scrape each of them (their METRICS_PORT). */
export const metricsTargetsOf = (bots: ReadonlyMap<string, Json>): string[] =>
	[...bots].map(([name, bot]) => `${name}:${environmentOf(bot).get('METRICS_PORT') ?? '(no METRICS_PORT)'}`).sort();

/** `promtool check config` on a Prometheus configuration with the rule files it names copied beside it, as a container mounts them. */
export function promtoolCheckConfig(config: string, ...ruleFiles: string[]): { readonly status: number | null; readonly output: string } {
	const folder = mkdtempSync(join(tmpdir(), 'prometheus-config-'));
	try {
		for (const file of [config, ...ruleFiles]) copyFileSync(file, join(folder, basename(file)));
		const result = spawnSync('promtool', ['check', 'config', join(folder, basename(config))], { encoding: 'utf8' });
		return { status: result.status, output: `${result.stdout}${result.stderr}` };
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
