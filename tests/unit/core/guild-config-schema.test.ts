import { expect } from 'chai';
import { z } from 'zod';
import {
	buildGuildConfigSchema,
	ConfigValidationError,
	CORE_SECTIONS,
	validateGuildConfig,
	type ConfigIssue
} from '../../../src/core/config/guild-config-schema.js';
import { definePlugin } from '../../../src/core/plugins/manifest.js';

const plugin = (name: string, enabledByDefault: boolean, configSchema?: z.ZodObject) =>
	definePlugin({ name, version: '1.0.0', description: name, core: '^1.0.0', enabledByDefault, ...(configSchema ? { configSchema } : {}) });

const SCHEMA = buildGuildConfigSchema([
	plugin(
		'meetings',
		false,
		z.strictObject({ whoCanStart: z.enum(['everyone', 'hosts']).default('hosts'), durationMinutes: z.number().int().max(600).default(60) })
	),
	plugin('role-mapping', true)
]);

/** The issues a config is refused with; fails the test when it is accepted. */
function issuesOf(value: unknown): ConfigIssue[] {
	let thrown: unknown;
	try {
		validateGuildConfig(SCHEMA, value);
	} catch (error) {
		thrown = error;
	}
	expect(thrown).to.be.instanceOf(ConfigValidationError);
	const error = thrown as ConfigValidationError;
	expect(error.name).to.equal('ConfigValidationError');
	for (const issue of error.issues) expect(error.message).to.include(issue.path);
	return [...error.issues];
}

describe('Guild config schema', () => {
	it('GIVEN an empty config THEN every plugin gets its switch from enabledByDefault and every section its defaults', () => {
		expect(validateGuildConfig(SCHEMA, {})).to.deep.equal({
			plugins: { meetings: { enabled: false }, 'role-mapping': { enabled: true } },
			meetings: { whoCanStart: 'hosts', durationMinutes: 60 },
			'role-mapping': {}
		});
	});

	it('GIVEN the sections THEN they are the core’s (CORE_SECTIONS, which plugin names may not take) and one per plugin', () => {
		expect(Object.keys(validateGuildConfig(SCHEMA, {}))).to.have.members([...CORE_SECTIONS, 'meetings', 'role-mapping']);
		expect(CORE_SECTIONS).to.deep.equal(['plugins']);
	});

	it('GIVEN values THEN they are kept, the rest defaulted', () => {
		expect(validateGuildConfig(SCHEMA, { plugins: { meetings: { enabled: true } }, meetings: { whoCanStart: 'everyone' } })).to.deep.include({
			plugins: { meetings: { enabled: true }, 'role-mapping': { enabled: true } },
			meetings: { whoCanStart: 'everyone', durationMinutes: 60 }
		});
	});

	it('GIVEN an unknown key at any level THEN it is refused, named by its dotted path', () => {
		expect(issuesOf({ meetngs: {} }).map((issue) => issue.path)).to.deep.equal(['meetngs']);
		expect(issuesOf({ plugins: { videos: { enabled: true } } }).map((issue) => issue.path)).to.deep.equal(['plugins.videos']);
		expect(issuesOf({ plugins: { meetings: { enabled: true, on: true } } }).map((issue) => issue.path)).to.deep.equal(['plugins.meetings.on']);
		expect(issuesOf({ meetings: { whoCanStrat: 'everyone' } }).map((issue) => issue.path)).to.deep.equal(['meetings.whoCanStrat']);
		expect(issuesOf({ 'role-mapping': { anything: 1 } }).map((issue) => issue.path)).to.deep.equal(['role-mapping.anything']);
	});

	it('GIVEN one misspelt key THEN the nearest known one is suggested; several unknown keys are each named', () => {
		const [single] = issuesOf({ meetings: { whoCanStrat: 'everyone' } });
		expect(single!.message).to.include('is not a known setting').and.include('"whoCanStart"');
		const several = issuesOf({ meetings: { one: 1, two: 2 } });
		expect(several).to.deep.equal([
			{ path: 'meetings.one', message: 'is not a known setting' },
			{ path: 'meetings.two', message: 'is not a known setting' }
		]);
	});

	it('GIVEN a wrong value THEN its path and what is wrong are given, in the project’s words', () => {
		const issues = issuesOf({ plugins: { meetings: { enabled: 'yes' } }, meetings: { durationMinutes: 601 } });
		expect(issues.map((issue) => issue.path)).to.have.members(['plugins.meetings.enabled', 'meetings.durationMinutes']);
		for (const issue of issues) expect(issue.message).to.not.match(/^Invalid|expected/);
		expect(issues.find((issue) => issue.path === 'meetings.durationMinutes')!.message).to.include('600');
	});

	it('GIVEN a value that is not an object THEN it is refused at the top', () => {
		expect(issuesOf('config').map((issue) => issue.path)).to.deep.equal(['']);
		expect(issuesOf({ plugins: [] }).map((issue) => issue.path)).to.deep.equal(['plugins']);
	});
});
