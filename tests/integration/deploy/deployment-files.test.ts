import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SECRET_VARIABLES } from '../../../src/core/env.js';
import {
	botServicesOf,
	composeHardeningProblems,
	composeShardProblems,
	composeVolumeProblems,
	environmentOf,
	interpolatedVariables,
	metricsTargetsOf,
	promtoolCheckConfig,
	servicesOf
} from './deployment/compose-checks.js';
import { arrayAt, envFileVariables, isObject, objectAt, pathOf, readText, readYaml, stringAt, type Json } from './deployment/files.js';
import {
	botWorkload,
	hardeningProblems,
	probeProblems,
	renderedShardFigures,
	rolloutProblems,
	secretProblems,
	selectionProblems,
	shardPlanProblems
} from './deployment/kubernetes-invariants.js';
import { isInside, kustomizationChain, kustomizationShardFigures, kustomizeRenderer, readKustomization } from './deployment/kustomize.js';
import { composeValidator, kubernetesValidators, kustomizationValidator, workflowValidator } from './deployment/schemas.js';
import { shardCoverageProblems } from './deployment/shard-coverage.js';

const COMPOSE = pathOf('deploy', 'compose', 'compose.yaml');
const KUBERNETES = pathOf('deploy', 'kubernetes');
const BASE = join(KUBERNETES, 'base');
const OVERLAYS = [BASE, join(KUBERNETES, 'overlays', 'production')];
const WORKFLOWS = pathOf('.github', 'workflows');
/** The one script both CI entry points run. */
const CHECKS_SCRIPT = 'scripts/ci/checks.sh';
const isCi = (): boolean => !['', 'false', '0', undefined].includes(process.env.CI);

