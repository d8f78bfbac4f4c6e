import { expect } from 'chai';
import { Counter, Registry } from 'prom-client';
import { startMetricsServer, type MetricsServer } from '../lib/metrics-server.js';

describe('metrics plugin: its own HTTP server (METRICS_PORT)', () => {
	const registry = new Registry();
	const counter = new Counter({ name: 'kaltura_bot_test_total', help: 'A counter of the test', registers: [registry] });
	let failing = false;
	let server: MetricsServer;

	before(async () => {
		server = await startMetricsServer(
			{
				scrape: async () => {
					if (failing) throw new Error('collect failed');
					return { contentType: registry.contentType, text: await registry.metrics() };
				}
			},
			0,
			'127.0.0.1'
		);
	});

	after(() => server.close());

	const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

	it('GIVEN GET /metrics THEN the registry text with its content type', async () => {
		counter.inc(3);
		const response = await fetch(url('/metrics?x=1'));
		expect(response.status).to.equal(200);
		expect(response.headers.get('content-type')).to.equal(registry.contentType);
		expect(await response.text()).to.match(/^kaltura_bot_test_total 3$/m);
	});

	it('GIVEN another path THEN 404; another method THEN 405 naming GET', async () => {
		expect((await fetch(url('/'))).status).to.equal(404);
		const post = await fetch(url('/metrics'), { method: 'POST' });
		expect(post.status).to.equal(405);
		expect(post.headers.get('allow')).to.equal('GET, HEAD');
	});

	it('GIVEN collecting fails THEN 500 without the error text', async () => {
		failing = true;
		try {
			const response = await fetch(url('/metrics'));
			expect(response.status).to.equal(500);
			expect(await response.text()).to.not.include('collect failed');
		} finally {
			failing = false;
		}
	});

	it('GIVEN the port is taken THEN starting another server on it fails', async () => {
		const error = await startMetricsServer({ scrape: () => Promise.reject(new Error('unused')) }, server.port, '127.0.0.1').then(
			() => undefined,
			(failure: unknown) => failure
		);
		expect(error).to.be.instanceOf(Error).with.property('code', 'EADDRINUSE');
	});
});
