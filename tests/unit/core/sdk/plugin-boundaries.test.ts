import { join } from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../../../../src/core/paths.js';

/** Lints a file as if it stood at `path` in the project, with the project's own ESLint config: the messages of one rule. */
async function problemsOf(path: string, code: string, rule = 'project/plugin-boundaries'): Promise<string[]> {
	const [result] = await new ESLint({ cwd: PROJECT_ROOT }).lintText(code, { filePath: join(PROJECT_ROOT, path) });
	return (result?.messages ?? []).filter((message) => message.ruleId === rule).map((message) => message.message);
}

describe('the plugin boundary lint rule', function () {
	this.timeout(60_000);

	it('GIVEN a plugin importing a core internal THEN lint fails naming the import', async () => {
		const problems = await problemsOf(
			'plugins/videos/lib/sneaky.ts',
			"import { parseEnvironment } from '../../../src/core/env.js';\nexport const p = parseEnvironment;\n"
		);
		expect(problems).to.deep.equal(['Plugins use the core through "#sdk" only, not "../../../src/core/env.js".']);
	});

	it("GIVEN a plugin importing another plugin's internals THEN lint fails; its api.ts and #sdk pass", async () => {
		const problems = await problemsOf(
			'plugins/meetings/lib/deep/sneaky.ts',
			[
				"import { kalturaRoleOf } from '../../../role-mapping/lib/resolve-kaltura-role.js';",
				"import { kalturaRoleOf as fromApi } from '../../../role-mapping/api.js';",
				"import { replyPrivately } from '#sdk';",
				"import { meetingsConfigSchema } from '../meetings-config.js';",
				'export const all = [kalturaRoleOf, fromApi, replyPrivately, meetingsConfigSchema];',
				''
			].join('\n')
		);
		expect(problems).to.deep.equal(['Use another plugin through its api.ts only, not "../../../role-mapping/lib/resolve-kaltura-role.js".']);
	});

	it("GIVEN a plugin's own test THEN it may import the plugin's internals, the core, tests/helpers and tests/harness; not another plugin's internals nor other tests", async () => {
		const problems = await problemsOf(
			'plugins/meetings/tests/sneaky.test.ts',
			[
				"import { meetingsConfigSchema } from '../lib/meetings-config.js';",
				"import { parseEnvironment } from '../../../src/core/env.js';",
				"import { maskedLinkTargets } from '../../../tests/helpers/markdown-links.js';",
				"import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';",
				"import { kalturaRoleOf } from '../../role-mapping/api.js';",
				"import { resolveKalturaRole } from '../../role-mapping/lib/resolve-kaltura-role.js';",
				"import { SMUGGLING } from '../../../tests/unit/core/links-in-markdown.test.js';",
				'export const all = [meetingsConfigSchema, parseEnvironment, maskedLinkTargets, KalturaStandIn, kalturaRoleOf, resolveKalturaRole, SMUGGLING];',
				''
			].join('\n')
		);
		expect(problems).to.deep.equal([
			'Use another plugin through its api.ts only, not "../../role-mapping/lib/resolve-kaltura-role.js".',
			'A plugin uses nothing under tests/ but, in its own tests, tests/helpers and tests/harness; not "../../../tests/unit/core/links-in-markdown.test.js".'
		]);
	});

	it("GIVEN a plugin's production code importing a test stand-in THEN lint fails", async () => {
		expect(
			await problemsOf(
				'plugins/videos/lib/sneaky.ts',
				"import { KalturaStandIn } from '../../../tests/harness/kaltura/index.js';\nexport const k = KalturaStandIn;\n"
			)
		).to.deep.equal([
			'A plugin uses nothing under tests/ but, in its own tests, tests/helpers and tests/harness; not "../../../tests/harness/kaltura/index.js".'
		]);
	});

	it("GIVEN a test under tests/ importing a plugin's private module, statically or dynamically THEN lint fails; its plugin.ts and api.ts pass", async () => {
		const problems = await problemsOf(
			'tests/integration/plugins/sneaky.test.ts',
			[
				"import notifications from '../../../plugins/notifications/plugin.js';",
				"import { kalturaRoleOf } from '../../../plugins/role-mapping/api.js';",
				"import { renderMessage } from '../../../plugins/notifications/lib/render.js';",
				"import { NotificationsCommand } from '../../../plugins/notifications/commands/notifications.js';",
				"export const all = [notifications, kalturaRoleOf, renderMessage, NotificationsCommand, import('../../../plugins/meetings/routes/meeting.js')];",
				''
			].join('\n'),
			'project/test-surfaces'
		);
		const refused = (specifier: string) =>
			`Tests outside a plugin use it through its plugin.ts or api.ts only, not "${specifier}"; a test of its internals belongs in plugins/<name>/tests/.`;
		expect(problems).to.deep.equal([
			refused('../../../plugins/notifications/lib/render.js'),
			refused('../../../plugins/notifications/commands/notifications.js'),
			refused('../../../plugins/meetings/routes/meeting.js')
		]);
	});

	it('GIVEN a private import listed as an exception for that one test file THEN it passes there and nowhere else', async () => {
		const exceptions = { 'tests/integration/plugins/kept.test.ts': ['plugins/notifications/lib/render.js'] };
		const linter = new ESLint({ cwd: PROJECT_ROOT, overrideConfig: { rules: { 'project/test-surfaces': ['error', { exceptions }] } } });
		const code = "import { renderMessage } from '../../../plugins/notifications/lib/render.js';\nexport const r = renderMessage;\n";
		const ruleProblems = async (path: string) => {
			const [result] = await linter.lintText(code, { filePath: join(PROJECT_ROOT, path) });
			return (result?.messages ?? []).filter((message) => message.ruleId === 'project/test-surfaces');
		};
		expect(await ruleProblems('tests/integration/plugins/kept.test.ts')).to.deep.equal([]);
		expect(await ruleProblems('tests/integration/plugins/other.test.ts')).to.have.lengthOf(1);
	});

	it('GIVEN the core importing its own modules THEN the rule does not apply', async () => {
		expect(
			await problemsOf('src/core/sneaky.ts', "import { parseEnvironment } from './env.js';\nexport const p = parseEnvironment;\n")
		).to.deep.equal([]);
	});
});
