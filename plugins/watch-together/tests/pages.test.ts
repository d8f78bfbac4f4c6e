import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveActivity } from '../lib/activity-static.js';
import { ActivityFixture } from './activity-fixture.js';

/** An application id as Discord makes them: its Activity is served from <id>.discordsays.com. */
const CLIENT_ID = '123456789012345678';

/** The Activity's web app as the bot serves it: beside the API on the same server, from the build folder only. */
describe('watch-together: the Activity’s pages', function () {
	this.timeout(60_000);

	describe('through the bot', () => {
		let fixture: ActivityFixture;
		let origin: string;
		before(async () => {
			fixture = await ActivityFixture.start();
			origin = new URL(fixture.api).origin;
		});
		after(async () => {
			await fixture?.stop();
		});

		it('GIVEN /activity with Discord’s query THEN a redirect to /activity/ keeping it', async () => {
			const response = await fetch(`${origin}/activity?frame_id=f1&instance_id=i-1`, { redirect: 'manual' });
			expect(response.status).to.equal(301);
			expect(response.headers.get('location')).to.equal('/activity/?frame_id=f1&instance_id=i-1');
		});

		it('GIVEN /activity/config.json THEN the application id, not cached', async () => {
			const response = await fetch(`${origin}/activity/config.json`);
			expect(await response.json()).to.deep.equal({ clientId: fixture.discord.applicationId });
			expect(response.headers.get('cache-control')).to.equal('no-store');
		});

		it('GIVEN the pages are mounted THEN the API beside them still answers, and its errors are its own', async () => {
			expect((await fetch(`${fixture.api}/ready`)).status).to.equal(200);
			expect((await fetch(`${origin}/api/v1/no-such-route`)).status).to.equal(404);
		});
	});

	describe('from a build folder', () => {
		let server: Server;
		let base: string;
		before(async () => {
			const root = mkdtempSync(join(tmpdir(), 'activity-build-'));
			mkdirSync(join(root, 'assets'));
			writeFileSync(join(root, 'index.html'), '<!doctype html><title>Watch</title>');
			writeFileSync(join(root, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
			writeFileSync(join(root, '..', 'secret.txt'), 'outside the build');
			server = createServer(
				(request, response) => void serveActivity(request, response, { clientId: CLIENT_ID, mediaOrigins: ['https://cdn.example.com'], root })
			);
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		after(() => new Promise<void>((resolve) => server.close(() => resolve())));

		it('GIVEN /activity/ THEN index.html, not cached, with a CSP naming the media hosts and framed only by Discord', async () => {
			const response = await fetch(`${base}/activity/`);
			expect(response.status).to.equal(200);
			expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
			expect(response.headers.get('cache-control')).to.equal('no-cache');
			const csp = response.headers.get('content-security-policy') ?? '';
			expect(csp).to.contain("script-src 'self'");
			expect(csp).to.contain('media-src ' + "'self' blob: https://cdn.example.com");
			expect(csp).to.contain(`frame-ancestors 'self' https://discord.com https://*.discord.com https://${CLIENT_ID}.discordsays.com`);
			// Only this application's Activity host: any other application's Activity framing the page is refused.
			expect(csp).to.not.contain('*.discordsays.com');
			expect(await response.text()).to.contain('<title>Watch</title>');
		});

		it('GIVEN a hashed asset THEN its type and a year of caching', async () => {
			const response = await fetch(`${base}/activity/assets/app-1a2b3c.js`);
			expect(response.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
			expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
		});

		it('GIVEN a bot started before the web app was built THEN a 503 page telling the operator to build it', async () => {
			const unbuilt = createServer(
				(request, response) =>
					void serveActivity(request, response, { clientId: '1', mediaOrigins: [], root: mkdtempSync(join(tmpdir(), 'activity-unbuilt-')) })
			);
			await new Promise<void>((resolve) => unbuilt.listen(0, '127.0.0.1', resolve));
			try {
				const response = await fetch(`http://127.0.0.1:${(unbuilt.address() as AddressInfo).port}/activity/`);
				expect(response.status).to.equal(503);
				expect(response.headers.get('content-type')).to.equal('text/html; charset=utf-8');
				expect(await response.text()).to.contain('npm run build');
			} finally {
				await new Promise<void>((resolve) => unbuilt.close(() => resolve()));
			}
		});

		it('ATTACK: a path that climbs out of the build folder THEN 404, never the file', async () => {
			for (const path of ['/activity/../secret.txt', '/activity/%2e%2e/secret.txt', '/activity/assets/%2e%2e/%2e%2e/secret.txt']) {
				const response = await fetch(`${base}${path}`);
				expect(response.status, path).to.equal(404);
				expect(await response.text(), path).to.not.contain('outside the build');
			}
			expect((await fetch(`${base}/activity/`, { method: 'POST' })).status).to.equal(405);
		});
	});
});
