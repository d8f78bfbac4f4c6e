import { expect } from 'chai';
import { userFacingFailure, withUserFacingFailures } from '../../../src/core/errors/kaltura-failure.js';
import { UserFacingError } from '../../../src/core/errors/user-facing-error.js';
import { KalturaError, toKalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';

/** The one translation of failures members are meant to read into a UserFacingError, and what it leaves alone. */
describe('userFacingFailure', () => {
	const asUserFacing = (error: unknown): UserFacingError => {
		const translated = userFacingFailure(error, 'Starting the meeting');
		expect(translated).to.be.instanceOf(UserFacingError);
		return translated as UserFacingError;
	};

	it('GIVEN an "error code" that is no Kaltura code (markdown, a mention, a KS) THEN it is never quoted to anyone', () => {
		const forged = toKalturaError({ code: '@everyone [click](https://evil.example) djJ8MTIzfHNlY3JldA', message: 'x' });
		expect(forged.code).to.equal('BAD_RESPONSE');
		const translated = asUserFacing(forged);
		for (const text of [translated.message, translated.apiMessage, forged.message]) {
			expect(text).to.not.include('@everyone');
			expect(text).to.not.include('evil.example');
			expect(text).to.not.include('djJ8');
		}
		// A real, unknown Kaltura code is still named, as before.
		expect(toKalturaError({ code: 'SOME_NEW_ERROR', message: 'x' }).userMessage).to.equal('Kaltura refused the request (SOME_NEW_ERROR).');
	});

	it('GIVEN Kaltura is busy THEN 503 kaltura_error; the member reads what did not work and why, the API only why', () => {
		const busy = asUserFacing(toKalturaError({ code: 'ACTION_BLOCKED', message: 'blocked by rule 7 for ks djJ8c2VjcmV0' }));
		expect(busy).to.include({ code: 'kaltura_error', status: 503 });
		expect(busy.message).to.equal('Starting the meeting did not work: Kaltura is busy right now; please try again in a minute.');
		expect(busy.apiMessage).to.equal('Kaltura is busy right now; please try again in a minute.');
		// Kaltura's own message (which may quote the KS) is never what the user reads.
		expect(`${busy.message} ${busy.apiMessage}`).to.not.include('djJ8');
	});

	it('GIVEN a Kaltura failure trying again will not fix THEN 502, in the sentence the caller makes of why', () => {
		const refused = userFacingFailure(new KalturaError('SERVICE_FORBIDDEN', 'Not allowed.', false), (why) => `The link was not made: ${why}`);
		expect(refused).to.be.instanceOf(UserFacingError);
		expect(refused).to.include({ status: 502, message: 'The link was not made: Not allowed.', apiMessage: 'Not allowed.' });
	});

	it('GIVEN a link the operator’s policy refuses THEN 409 link_not_allowed with the setting to fix', () => {
		const refused = asUserFacing(new LinkPolicyError('meetings.kafBaseUrl', 'its host is not in KALTURA_LINK_HOSTS'));
		expect(refused).to.include({ code: 'link_not_allowed', status: 409 });
		expect(refused.apiMessage).to.include('meetings.kafBaseUrl');
	});

	it('GIVEN any other error THEN it is handed back as it was, to be answered as a bug', async () => {
		const bug = new TypeError('cannot read x of undefined');
		expect(userFacingFailure(bug, 'Listing meetings')).to.equal(bug);
		const already = new UserFacingError('meeting_ended', 'That meeting has ended.', { status: 409 });
		expect(userFacingFailure(already, 'Listing meetings')).to.equal(already);
		let caught: unknown;
		await withUserFacingFailures('Listing meetings', () => Promise.reject(bug)).catch((error: unknown) => (caught = error));
		expect(caught).to.equal(bug);
	});
});
