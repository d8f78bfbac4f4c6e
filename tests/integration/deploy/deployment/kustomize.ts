import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { arrayAt, isObject, objectAt, readYaml, stringAt, yamlDocuments, type Json } from './files.js';

/**
 * `kubectl kustomize`, when a kubectl whose kustomize is v4 or later is on PATH (older ones, such as Debian bookworm's
 * kubernetes-client 1.20 with kustomize v2, do not know `patches:` and `replicas:`). Otherwise the reason it is not.
 */
export function kustomizeRenderer(): { readonly render: (directory: string) => Json[] } | { readonly unavailable: string } {
	const version = spawnSync('kubectl', ['version', '--client', '--output=json'], { encoding: 'utf8' });
	if (version.error !== undefined || version.status !== 0) return { unavailable: 'kubectl cannot be run (not on PATH?)' };
	const kustomize = /"kustomizeVersion":\s*"v?(\d+)/.exec(version.stdout)?.[1];
	if (kustomize === undefined || Number(kustomize) < 4)
		return { unavailable: `kubectl's kustomize is ${kustomize === undefined ? 'of unknown version' : `v${kustomize}`}, not v4 or later` };
	return {
		render: (directory) => {
			const result = spawnSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
			if (result.status !== 0) throw new Error(`kubectl kustomize ${directory} failed: ${result.stderr}`);
			return yamlDocuments(result.stdout).filter(isObject);
		}
	};
}

/** A kustomization.yaml and the files it names, resolved against its directory. */
export interface Kustomization {
	readonly directory: string;
	readonly document: Json;
	/** Resource files (not directories, which are other kustomizations). */
	readonly resourceFiles: string[];
	/** Other kustomizations it builds on. */
	readonly bases: string[];
	readonly patches: { readonly file: string; readonly target: Json }[];
	readonly generatorFiles: string[];
	/** `NAME=value` literals of the configMapGenerator named `name`. */
	readonly literals: (name: string) => Map<string, string>;
}

export function readKustomization(directory: string): Kustomization {
	const document = objectAt(readYaml(join(directory, 'kustomization.yaml')));
	const resources = arrayAt(document, 'resources').filter((item): item is string => typeof item === 'string');
	const local = (item: string) => resolve(directory, item);
	const isDirectory = (item: string) => existsSync(join(local(item), 'kustomization.yaml'));
	const generators = [...arrayAt(document, 'configMapGenerator'), ...arrayAt(document, 'secretGenerator')];
	return {
		directory,
		document,
		resourceFiles: resources.filter((item) => !isDirectory(item)).map(local),
		bases: resources.filter(isDirectory).map(local),
		patches: arrayAt(document, 'patches').flatMap((patch) => {
			const path = stringAt(patch, 'path');
			return path === undefined ? [] : [{ file: local(path), target: objectAt(patch, 'target') }];
		}),
		generatorFiles: generators
			.flatMap((generator) => [...arrayAt(generator, 'files'), ...arrayAt(generator, 'envs')])
			.filter((item) => typeof item === 'string')
			.map((item) => local(String(item))),
		literals: (name) => {
			const generator = arrayAt(document, 'configMapGenerator').find((each) => stringAt(each, 'name') === name);
			const pairs = arrayAt(generator, 'literals').map((literal) => String(literal).split(/=(.*)/s));
			return new Map(pairs.map(([key, value]) => [key ?? '', value ?? '']));
		}
	};
}

/** The kustomization and every one it builds on, nearest first. */
export function kustomizationChain(directory: string): Kustomization[] {
	const own = readKustomization(directory);
	return [own, ...own.bases.flatMap(kustomizationChain)];
}

export const isInside = (file: string, directory: string): boolean => resolve(file).startsWith(`${resolve(directory)}/`);

/**
 * The shard figures a kustomization gives, read from its files and its bases' (no rendering): the last `replicas:` count
 * (else the base StatefulSet's), and SHARD_COUNT and SHARDS_PER_PROCESS from the kaltura-bot-environment literals.
 */
export function kustomizationShardFigures(directory: string, baseReplicas: number) {
	const chain = kustomizationChain(directory).reverse();
	const literals = new Map(chain.flatMap((each) => [...each.literals('kaltura-bot-environment')]));
	const replicas = chain.flatMap((each) => arrayAt(each.document, 'replicas')).map((each) => Number(objectAt(each).count));
	return {
		replicas: replicas.at(-1) ?? baseReplicas,
		count: Number(literals.get('SHARD_COUNT')),
		perProcess: Number(literals.get('SHARDS_PER_PROCESS'))
	};
}
