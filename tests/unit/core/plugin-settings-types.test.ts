import { expect } from 'chai';
import meetings from '../../../plugins/meetings/plugin.js';
import notifications from '../../../plugins/notifications/plugin.js';
import videos from '../../../plugins/videos/plugin.js';
import { PROJECT_PLUGINS, createTestBot, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000042';

/**
 * A plugin reads its settings, environment and services through its handle, typed from its manifest. Each
 * `@ts-expect-error` below is checked by `npm run lint` (tsc over tests): if the wrong access ever type-checks,
 * the directive is unused and lint fails.
 */
describe('Plugin handles: typed settings, environment and services', () => {
	let bot: TestBot;

	before(async () => {
		bot = await createTestBot({ ...PROJECT_PLUGINS, env: { NOTIFICATIONS_MAX_EVENT_AGE_DAYS: '9', KALTURA_LIVE_CATEGORY_IDS: '123' } });
	});

	after(async () => {
		await bot?.stop();
	});

	it('GIVEN values written as JSON THEN a plugin reads them as its schema’s output: parsed, transformed, defaults filled in', async () => {
		await bot.guildConfig.set(GUILD, 'meetings.liveCategoryId', 123);
		await bot.guildConfig.set(GUILD, 'videos.resultLimit', 7);

		const settings = await meetings.settings(GUILD);
		// Written as a number, read as the string the schema turns it into.
		expect(settings.liveCategoryId).to.equal('123');
		expect(settings.defaultDurationMinutes).to.equal(60);
		// @ts-expect-error liveCategoryId is the schema's output, a string (or undefined), never a number
		const asNumber: number | undefined = settings.liveCategoryId;
		expect(asNumber).to.be.a('string');

		const search = await videos.settings(GUILD);
		expect(search).to.deep.equal({ resultLimit: 7, categoryIds: [], watchUrlTemplate: search.watchUrlTemplate });
		// @ts-expect-error no such setting: a misspelt key does not type-check
		expect(search.resultLimt).to.equal(undefined);

		// The operator's files only: the runtime write above is not in them.
		expect(meetings.baselineSettings(GUILD).liveCategoryId).to.equal(undefined);
	});

	it('GIVEN a plugin’s environment THEN it is typed from its schema', () => {
		const env = notifications.env();
		expect(env.NOTIFICATIONS_MAX_EVENT_AGE_DAYS).to.equal(9);
		// @ts-expect-error a core variable is not the plugin's
		expect(env.DISCORD_TOKEN).to.equal(undefined);
	});

	it('GIVEN a plugin’s services THEN they are typed by its start hook, and reading them before it starts says so', async () => {
		expect(() => notifications.services()).to.throw('The notifications plugin is not running');
		await bot.pluginLifecycle.startAll();
		const { worker, sweeper, store } = notifications.services();
		expect([worker.held, typeof sweeper.sweep, typeof store.open]).to.deep.equal([false, 'function', 'function']);
		// @ts-expect-error the notifications plugin's services have no such member
		expect(notifications.services().scheduler).to.equal(undefined);
		// @ts-expect-error a plugin without a start hook has no services to read members of
		expect(() => videos.services().anything).to.throw('has no services');
	});
});