describe('Deployment files: Compose', () => {
	const compose = readYaml(COMPOSE);
	const bots = botServicesOf(compose);

	it('validates against the Compose Specification schema, which refuses a misspelt key', () => {
		const validate = composeValidator();
		expect(validate(compose)).to.deep.equal([]);
		const misspelt = objectAt(structuredClone(compose));
		objectAt(misspelt, 'services', 'redis').restrat = 'always';
		expect(validate(misspelt).join('\n')).to.include('restrat');
	});

	it('lists every variable it interpolates in .env.example, the required ones not commented out', () => {
		const { all, required } = interpolatedVariables(readText(COMPOSE));
		const example = readText(pathOf('deploy', 'compose', '.env.example'));
		expect([...all].filter((name) => !envFileVariables(example, { commented: true }).has(name))).to.deep.equal([]);
		expect([...required].filter((name) => !envFileVariables(example, { commented: false }).has(name))).to.deep.equal([]);
		expect([...required]).to.include.members(['DISCORD_TOKEN', 'JWT_SECRET', 'KALTURA_PARTNER_ID']);
	});

	it('passes every variable of the root .env.example to both bots', () => {
		const bot = readText(pathOf('.env.example'));
		// The bots name their shards with SHARD_IDS; ordinals are the Kubernetes way of naming them.
		const otherWay = new Set(['SHARDS_PER_PROCESS', 'SHARD_ORDINAL']);
		for (const [name, service] of bots) {
			const environment = environmentOf(service);
			const variables = [...envFileVariables(bot, { commented: true }).keys()];
			expect(
				variables.filter((variable) => !environment.has(variable) && !otherWay.has(variable)),
				name
			).to.deep.equal([]);
		}
	});

	it('runs two bots whose shards are disjoint and cover 0 to SHARD_COUNT - 1', () => {
		expect([...bots.keys()]).to.have.length(2);
		expect(composeShardProblems(bots)).to.deep.equal([]);
		const overlapping = new Map(
			[...bots].map(([name, bot]) => [name, { ...bot, environment: { ...Object.fromEntries(environmentOf(bot)), SHARD_IDS: '0-2' } }])
		);
		expect(composeShardProblems(new Map(overlapping.entries()))).to.include('shard 0 is run by both bot-0 and bot-1');
		expect(shardCoverageProblems(4, new Map([['a', [0, 1]]]))).to.deep.equal(['no process runs shard 2', 'no process runs shard 3']);
	});

	it('runs every service read-only and non-root, with named volumes', () => {
		expect(composeHardeningProblems(compose)).to.deep.equal([]);
		expect(composeVolumeProblems(compose)).to.deep.equal([]);
		expect(composeHardeningProblems({ services: { bad: { user: 'root' } } })).to.have.length(4);
	});

	it('starts the bots after Redis and the MongoDB replica set, which its health check initiates', () => {
		const services = servicesOf(compose);
		const mongodb = services.get('mongodb');
		const replicaSet = arrayAt(mongodb, 'command').map(String);
		const name = replicaSet[replicaSet.indexOf('--replSet') + 1];
		expect(name).to.be.a('string');
		expect(arrayAt(mongodb, 'healthcheck', 'test').join(' ')).to.include(`rs.initiate({ _id: '${String(name)}'`);
		for (const [bot, service] of bots) {
			expect(objectAt(service, 'depends_on'), bot).to.deep.include({
				mongodb: { condition: 'service_healthy' },
				redis: { condition: 'service_healthy' }
			});
			expect(environmentOf(service).get('MONGODB_URL'), bot).to.match(new RegExp(`^mongodb://mongodb:27017/.*[?&]replicaSet=${String(name)}$`));
			expect(environmentOf(service).get('REDIS_URL'), bot).to.match(/^redis:\/\/.*@redis:6379$/);
		}
	});

	it("scrapes both bots from Prometheus, configured as deploy/prometheus's but for the targets", () => {
		const own = objectAt(readYaml(pathOf('deploy', 'compose', 'prometheus.yml')));
		const shared = objectAt(readYaml(pathOf('deploy', 'prometheus', 'prometheus.yml')));
		for (const key of ['global', 'rule_files', 'alerting']) expect(own[key], key).to.deep.equal(shared[key]);
		const jobs = arrayAt(own, 'scrape_configs');
		const job = jobs.find((each) => stringAt(each, 'job_name') === 'kaltura-bot');
		const targets = arrayAt(job, 'static_configs').flatMap((each) => arrayAt(each, 'targets'));
		expect(targets.map(String).sort()).to.deep.equal(metricsTargetsOf(bots));
		expect(stringAt(job, 'metrics_path')).to.equal('/metrics');
		const mounts = arrayAt(servicesOf(compose).get('prometheus'), 'volumes').map(String);
		expect(mounts).to.include.members([
			'./prometheus.yml:/etc/prometheus/prometheus.yml:ro',
			'../prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro'
		]);
	});

	it('passes promtool check config with the alert rules beside it, as mounted', function () {
		const version = spawnSync('promtool', ['--version']);
		if (version.error !== undefined) {
			if (isCi()) throw new Error('CI is set but promtool cannot be run; scripts/ci/checks.sh installs it');
			this.skip();
		}
		const result = promtoolCheckConfig(pathOf('deploy', 'compose', 'prometheus.yml'), pathOf('deploy', 'prometheus', 'alerts.yml'));
		expect(result.status, result.output).to.equal(0);
	});
});

