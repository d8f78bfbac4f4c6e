import { expect } from 'chai';
import { DiscordjsErrorCodes } from 'discord.js';
import { discordLoginFailure, networkAdvice, StartupFailure, startupStep } from '../../../src/core/startup-failure.js';

const REST = { api: 'https://discord.com/api', version: '10' };

/** An error as Node, undici or discord.js throws it: a message and a `code`. */
function systemError(code: string, message: string): Error {
	return Object.assign(new Error(message), { code });
}

describe('Start-up failures', function () {
	it('GIVEN Discord refusing the token THEN DISCORD_TOKEN and where to get a new one are named', function () {
		const failure = discordLoginFailure(systemError(DiscordjsErrorCodes.TokenInvalid, 'An invalid token was provided.'), REST, null);

		expect(failure.message).to.equal(
			'Logging in to Discord failed.\n' +
				'  Tried: GET https://discord.com/api/v10/gateway/bot\n' +
				'  Error: An invalid token was provided.\n' +
				'  Check: DISCORD_TOKEN: Discord refused it. Copy the bot token again from the developer portal (your application → Bot → Reset Token); a client secret or an OAuth2 token will not do'
		);
	});

	it('GIVEN the gateway closing for a privileged intent THEN the gateway and DISCORD_PRIVILEGED_INTENTS are named', function () {
		const failure = discordLoginFailure(new Error('Used disallowed intents'), REST, 'wss://gateway.discord.gg/');

		expect(failure.step).to.equal("Connecting to Discord's gateway");
		expect(failure.target).to.equal('wss://gateway.discord.gg/');
		expect(failure.advice).to.match(/^DISCORD_PRIVILEGED_INTENTS: .*Privileged Gateway Intents/);
	});

	it('GIVEN the gateway unreachable after the REST call succeeded THEN the gateway, not the REST API, is named', function () {
		const failure = discordLoginFailure(systemError('ETIMEDOUT', 'connect ETIMEDOUT 162.159.135.234:443'), REST, 'wss://gateway.discord.gg/');

		expect(failure.step).to.equal("Connecting to Discord's gateway");
		expect(failure.advice).to.include('the connection to gateway.discord.gg does not get through: check the firewall and any proxy');
	});

	it('GIVEN a server that answers but is not Discord THEN its HTTP status is what to check', function () {
		const failure = discordLoginFailure(Object.assign(new Error('404: Not Found'), { status: 404 }), REST, null);

		expect(failure.advice).to.include('the server answered HTTP 404');
	});

	it('GIVEN a cause hidden behind "fetch failed" THEN its code still picks the advice', function () {
		const advice = networkAdvice(
			new TypeError('fetch failed', { cause: systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND discord.com') }),
			'https://discord.com/api',
			'DISCORD_API_URL'
		);

		expect(advice).to.match(/^the name discord\.com does not resolve/);
	});

	it('GIVEN a certificate a proxy re-signed THEN NODE_EXTRA_CA_CERTS is named', function () {
		expect(
			networkAdvice(
				systemError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
				'https://discord.com/api',
				'DISCORD_API_URL'
			)
		).to.include('NODE_EXTRA_CA_CERTS');
	});

	it('GIVEN a step that fails THEN the failure keeps the original error as its cause, and a StartupFailure passes through unchanged', async function () {
		const original = systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6379');
		const step = { step: 'Connecting to Redis', target: 'redis://127.0.0.1:6379', advice: () => 'REDIS_URL' };

		const failure = await startupStep(step, () => Promise.reject(original)).catch((error: unknown) => error);
		const passed = await startupStep(step, () => Promise.reject(failure)).catch((error: unknown) => error);

		expect(failure).to.be.instanceOf(StartupFailure).with.property('cause', original);
		expect(passed).to.equal(failure);
	});
});
