import { Middleware, type ApiRequest, type ApiResponse, type Route } from '@sapphire/plugin-api';
import { Events } from '@sapphire/framework';
import { expect } from 'chai';
import { PublicApiRoute } from '../../../src/core/api/api-route.js';
import { KalturaStandIn } from '../../harness/kaltura/index.js';
import { ADMIN, MEMBER, chatInputInteraction, dispatchInteraction, stringOption } from '../../helpers/raw-interactions.js';
import { RestRecorder } from '../../helpers/rest-recorder.js';
import { prepareTestBot, PROJECT_PLUGINS, TEST_SECRETS, type TestBot } from '../../helpers/test-bot.js';

const GUILD = '100000000000000001';
/** A guild where the videos plugin is off. */
const OFF_GUILD = '100000000000000004';
const PROXY_ID = 'edge-7f3a9c21.lb-02';

/** A route that logs before and after an awaited timer, as a route awaiting Kaltura or storage would. */
class LoggingProbeRoute extends PublicApiRoute {
	public constructor(context: Route.LoaderContext) {
		super(context, { version: 1, path: 'log-probe', methods: ['GET'], name: 'logProbe' });
	}

	protected async handle(_request: ApiRequest, response: ApiResponse): Promise<void> {
		this.container.logger.info('log probe before the wait');
		await new Promise((resolve) => setTimeout(resolve, 5));
		this.container.logger.info('log probe after the wait');
		response.json({ ok: true });
	}
}

/** A middleware that fails on one path (before the 404 of the headers middleware), to see the middleware error listener log under the request's id. */
class FailingProbeMiddleware extends Middleware {
	public constructor(context: Middleware.LoaderContext) {
		super(context, { position: 7 });
	}

	public override run(request: ApiRequest) {
		if (request.url?.endsWith('/middleware-probe') === true) throw new Error('middleware probe failed');
	}
}

type LogLine = Record<string, unknown>;

