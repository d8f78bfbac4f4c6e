import { expect } from 'chai';
import { BotProcess } from '../../harness/bot-process.js';
import { rejectionOf } from '../../helpers/rejection-of.js';
import { TEST_SECRETS } from '../../helpers/test-bot.js';

describe('npm start: a bad environment variable of a plugin', function () {
	this.timeout(90_000);

	it('GIVEN NOTIFICATIONS_RETENTION_DAYS=0 THEN the bot does not start and says which variable, why, and which plugin reads it', async () => {
		const error = await rejectionOf(
			BotProcess.start({
				env: { ...TEST_SECRETS, KALTURA_PARTNER_ID: '1234', DISCORD_API_URL: 'http://127.0.0.1:9/api', NOTIFICATIONS_RETENTION_DAYS: '0' },
				readyTimeoutMs: 60_000
			})
		);
		const output = error instanceof Error ? error.message : String(error);
		expect(output).to.include('The bot exited before it was ready');
		expect(output).to.include(
			[
				'Cannot start: 1 environment variable needs attention:',
				'  - NOTIFICATIONS_RETENTION_DAYS must be at least 1 (read by the notifications plugin)',
				'See README.md#configuration and .env.example.'
			].join('\n')
		);
		for (const secret of Object.values(TEST_SECRETS)) expect(output).to.not.include(secret);
	});
});
