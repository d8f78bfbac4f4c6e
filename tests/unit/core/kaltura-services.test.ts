import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { KalturaError } from '../../../src/core/kaltura/kaltura-error.js';
import { KalturaFacade, type AdminScope } from '../../../src/core/kaltura/kaltura-facade.js';
import { liveStream, media, scheduleEvent, user } from '../../../src/core/kaltura/services/index.js';
import { KalturaResponseError } from '../../../src/core/kaltura/services/kaltura-request.js';
import { SessionCache } from '../../../src/core/kaltura/session-cache.js';

const EVENT = { id: 12, summary: 'Standup', tags: 'discord_guild:1', startDate: 1_700_000_000, endDate: 1_700_003_600, status: 2 };

/** The error a call throws; fails the test when it does not throw. */
function thrownBy(call: () => unknown): unknown {
	try {
		call();
	} catch (error) {
		return error;
	}
	throw new Error('expected the call to throw');
}

describe('Typed Kaltura services: answers are parsed, not asserted', () => {
	describe('parsing one answer', () => {
		it('GIVEN a schedule event as Kaltura answers it THEN it is typed, with the fields the bot does not read stripped', () => {
			const event = scheduleEvent.get(12).parse({ ...EVENT, objectType: 'KalturaRecordScheduleEvent', partnerId: 5 });
			expect(event).to.deep.equal(EVENT);
			expect(event.id + 1).to.equal(13);
		});

		it('GIVEN an event whose id is text and whose dates are missing THEN it is refused, naming the action and each field', () => {
			const error = thrownBy(() => scheduleEvent.get(12).parse({ ...EVENT, id: '12', startDate: undefined }));
			expect(error).to.be.instanceOf(KalturaResponseError).and.instanceOf(KalturaError);
			expect(error).to.include({ code: 'BAD_RESPONSE', transient: false, action: 'schedule_scheduleevent.get' });
			expect((error as KalturaResponseError).problems.join('\n'))
				.to.match(/^id: .*expected number/m)
				.and.match(/^startDate: /m);
			expect((error as Error).message).to.include("Kaltura's answer to schedule_scheduleevent.get was not understood");
			expect((error as KalturaError).userMessage).to.equal('Kaltura gave an answer the bot did not understand.');
		});

		it('GIVEN no answer at all, or a list that is not one THEN it is refused', () => {
			expect(thrownBy(() => user.get('u').parse(null)))
				.to.be.instanceOf(KalturaResponseError)
				.with.property('problems')
				.that.deep.equals(['(answer): Invalid input: expected object, received null']);
			expect(
				thrownBy(() =>
					media
						.list({ freeText: 'x', statusEqual: 2, orderBy: '-createdAt' }, { pageSize: 5, pageIndex: 1 })
						.parse({ objects: {}, totalCount: 1 })
				)
			)
				.to.be.instanceOf(KalturaResponseError)
				.with.property('action', 'media.list');
		});

		it('GIVEN an empty list THEN its objects are an empty array (Kaltura leaves them out of the JSON)', () => {
			const page = media.list({ freeText: 'x', statusEqual: 2, orderBy: '-createdAt' }, { pageSize: 5, pageIndex: 1 }).parse({ totalCount: 0 });
			expect(page).to.deep.equal({ objects: [], totalCount: 0 });
		});

		it('GIVEN a refused answer carrying a stream password THEN the error names the field, never its value', () => {
			const error = thrownBy(() =>
				liveStream
					.add({ name: 'n', description: '', mediaType: 201, tags: '' }, '32')
					.parse({ id: '1_abc', primaryBroadcastingUrl: { t: 'secret-password' } })
			);
			expect(error).to.be.instanceOf(KalturaResponseError);
			expect(JSON.stringify({ message: (error as Error).message, problems: (error as KalturaResponseError).problems })).to.not.include(
				'secret-password'
			);
			expect((error as KalturaResponseError).problems).to.have.lengthOf(1);
			expect((error as KalturaResponseError).problems[0]).to.match(/^primaryBroadcastingUrl: /);
		});
	});

	describe('through the facade, against a server that answers what the test says', () => {
		let server: Server;
		let answers: unknown[];
		const bodies: Record<string, unknown>[] = [];
		const scope: AdminScope = { actions: ['schedule_scheduleevent.get', 'user.get'], why: 'the test reads events and users' };
		let facade: KalturaFacade;

		before(async () => {
			server = createServer((request, response) => {
				let body = '';
				request.on('data', (chunk: Buffer) => (body += chunk.toString()));
				request.on('end', () => {
					bodies.push(JSON.parse(body) as Record<string, unknown>);
					response.setHeader('content-type', 'application/json');
					response.end(JSON.stringify(answers.shift() ?? null));
				});
			});
			await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
			const { port } = server.address() as AddressInfo;
			facade = new KalturaFacade(
				{ serviceUrl: `http://127.0.0.1:${port}`, partnerId: 5, timeoutMs: 2_000 },
				new SessionCache({ mint: () => Promise.resolve({ ks: 'test-ks' }) })
			);
		});
		after(() => new Promise<void>((closed) => server.close(() => closed())));
		beforeEach(() => {
			bodies.length = 0;
		});

		it('GIVEN a good answer THEN admin() resolves with the parsed event, and the request is the one kaltura-client builds', async () => {
			answers = [{ ...EVENT, objectType: 'KalturaRecordScheduleEvent' }];
			const event = await facade.admin(scope, scheduleEvent.get(12));
			expect(event).to.deep.equal(EVENT);
			expect(bodies[0]).to.include({ scheduleEventId: 12, ks: 'test-ks', partnerId: 5 });
		});

		it('GIVEN an answer of the wrong shape THEN admin() rejects with a KalturaResponseError, not a wrong object', async () => {
			answers = [{ id: 'not-a-number' }];
			const failure = await facade.admin(scope, scheduleEvent.get(12)).then(
				() => undefined,
				(error: unknown) => error
			);
			expect(failure).to.be.instanceOf(KalturaResponseError).and.include({ code: 'BAD_RESPONSE', action: 'schedule_scheduleevent.get' });
		});

		it('GIVEN a batch with one good and one malformed answer THEN only the malformed one is a failure', async () => {
			answers = [[{ id: 'a', status: 1 }, { id: 7 }]];
			const outcomes = await facade.adminBatch(scope, () => [user.get('a'), user.get('b')]);
			expect(outcomes[0]).to.deep.equal({ ok: true, value: { id: 'a', status: 1 } });
			expect(outcomes[1]).to.have.property('ok', false);
			expect(outcomes[1]!.ok ? undefined : outcomes[1]!.error)
				.to.be.instanceOf(KalturaResponseError)
				.and.include({ action: 'user.get' });
			// One multirequest, each request in its slot.
			expect(bodies).to.have.lengthOf(1);
			expect(bodies[0]).to.deep.include({
				0: { userId: 'a', format: 1, service: 'user', action: 'get' },
				1: { userId: 'b', format: 1, service: 'user', action: 'get' }
			});
		});

		it('GIVEN a typed request outside the scope THEN it is refused before anything is sent', async () => {
			const failure = await facade
				.admin(scope, media.list({ freeText: 'x', statusEqual: 2, orderBy: '-createdAt' }, { pageSize: 1, pageIndex: 1 }))
				.then(
					() => undefined,
					(error: unknown) => error
				);
			expect(failure).to.be.instanceOf(TypeError);
			expect(bodies).to.have.lengthOf(0);
		});
	});
});