describe('Deployment files: Kubernetes', function () {
	this.timeout(60_000);
	const validators = kubernetesValidators();
	const validateKustomization = kustomizationValidator();
	const kustomizations = OVERLAYS.map(readKustomization);
	const baseResources = readKustomization(BASE).resourceFiles.map(readYaml).filter(isObject);

	it('has kustomizations that validate and name only files in or below their directory that exist', () => {
		for (const kustomization of kustomizations) {
			expect(validateKustomization(kustomization.document), kustomization.directory).to.deep.equal([]);
			const files = [...kustomization.resourceFiles, ...kustomization.patches.map((patch) => patch.file), ...kustomization.generatorFiles];
			for (const file of files) {
				expect(existsSync(file), file).to.equal(true);
				expect(isInside(file, kustomization.directory), `${file} is outside ${kustomization.directory}`).to.equal(true);
			}
		}
	});

	it('validates every resource file against the Kubernetes 1.36 schemas, which refuse an unknown field', () => {
		for (const kustomization of kustomizations)
			for (const file of kustomization.resourceFiles) {
				const resource = readYaml(file);
				const validate = validators.of(String(objectAt(resource).apiVersion), String(objectAt(resource).kind));
				expect(validate, `no schema for ${file}`).to.be.a('function');
				expect(validate?.(resource), file).to.deep.equal([]);
			}
		const statefulSet = structuredClone(botWorkload(baseResources).statefulSet);
		objectAt(statefulSet, 'spec', 'template', 'spec').readinessProbes = {};
		expect(validators.of('apps/v1', 'StatefulSet')?.(statefulSet).join('\n')).to.include('readinessProbes');
	});

	it('patches only resources of the bases, each patch valid for its kind', () => {
		for (const kustomization of kustomizations)
			for (const patch of kustomization.patches) {
				const document = objectAt(readYaml(patch.file));
				const targets = kustomizationChain(kustomization.directory)
					.flatMap((each) => each.resourceFiles)
					.map((file) => objectAt(readYaml(file)));
				const target = targets.find((each) => each.kind === patch.target.kind && stringAt(each, 'metadata', 'name') === patch.target.name);
				expect(target, `${patch.file} targets nothing`).to.be.an('object');
				expect(validators.ofPatch(String(document.apiVersion), String(document.kind))?.(document), patch.file).to.deep.equal([]);
			}
	});

	it("builds the guild config ConfigMap from a copy of the repository's config/", () => {
		expect(readText(join(BASE, 'config', 'default_config.json'))).to.equal(readText(pathOf('config', 'default_config.json')));
	});

	it('keeps probes, hardening, rollout, selection and secrets right in the base files', () => {
		const workload = botWorkload(baseResources);
		const problems = [
			...probeProblems(workload),
			...hardeningProblems(workload),
			...rolloutProblems(workload, baseResources),
			...selectionProblems(workload, baseResources),
			...secretProblems(workload, baseResources, SECRET_VARIABLES)
		];
		expect(problems).to.deep.equal([]);
		const broken = structuredClone(workload.statefulSet);
		const container = arrayAt(broken, 'spec', 'template', 'spec', 'containers')[0];
		objectAt(container, 'readinessProbe', 'httpGet').path = '/api/v1/health';
		objectAt(container, 'securityContext').readOnlyRootFilesystem = false;
		expect(probeProblems(botWorkload([broken]))).to.deep.equal(['readinessProbe asks /api/v1/health, not /api/v1/ready']);
		expect(hardeningProblems(botWorkload([broken]))).to.deep.equal(['the root file system is writable']);
	});

	it('covers every shard in each kustomization, by its literals and replicas', () => {
		const baseReplicas = Number(objectAt(botWorkload(baseResources).statefulSet, 'spec').replicas);
		for (const kustomization of kustomizations)
			expect(shardPlanProblems(kustomizationShardFigures(kustomization.directory, baseReplicas)), kustomization.directory).to.deep.equal([]);
		expect(shardPlanProblems({ replicas: 3, count: 4, perProcess: 2 })).to.deep.equal(['pod 2 runs no shard']);
	});

	it('gives an example of the Secret with every secret variable the bot reads, outside every kustomization', () => {
		const example = envFileVariables(readText(join(KUBERNETES, 'secret.example.env')), { commented: false });
		const required = SECRET_VARIABLES.filter((name) => !/APP_TOKEN/.test(name));
		expect([...example.keys()]).to.include.members([...required, 'REDIS_URL', 'MONGODB_URL']);
		const listed = kustomizations.flatMap((each) => [...each.resourceFiles, ...each.generatorFiles, ...each.patches.map((patch) => patch.file)]);
		expect(listed.filter((file) => file.includes('secret'))).to.deep.equal([]);
	});

	describe('rendered with kubectl kustomize', () => {
		const renderer = kustomizeRenderer();

		before(function () {
			if ('unavailable' in renderer) {
				console.warn(`\n  SKIPPING rendering the kustomizations: ${renderer.unavailable}. The files were validated one by one above.\n`);
				this.skip();
			}
		});

		for (const directory of OVERLAYS)
			it(`renders ${directory.slice(KUBERNETES.length + 1)} to valid resources that keep every rule`, () => {
				if ('unavailable' in renderer) return;
				const resources = renderer.render(directory);
				for (const resource of resources) {
					const validate = validators.of(String(resource.apiVersion), String(resource.kind));
					expect(validate?.(resource), `${String(resource.kind)} ${stringAt(resource, 'metadata', 'name') ?? ''}`).to.deep.equal([]);
				}
				const workload = botWorkload(resources);
				expect([
					...probeProblems(workload),
					...hardeningProblems(workload),
					...rolloutProblems(workload, resources),
					...selectionProblems(workload, resources),
					...secretProblems(workload, resources, SECRET_VARIABLES),
					...shardPlanProblems(renderedShardFigures(workload, resources))
				]).to.deep.equal([]);
				const image = stringAt(workload.container, 'image') ?? '';
				if (directory !== BASE) expect(image).to.match(/^[^/]+\/.+:(?!latest$)[\w.-]+$/);
			});
	});
});

