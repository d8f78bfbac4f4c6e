import { join } from 'node:path';
import { expect } from 'chai';
import { FIXTURES, createTestBot, type TestBot } from '../../helpers/test-bot.js';
import alpha from '../../fixtures/plugin-lifecycle/plugins/alpha/plugin.js';
import gamma from '../../fixtures/plugin-lifecycle/plugins/gamma/plugin.js';

const ROOT = join(FIXTURES, 'plugin-lifecycle');

describe("A plugin's storage through its handle", () => {
	let bot: TestBot | undefined;
	afterEach(async () => {
		await bot?.stop();
		bot = undefined;
	});

	it('GIVEN a namespace THEN it opens, keeps values, and is apart from the plugin’s own store and from another plugin’s', async () => {
		bot = await createTestBot({
			pluginRoots: [join(ROOT, 'plugins')],
			configDirectory: join(ROOT, 'config'),
			env: { ALPHA_TOKEN: 'alpha-token-value' }
		});
		await alpha.storage<string>('cache').set('key', 'in the namespace');
		await alpha.storage<string>().set('key', 'in the plugin store');
		await gamma.storage<string>('cache').set('key', 'gamma’s');
		expect(await alpha.storage<string>('cache').get('key')).to.equal('in the namespace');
		expect(await alpha.storage<string>().get('key')).to.equal('in the plugin store');
		expect(await gamma.storage<string>('cache').get('key')).to.equal('gamma’s');
	});

	it('GIVEN a namespace that is not lower-case words THEN it is refused with the rule', async () => {
		bot = await createTestBot({
			pluginRoots: [join(ROOT, 'plugins')],
			configDirectory: join(ROOT, 'config'),
			env: { ALPHA_TOKEN: 'alpha-token-value' }
		});
		expect(() => alpha.storage('../guild-config')).to.throw('use lower-case letters, digits and dashes');
	});
});