describe('log context: every line of an interaction or API request carries its ids', () => {
	let recorder: RestRecorder;
	let kaltura: KalturaStandIn;
	let bot: TestBot;

	const jsonLines = (): LogLine[] => bot.log.lines.map((line): LogLine => JSON.parse(line));

	before(async () => {
		recorder = await new RestRecorder().start();
		kaltura = await KalturaStandIn.start({ partnerId: 4321, adminSecret: TEST_SECRETS.KALTURA_ADMIN_SECRET });
		kaltura.state.addEntry({ name: 'Intro to cats', tags: 'cats' });
		bot = await prepareTestBot(recorder, {
			...PROJECT_PLUGINS,
			// Production writes JSON lines, which is what a log stack reads.
			env: { NODE_ENV: 'production', KALTURA_SERVICE_URL: kaltura.serviceUrl, KALTURA_PARTNER_ID: '4321', KALTURA_TIMEOUT_MS: '600' }
		});
		await bot.guildConfig.set(GUILD, 'plugins.videos.enabled', true);
		await bot.client.stores.loadPiece({ store: 'routes', name: 'logProbe', piece: LoggingProbeRoute });
		await bot.client.stores.loadPiece({ store: 'middlewares', name: 'failingProbe', piece: FailingProbeMiddleware });
	});

	after(async () => {
		await bot?.stop();
		await kaltura?.stop();
		await recorder?.stop();
	});

	afterEach(() => kaltura.faults.clear());

	it('GIVEN /video search whose Kaltura call fails THEN the lines logged after the call carry the interaction id, guild and command, and nothing after it does', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'media', action: 'list' }, args: { SERVICE: 'media->list' } });
		const raw = chatInputInteraction({
			guildId: GUILD,
			member: MEMBER,
			name: 'video',
			subcommand: 'search',
			options: [stringOption('query', 'cats')]
		});
		const before = bot.log.lines.length;
		dispatchInteraction(bot.client, raw);
		await recorder.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${raw.token}/messages/(@|%40)original`));
		// Logged by this test, after the interaction: the context must not have leaked into the dispatching code.
		bot.logger.info('after the interaction');

		const lines = jsonLines().slice(before);
		// Sapphire's own error listener, run for the command's failure, logs inside the context too.
		const sapphireLine = lines.find((line) => String(line.message).startsWith('Encountered error on chat input command'));
		expect(sapphireLine).to.include({ interactionId: raw.id, guildId: GUILD, command: 'video' });
		const kalturaLine = lines.find((line) => String(line.message).includes('Kaltura SERVICE_FORBIDDEN'));
		expect(kalturaLine, JSON.stringify(lines)).to.include({ interactionId: raw.id, guildId: GUILD, command: 'video', level: 'warn' });
		expect(kalturaLine).to.have.property('timestamp').that.is.a('string');
		const outside = lines.find((line) => line.message === 'after the interaction');
		expect(outside).to.not.have.any.keys('interactionId', 'guildId', 'command');
	});

	it('GIVEN a command a precondition refuses THEN what runs on the refusal logs inside the interaction’s context', async () => {
		// Sapphire emits the denial after awaiting the command's preconditions: a line logged there shows the context got through them.
		const logDenial = () => bot.logger.info('denial seen');
		bot.client.on(Events.ChatInputCommandDenied, logDenial);
		try {
			const raw = chatInputInteraction({
				guildId: OFF_GUILD,
				member: MEMBER,
				name: 'video',
				subcommand: 'search',
				options: [stringOption('query', 'cats')]
			});
			const before = bot.log.lines.length;
			dispatchInteraction(bot.client, raw);
			await recorder.waitFor('POST', new RegExp(`^/interactions/${raw.id}/`));
			const denial = jsonLines()
				.slice(before)
				.find((line) => line.message === 'denial seen');
			expect(denial).to.include({ interactionId: raw.id, guildId: OFF_GUILD, command: 'video' });
		} finally {
			bot.client.off(Events.ChatInputCommandDenied, logDenial);
		}
	});

	it('GIVEN two interactions at once THEN each line carries its own interaction’s id', async () => {
		kaltura.faults.error('SERVICE_FORBIDDEN', { match: { service: 'media', action: 'list' }, args: { SERVICE: 'media->list' }, times: 2 });
		// Two members: one member's searches share a rate limit.
		const raws = [
			{ member: MEMBER, query: 'cats' },
			{ member: ADMIN, query: 'dogs' }
		].map(({ member, query }) =>
			chatInputInteraction({ guildId: GUILD, member, name: 'video', subcommand: 'search', options: [stringOption('query', query)] })
		);
		const before = bot.log.lines.length;
		for (const raw of raws) dispatchInteraction(bot.client, raw);
		await Promise.all(raws.map((raw) => recorder.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${raw.token}/messages/(@|%40)original`))));
		const ids = jsonLines()
			.slice(before)
			.filter((line) => String(line.message).includes('Kaltura SERVICE_FORBIDDEN'))
			.map((line) => line.interactionId);
		expect(ids).to.have.members(raws.map((raw) => raw.id));
	});

	it('GIVEN an API request THEN its lines carry its request id, which the response sends back', async () => {
		const before = bot.log.lines.length;
		const response = await fetch(`${bot.apiUrl()}/log-probe`);
		expect(response.status).to.equal(200);
		const requestId = response.headers.get('x-request-id');
		expect(requestId).to.match(/^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/);
		const probes = jsonLines()
			.slice(before)
			.filter((line) => String(line.message).startsWith('log probe'));
		expect(probes.map((line) => line.requestId)).to.deep.equal([requestId, requestId]);
	});

	it('GIVEN a well-formed X-Request-Id from a proxy THEN it is kept, in the header and the lines', async () => {
		const before = bot.log.lines.length;
		const response = await fetch(`${bot.apiUrl()}/log-probe`, { headers: { 'X-Request-Id': PROXY_ID } });
		expect(response.headers.get('x-request-id')).to.equal(PROXY_ID);
		const probe = jsonLines()
			.slice(before)
			.find((line) => line.message === 'log probe after the wait');
		expect(probe).to.include({ requestId: PROXY_ID });
	});

	for (const [forgery, value] of [
		['an overlong id', 'a'.repeat(65)],
		['an escaped line break and a forged line', 'abc12345\\n{"level":"error","message":"forged"}'],
		['markup', '<script>alert(1)</script>'],
		['too short an id', 'abc']
	] as const) {
		it(`GIVEN an X-Request-Id with ${forgery} THEN a fresh id replaces it`, async () => {
			const before = bot.log.lines.length;
			const response = await fetch(`${bot.apiUrl()}/log-probe`, { headers: { 'X-Request-Id': value } });
			const requestId = response.headers.get('x-request-id');
			expect(requestId).to.not.equal(value);
			expect(requestId).to.match(/^[\da-f-]{36}$/);
			const probe = jsonLines()
				.slice(before)
				.find((line) => line.message === 'log probe after the wait');
			expect(probe).to.include({ requestId });
		});
	}

	it('GIVEN a middleware that fails THEN the failure is logged under the request id the 500 answer carries', async () => {
		const before = bot.log.lines.length;
		const response = await fetch(`${bot.apiUrl()}/middleware-probe`);
		expect(response.status).to.equal(500);
		const requestId = response.headers.get('x-request-id');
		const failure = jsonLines()
			.slice(before)
			.find((line) => String(line.message).startsWith('An API middleware failed'));
		expect(failure).to.include({ requestId, level: 'error' });
	});

	it('GIVEN a request no route answers THEN the 404 still has a request id', async () => {
		const response = await fetch(`${bot.apiUrl()}/no-such-route`);
		expect(response.status).to.equal(404);
		expect(response.headers.get('x-request-id')).to.match(/^[\da-f-]{36}$/);
	});
});
