import { expect } from 'chai';
import { KalturaError, type AdminScope, type KalturaRequest } from '#sdk';
import { OWNER_NAME_TTL_MS, OwnerNames, publicNameOf, type OwnerLookup } from '../lib/owner-name.js';

/** A facade whose `user.get` answers `answer` (or throws it), counting the calls and the scopes asked for. */
function fakeFacade(answer: unknown): OwnerLookup & { calls: number; scopes: AdminScope[] } {
	return {
		partnerId: 99,
		calls: 0,
		scopes: [],
		async admin<T>(scope: AdminScope, request: KalturaRequest<T>): Promise<T> {
			this.calls += 1;
			this.scopes.push(scope);
			if (answer instanceof Error) throw answer;
			return request.parse(answer);
		}
	};
}

describe('videos plugin: the owner a share names', () => {
	it('GIVEN a full name, or only first and last, or only a screen name THEN that, in this order', () => {
		expect(publicNameOf({ id: 'a@b.example', fullName: 'Dana Scully', firstName: 'D', screenName: 'ds' })).to.equal('Dana Scully');
		expect(publicNameOf({ id: 'a@b.example', firstName: ' Dana ', lastName: 'Scully' })).to.equal('Dana Scully');
		expect(publicNameOf({ id: 'a@b.example', screenName: 'dscully' })).to.equal('dscully');
	});

	it('GIVEN only names that look like email addresses, or none THEN no name', () => {
		expect(publicNameOf({ id: 'a@b.example', screenName: 'a@b.example' })).to.equal(undefined);
		expect(publicNameOf({ id: 'a@b.example', fullName: 'x@y', firstName: '', screenName: ' ' })).to.equal(undefined);
		expect(publicNameOf({ id: 'owner' })).to.equal(undefined);
	});

	it('GIVEN a lookup THEN it asks for user.get only, and reuses the name until the TTL has passed', async () => {
		let now = 1_000;
		const names = new OwnerNames(() => now);
		const facade = fakeFacade({ id: 'dana@school.example', firstName: 'Dana', lastName: 'Scully', screenName: 'dana@school.example' });
		expect(await names.of(facade, 'dana@school.example')).to.equal('Dana Scully');
		now += OWNER_NAME_TTL_MS - 1;
		expect(await names.of(facade, 'dana@school.example')).to.equal('Dana Scully');
		expect(facade.calls).to.equal(1);
		now += 1;
		await names.of(facade, 'dana@school.example');
		expect(facade.calls).to.equal(2);
		expect(facade.scopes.map((scope) => scope.actions)).to.deep.equal([['user.get'], ['user.get']]);
	});

	it('GIVEN Kaltura has no such user THEN no name, kept; GIVEN it cannot be reached THEN no name, asked again next time', async () => {
		const names = new OwnerNames(() => 0);
		const missing = fakeFacade(new KalturaError('INVALID_USER_ID', 'No such user.', false));
		expect(await names.of(missing, 'gone')).to.equal(undefined);
		expect(await names.of(missing, 'gone')).to.equal(undefined);
		expect(missing.calls).to.equal(1);
		const down = fakeFacade(new KalturaError('UNREACHABLE', 'Kaltura cannot be reached right now.', true));
		expect(await names.of(down, 'someone')).to.equal(undefined);
		expect(await names.of(down, 'someone')).to.equal(undefined);
		expect(down.calls).to.equal(2);
	});

	it('GIVEN no owner id THEN nothing is asked', async () => {
		const facade = fakeFacade({ id: 'x' });
		expect(await new OwnerNames().of(facade, ' ')).to.equal(undefined);
		expect(facade.calls).to.equal(0);
	});
});
