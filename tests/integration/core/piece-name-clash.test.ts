import { join } from 'node:path';
import { expect } from 'chai';
import { FIXTURES, createTestBot, type TestBot } from '../../helpers/test-bot.js';

const ROOT = join(FIXTURES, 'piece-name-clash');

describe('Piece names that clash between plugins at start-up', () => {
	let bot: TestBot | undefined;
	afterEach(async () => {
		await bot?.stop();
		bot = undefined;
	});

	it('GIVEN plugin "alpha" with listeners/beta-ready and plugin "alpha-beta" with listeners/ready THEN the second is refused, naming the clash, and the first keeps its piece', async () => {
		bot = await createTestBot({ pluginRoots: [join(ROOT, 'plugins')], configDirectory: join(ROOT, 'config') });
		expect(bot.plugins.list().map(({ manifest }) => manifest.name)).to.deep.equal(['alpha']);
		const refusal = bot.plugins.refusals().find((entry) => entry.name === 'alpha-beta');
		expect(refusal?.reason).to.equal('its listeners piece "alpha-beta-ready" has the name of one of "alpha"; rename the file');
		expect(bot.plugins.ownerOf('listeners', 'alpha-beta-ready')).to.equal('alpha');
	});
});
