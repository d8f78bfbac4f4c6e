import { arrayAt, isObject, objectAt, stringAt, type Json } from './files.js';
import { shardCoverageProblems, shardsOfOrdinal } from './shard-coverage.js';

/** The bot's HTTP API port (API_PORT) and where its probes point. */
const HEALTH = '/api/v1/health';
const READY = '/api/v1/ready';
/** The label Kubernetes 1.28 and later give each StatefulSet pod: its ordinal. */
const POD_INDEX = "metadata.labels['apps.kubernetes.io/pod-index']";
/** The scrape job the alert rules select (up{job="kaltura-bot"}); Prometheus Operator names it after the Service. */
const JOB = 'kaltura-bot';

const ofKind = (resources: readonly Json[], kind: string) => resources.filter((resource) => resource.kind === kind);
const nameOf = (resource: unknown) => stringAt(resource, 'metadata', 'name') ?? '(unnamed)';
const labelsAt = (value: unknown, ...path: string[]): Record<string, string> =>
	Object.fromEntries(Object.entries(objectAt(value, ...path)).map(([key, label]) => [key, String(label)]));
/** Whether a selector's labels all appear among `labels` (an empty selector selects nothing here, on purpose). */
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
	Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The bot's StatefulSet and its container, the pieces every check below looks at. */
export interface BotWorkload {
	readonly statefulSet: Json;
	readonly pod: Json;
	readonly container: Json;
	readonly podLabels: Record<string, string>;
	readonly env: Map<string, Json>;
}

export function botWorkload(resources: readonly Json[]): BotWorkload {
	const statefulSets = ofKind(resources, 'StatefulSet');
	const statefulSet = statefulSets[0];
	if (statefulSets.length !== 1 || statefulSet === undefined) throw new Error(`expected one StatefulSet, found ${statefulSets.length}`);
	const pod = objectAt(statefulSet, 'spec', 'template', 'spec');
	const container = arrayAt(pod, 'containers').find((each) => stringAt(each, 'name') === 'bot');
	if (!isObject(container)) throw new Error('the StatefulSet has no container named bot');
	const env = new Map(
		arrayAt(container, 'env')
			.filter(isObject)
			.map((each) => [String(each.name), each])
	);
	return { statefulSet, pod, container, podLabels: labelsAt(statefulSet, 'spec', 'template', 'metadata', 'labels'), env };
}

const envValue = (workload: BotWorkload, name: string) => stringAt(workload.env.get(name), 'value');

/** Probes on the API's paths and port, started by a startup probe. */
export function probeProblems(workload: BotWorkload): string[] {
	const problems: string[] = [];
	const httpPort = arrayAt(workload.container, 'ports').find((port) => stringAt(port, 'name') === 'http');
	const apiPort = envValue(workload, 'API_PORT');
	if (apiPort === undefined || String(objectAt({ port: httpPort }, 'port').containerPort) !== apiPort)
		problems.push(`the container port named http is not API_PORT (${apiPort ?? 'unset'})`);
	const expected: [string, string][] = [
		['startupProbe', HEALTH],
		['livenessProbe', HEALTH],
		['readinessProbe', READY]
	];
	for (const [probe, path] of expected) {
		const get = objectAt(workload.container, probe, 'httpGet');
		if (get.path !== path) problems.push(`${probe} asks ${String(get.path)}, not ${path}`);
		if (get.port !== 'http' && String(get.port) !== apiPort) problems.push(`${probe} asks port ${String(get.port)}, not the API's`);
	}
	return problems;
}