describe('Deployment files: GitHub workflows', () => {
	const validate = workflowValidator();
	const ci = objectAt(readYaml(join(WORKFLOWS, 'ci.yml')));
	const release = objectAt(readYaml(join(WORKFLOWS, 'release.yml')));
	const stepsOf = (workflow: Json) => Object.values(objectAt(workflow, 'jobs')).flatMap((job) => arrayAt(job, 'steps'));

	it('validate against the GitHub workflow schema, which refuses an unknown key', () => {
		expect(validate(ci)).to.deep.equal([]);
		expect(validate(release)).to.deep.equal([]);
		expect(validate({ ...ci, job: {} })).not.to.deep.equal([]);
	});

	it('run the same checks script in ci.yml as .ci/run', () => {
		const runs = stepsOf(ci).map((step) => stringAt(step, 'run') ?? '');
		expect(runs.filter((run) => run.includes(CHECKS_SCRIPT))).to.deep.equal([`bash ${CHECKS_SCRIPT}`]);
		expect(readText(pathOf('.ci', 'run'))).to.match(/^exec bash "\$\(dirname "\$0"\)\/\.\.\/scripts\/ci\/checks\.sh" "\$@"$/m);
		expect(existsSync(pathOf(CHECKS_SCRIPT))).to.equal(true);
	});

	it('give ci.yml Redis and a MongoDB replica set, named by TEST_MONGODB_URL', () => {
		const job = objectAt(ci, 'jobs', 'checks');
		expect(stringAt(job, 'services', 'redis', 'image')).to.match(/^redis:/);
		const url = stringAt(job, 'env', 'TEST_MONGODB_URL') ?? '';
		const replicaSet = /[?&]replicaSet=(\w+)/.exec(url)?.[1];
		const start =
			stepsOf(ci)
				.map((step) => stringAt(step, 'run') ?? '')
				.find((run) => run.includes('mongo:')) ?? '';
		expect(start).to.include(`--replSet ${String(replicaSet)}`);
		expect(start).to.include(`rs.initiate({ _id: '${String(replicaSet)}'`);
	});

	it('push the image on v* tags, after the same checks, with an SBOM and provenance and no more permissions than that needs', () => {
		expect(arrayAt(release, 'on', 'push', 'tags')).to.deep.equal(['v*']);
		expect(objectAt(release).permissions).to.deep.equal({});
		expect(objectAt(ci, 'on')).to.have.property('workflow_call');
		expect(objectAt(release, 'jobs', 'checks')).to.deep.equal({ uses: './.github/workflows/ci.yml', permissions: { contents: 'read' } });
		const job = objectAt(release, 'jobs', 'image');
		expect(job.needs).to.equal('checks');
		expect(objectAt(job, 'permissions')).to.deep.equal({ contents: 'read', packages: 'write' });
		const build = stepsOf(release).find((step) => stringAt(step, 'uses')?.startsWith('docker/build-push-action@'));
		expect(objectAt(build, 'with')).to.deep.include({ push: true, sbom: true, provenance: 'mode=max' });
	});

	it('pin every action to a major version or a commit', () => {
		const uses = [...stepsOf(ci), ...stepsOf(release)].map((step) => stringAt(step, 'uses')).filter((each) => each !== undefined);
		expect(uses.filter((each) => !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(each))).to.deep.equal([]);
	});
});
