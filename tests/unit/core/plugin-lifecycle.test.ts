import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { FIXTURES, createTestBot, type TestBot } from '../../helpers/test-bot.js';
import { journal } from '../../fixtures/plugin-lifecycle/journal.js';
import alpha from '../../fixtures/plugin-lifecycle/plugins/alpha/plugin.js';
import gamma from '../../fixtures/plugin-lifecycle/plugins/gamma/plugin.js';

const ROOT = join(FIXTURES, 'plugin-lifecycle');
const ALPHA_TOKEN = 'alpha-token-that-must-never-be-logged';

function lifecycleBot(): Promise<TestBot> {
	return createTestBot({ pluginRoots: [join(ROOT, 'plugins')], configDirectory: join(ROOT, 'config'), env: { ALPHA_TOKEN } });
}

describe('Plugin lifecycle: start and stop hooks', () => {
	let bot: TestBot | undefined;

	beforeEach(() => journal.reset());
	afterEach(async () => {
		await bot?.stop();
		bot = undefined;
	});

	it('GIVEN plugins that require each other THEN they start in dependency order once, and the bot stops them in reverse once', async () => {
		bot = await lifecycleBot();
		expect(container.pluginLifecycle).to.equal(bot.pluginLifecycle);
		expect(() => alpha.services()).to.throw('The alpha plugin is not running');

		await Promise.all([bot.pluginLifecycle.startAll(), bot.pluginLifecycle.startAll()]);
		await bot.pluginLifecycle.start('gamma');
		expect(journal.events).to.deep.equal(['start alpha', 'start beta', 'start gamma']);
		expect(['alpha', 'beta', 'gamma'].map((name) => bot?.pluginLifecycle.isRunning(name))).to.deep.equal([true, true, true]);
		// What the start hook returned, its defaults from the environment schema.
		expect(alpha.services().greeting).to.equal('hello');
		expect(gamma.services()).to.deep.equal({ name: 'gamma' });

		await bot.stop();
		await bot.stop();
		expect(journal.events.slice(3)).to.deep.equal(['stop gamma', 'stop beta', 'stop alpha (hello)']);
		expect(alpha.isRunning()).to.equal(false);
		expect(() => alpha.services()).to.throw('The alpha plugin is not running');
	});

	it('GIVEN one plugin is stopped alone THEN those requiring it stop first, and starting it again starts only it', async () => {
		bot = await lifecycleBot();
		await bot.pluginLifecycle.startAll();
		await bot.pluginLifecycle.stop('beta');
		expect(journal.events.slice(3)).to.deep.equal(['stop gamma', 'stop beta']);
		expect(bot.pluginLifecycle.isRunning('alpha')).to.equal(true);
		await bot.pluginLifecycle.start('gamma');
		expect(journal.events.slice(5)).to.deep.equal(['start beta', 'start gamma']);
	});

	it('GIVEN a start hook throws THEN it is logged with the plugin’s name, the others go on, and shutdown stops only what started, once', async () => {
		journal.failing.add('beta');
		bot = await lifecycleBot();
		await bot.pluginLifecycle.startAll();
		expect(journal.events).to.deep.equal(['start alpha', 'start beta']);
		expect(bot.log.text()).to.include('Plugin "beta" failed to start').and.include('beta could not start');
		expect(bot.log.text()).to.include('Plugin "gamma" was not started: the plugin "beta" it requires is not running');
		expect(['alpha', 'beta', 'gamma'].map((name) => bot?.pluginLifecycle.isRunning(name))).to.deep.equal([true, false, false]);

		await bot.stop();
		await bot.stop();
		expect(journal.events.slice(2)).to.deep.equal(['stop alpha (hello)']);
	});

	it('GIVEN the bot stops while the plugins are still starting THEN what started is stopped once and nothing starts after', async () => {
		let open = () => undefined as void;
		journal.alphaGate = new Promise<void>((resolve) => (open = resolve));
		bot = await lifecycleBot();
		const starting = bot.pluginLifecycle.startAll();
		const stopping = bot.stop();
		open();
		await Promise.all([starting, stopping]);
		expect(journal.events).to.deep.equal(['start alpha', 'stop alpha (hello)']);
		expect(['alpha', 'beta', 'gamma'].map((name) => bot?.pluginLifecycle.isRunning(name))).to.deep.equal([false, false, false]);
	});

	it('GIVEN the bot stops after its only start failed THEN no stop hook runs', async () => {
		journal.failing.add('alpha');
		bot = await lifecycleBot();
		await bot.pluginLifecycle.startAll();
		await bot.stop();
		expect(journal.events).to.deep.equal(['start alpha']);
		expect(bot.log.text()).to.include('Plugin "alpha" failed to start');
	});

	it('GIVEN a secret environment variable of a plugin THEN the log redacts its value', async () => {
		bot = await lifecycleBot();
		await bot.pluginLifecycle.start('alpha');
		expect(bot.log.text()).to.include('alpha started with token [REDACTED]').and.not.include(ALPHA_TOKEN);
	});
});