/** Non-root, read-only root file system, no privilege escalation, resources bounded, writable paths on volumes. */
export function hardeningProblems(workload: BotWorkload): string[] {
	const problems: string[] = [];
	const podSecurity = objectAt(workload.pod, 'securityContext');
	const security = objectAt(workload.container, 'securityContext');
	if (podSecurity.runAsNonRoot !== true && security.runAsNonRoot !== true) problems.push('runAsNonRoot is not set');
	if (podSecurity.runAsUser === 0 || security.runAsUser === 0) problems.push('runs as user 0');
	if (security.readOnlyRootFilesystem !== true) problems.push('the root file system is writable');
	if (security.allowPrivilegeEscalation !== false) problems.push('privilege escalation is allowed');
	for (const [bound, names] of [
		['requests', ['cpu', 'memory']],
		['limits', ['cpu', 'memory']]
	] as const)
		for (const name of names)
			if (objectAt(workload.container, 'resources', bound)[name] === undefined) problems.push(`resources.${bound}.${name} is not set`);
	const claims = arrayAt(workload.statefulSet, 'spec', 'volumeClaimTemplates').map(nameOf);
	const writable = new Set([
		...arrayAt(workload.pod, 'volumes')
			.filter((volume) => isObject(objectAt(volume).emptyDir))
			.map((volume) => stringAt(volume, 'name')),
		...claims
	]);
	const mounts = arrayAt(workload.container, 'volumeMounts');
	for (const path of [envValue(workload, 'DATA_DIR'), '/tmp']) {
		const mount = mounts.find((each) => stringAt(each, 'mountPath') === path);
		if (path === undefined || !writable.has(stringAt(mount, 'name')))
			problems.push(`${path ?? 'DATA_DIR'} is not on an emptyDir or a claimed volume`);
	}
	const config = mounts.find((each) => stringAt(each, 'mountPath') === '/app/config');
	if (objectAt({ config }, 'config').readOnly !== true) problems.push('/app/config is not mounted read-only');
	return problems;
}

/** One pod at a time is replaced, highest ordinal first, and each pod's ordinal reaches the bot as SHARD_ORDINAL. */
export function rolloutProblems(workload: BotWorkload, resources: readonly Json[]): string[] {
	const problems: string[] = [];
	const spec = objectAt(workload.statefulSet, 'spec');
	if (objectAt(spec, 'updateStrategy').type !== 'RollingUpdate') problems.push('updateStrategy is not RollingUpdate');
	const partition = objectAt(spec, 'updateStrategy', 'rollingUpdate').partition;
	if (partition !== undefined && partition !== 0) problems.push(`updateStrategy leaves pods below ordinal ${String(partition)} out`);
	if (spec.podManagementPolicy !== 'Parallel') problems.push('podManagementPolicy is not Parallel');
	if (stringAt(workload.env.get('SHARD_ORDINAL'), 'valueFrom', 'fieldRef', 'fieldPath') !== POD_INDEX)
		problems.push(`SHARD_ORDINAL is not ${POD_INDEX}`);
	const governing = ofKind(resources, 'Service').find((service) => nameOf(service) === spec.serviceName);
	if (stringAt(governing, 'spec', 'clusterIP') !== 'None')
		problems.push(`serviceName ${String(spec.serviceName)} is no headless Service of these resources`);
	return problems;
}

