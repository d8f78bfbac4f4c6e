import { join } from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../../../../src/core/paths.js';

/** Lints a file as if it stood at `path` in the project, with the project's own ESLint config. */
async function problemsOf(path: string, code: string): Promise<string[]> {
	const [result] = await new ESLint({ cwd: PROJECT_ROOT }).lintText(code, { filePath: join(PROJECT_ROOT, path) });
	return (result?.messages ?? []).filter((message) => message.ruleId === 'project/plugin-boundaries').map((message) => message.message);
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

	it('GIVEN the core importing its own modules THEN the rule does not apply', async () => {
		expect(
			await problemsOf('src/core/sneaky.ts', "import { parseEnvironment } from './env.js';\nexport const p = parseEnvironment;\n")
		).to.deep.equal([]);
	});
});