/** The StatefulSet, PDB and Services select the bot's pods; the ServiceMonitor selects the API Service and its metrics port. */
export function selectionProblems(workload: BotWorkload, resources: readonly Json[]): string[] {
	const problems: string[] = [];
	const pods = workload.podLabels;
	if (!selects(labelsAt(workload.statefulSet, 'spec', 'selector', 'matchLabels'), pods)) problems.push('the StatefulSet does not select its pods');
	const budgets = ofKind(resources, 'PodDisruptionBudget');
	if (budgets.length === 0) problems.push('no PodDisruptionBudget');
	for (const budget of budgets)
		if (!selects(labelsAt(budget, 'spec', 'selector', 'matchLabels'), pods))
			problems.push(`PodDisruptionBudget ${nameOf(budget)} does not select the pods`);
	const services = ofKind(resources, 'Service');
	for (const service of services)
		if (!selects(labelsAt(service, 'spec', 'selector'), pods)) problems.push(`Service ${nameOf(service)} does not select the pods`);
	const portNames = new Set(arrayAt(workload.container, 'ports').map((port) => stringAt(port, 'name')));
	for (const service of services)
		for (const port of arrayAt(service, 'spec', 'ports'))
			if (!portNames.has(stringAt(port, 'targetPort'))) problems.push(`Service ${nameOf(service)} targets a port the container does not name`);
	const monitors = ofKind(resources, 'ServiceMonitor');
	if (monitors.length === 0) problems.push('no ServiceMonitor');
	for (const monitor of monitors) {
		const selected = services.filter((service) =>
			selects(labelsAt(monitor, 'spec', 'selector', 'matchLabels'), labelsAt(service, 'metadata', 'labels'))
		);
		const service = selected[0];
		if (selected.length !== 1 || service === undefined) {
			problems.push(`ServiceMonitor ${nameOf(monitor)} selects ${selected.length} Services, not one`);
			continue;
		}
		const job = stringAt(monitor, 'spec', 'jobLabel') ?? nameOf(service);
		if (job !== JOB) problems.push(`ServiceMonitor ${nameOf(monitor)} scrapes as job ${job}, not ${JOB}`);
		const servicePorts = new Set(arrayAt(service, 'spec', 'ports').map((port) => stringAt(port, 'name')));
		for (const endpoint of arrayAt(monitor, 'spec', 'endpoints'))
			if (!servicePorts.has(stringAt(endpoint, 'port')))
				problems.push(`ServiceMonitor ${nameOf(monitor)} scrapes a port Service ${nameOf(service)} does not have`);
	}
	for (const ingress of ofKind(resources, 'Ingress'))
		for (const path of arrayAt(ingress, 'spec', 'rules').flatMap((rule) => arrayAt(rule, 'http', 'paths'))) {
			const backend = objectAt(path, 'backend', 'service');
			const service = services.find((each) => nameOf(each) === backend.name);
			const port = stringAt(backend, 'port', 'name');
			if (!arrayAt(service, 'spec', 'ports').some((each) => stringAt(each, 'name') === port))
				problems.push(`Ingress ${nameOf(ingress)} routes to no Service port`);
		}
	return problems;
}

/** Secrets come from the Secret the StatefulSet names, never from a value in the manifests. */
export function secretProblems(workload: BotWorkload, resources: readonly Json[], secretVariables: readonly string[]): string[] {
	const problems: string[] = [];
	if (ofKind(resources, 'Secret').length > 0) problems.push('a Secret is part of the manifests');
	if (!arrayAt(workload.container, 'envFrom').some((source) => stringAt(source, 'secretRef', 'name') !== undefined))
		problems.push('no Secret is referenced');
	for (const name of secretVariables) if (workload.env.get(name)?.value !== undefined) problems.push(`${name} is set in the manifest`);
	for (const configMap of ofKind(resources, 'ConfigMap'))
		for (const name of secretVariables)
			if (objectAt(configMap, 'data')[name] !== undefined) problems.push(`${name} is in ConfigMap ${nameOf(configMap)}`);
	return problems;
}

/** Pod n runs shards n × perProcess onwards: every shard of `count` by exactly one pod, and no pod without one. */
export function shardPlanProblems(figures: { readonly replicas: number; readonly count: number; readonly perProcess: number }): string[] {
	const pods = new Map(
		Array.from({ length: figures.replicas }, (_, ordinal) => [`pod ${ordinal}`, shardsOfOrdinal(ordinal, figures.perProcess, figures.count)])
	);
	return shardCoverageProblems(figures.count, pods);
}

/** The shard figures of rendered manifests: replicas, and SHARD_COUNT and SHARDS_PER_PROCESS from the ConfigMap the pods read. */
export function renderedShardFigures(workload: BotWorkload, resources: readonly Json[]) {
	const names = new Set(arrayAt(workload.container, 'envFrom').map((source) => stringAt(source, 'configMapRef', 'name')));
	const data = Object.assign(
		{},
		...ofKind(resources, 'ConfigMap')
			.filter((each) => names.has(nameOf(each)))
			.map((each) => objectAt(each, 'data'))
	) as Json;
	return {
		replicas: Number(objectAt(workload.statefulSet, 'spec').replicas),
		count: Number(data.SHARD_COUNT),
		perProcess: Number(data.SHARDS_PER_PROCESS)
	};
}
