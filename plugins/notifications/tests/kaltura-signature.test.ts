import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { HASH_ALGO_HEADER, SIGNATURE_HEADER, verifyKalturaSignature, type WebhookHash } from '../lib/kaltura-signature.js';

const SECRET = 'partner-admin-secret-0123456789';
const BODY = Buffer.from('{"eventType":"entryReady","object":{"id":"0_abc"}}');

/** What Kaltura sends: lower-case hex of HASH(admin secret + raw body), KDispatchHttpNotificationEngine. */
const signed = (hash: WebhookHash, body = BODY, secret = SECRET) =>
	createHash(hash)
		.update(secret + body.toString('utf8'))
		.digest('hex');

describe('verifyKalturaSignature', () => {
	for (const hash of ['sha1', 'sha256', 'sha512'] as const) {
		it(`GIVEN a ${hash} signature named by its header and pinned THEN it passes, in either case and with surrounding spaces`, () => {
			expect(verifyKalturaSignature(SECRET, BODY, signed(hash), hash, hash)).to.equal(true);
			expect(verifyKalturaSignature(SECRET, BODY, ` ${signed(hash).toUpperCase()} `, ` ${hash.toUpperCase()} `, hash)).to.equal(true);
		});

		it(`GIVEN a ${hash} pin THEN another body, another secret or one changed character fails`, () => {
			expect(verifyKalturaSignature(SECRET, Buffer.concat([BODY, Buffer.from(' ')]), signed(hash), hash, hash)).to.equal(false);
			expect(verifyKalturaSignature(SECRET, BODY, signed(hash, BODY, 'another-secret'), hash, hash)).to.equal(false);
			const signature = signed(hash);
			const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
			expect(verifyKalturaSignature(SECRET, BODY, flipped, hash, hash)).to.equal(false);
		});
	}

	it('GIVEN a signature of another hash than the pinned one THEN it fails, whatever the header says', () => {
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha1'), 'sha1', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha256'), 'sha1', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha1'), 'sha256', 'sha1')).to.equal(false);
	});

	it('GIVEN no hash header THEN only a SHA-1 pin accepts (servers from before the header), and only a SHA-1 signature', () => {
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha1'), undefined, 'sha1')).to.equal(true);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha256'), undefined, 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha256'), undefined, 'sha1')).to.equal(false);
	});

	it('GIVEN a missing or repeated signature, or a repeated hash header THEN it fails', () => {
		expect(verifyKalturaSignature(SECRET, BODY, undefined, 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, [signed('sha256')], 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, [signed('sha256'), signed('sha256')], 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha256'), ['sha256'], 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, signed('sha256'), ['sha256', 'sha256'], 'sha256')).to.equal(false);
	});

	it('GIVEN a malformed signature THEN it fails without throwing: wrong length, non-hex, a valid prefix with junk after it', () => {
		const good = signed('sha256');
		for (const signature of [
			'',
			good.slice(0, -2),
			`${good}00`,
			`${good.slice(0, -1)}g`,
			`${good.slice(0, 32)}${'z'.repeat(32)}`,
			'x'.repeat(64),
			`${good.slice(0, -2)} 0`
		]) {
			expect(() => verifyKalturaSignature(SECRET, BODY, signature, 'sha256', 'sha256'), signature).to.not.throw();
			expect(verifyKalturaSignature(SECRET, BODY, signature, 'sha256', 'sha256'), signature).to.equal(false);
		}
	});

	it('GIVEN an HMAC of the body, or the hash of the body alone THEN it fails: Kaltura hashes secret and body concatenated', () => {
		expect(verifyKalturaSignature(SECRET, BODY, createHmac('sha256', SECRET).update(BODY).digest('hex'), 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, createHash('sha256').update(BODY).digest('hex'), 'sha256', 'sha256')).to.equal(false);
		expect(verifyKalturaSignature(SECRET, BODY, createHash('sha256').update(BODY).update(SECRET).digest('hex'), 'sha256', 'sha256')).to.equal(
			false
		);
	});

	it('GIVEN Kaltura’s headers as its dispatcher writes them (X-KALTURA-SIGNATURE, X-KALTURA-HASH-ALGO) THEN the names find them in a Node request', async () => {
		// Node lower-cases incoming header names; the route reads request.headers[SIGNATURE_HEADER] and [HASH_ALGO_HEADER].
		let received: IncomingHttpHeaders = {};
		const server = createServer((request, response) => {
			received = request.headers;
			response.end();
		});
		await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
		try {
			const { port } = server.address() as AddressInfo;
			await fetch(`http://127.0.0.1:${port}/`, {
				method: 'POST',
				body: BODY,
				headers: { 'X-KALTURA-SIGNATURE': signed('sha256'), 'X-KALTURA-HASH-ALGO': 'sha256' }
			});
		} finally {
			await new Promise((done) => server.close(done));
		}
		expect(verifyKalturaSignature(SECRET, BODY, received[SIGNATURE_HEADER], received[HASH_ALGO_HEADER], 'sha256')).to.equal(true);
	});

	it('GIVEN a secret and body with non-ASCII characters THEN both are hashed as UTF-8 bytes', () => {
		const body = Buffer.from('{"name":"Zoë’s vidéo"}', 'utf8');
		const secret = 'sécret-ünïcode-0123456789';
		expect(
			verifyKalturaSignature(
				secret,
				body,
				createHash('sha256').update(Buffer.from(secret, 'utf8')).update(body).digest('hex'),
				'sha256',
				'sha256'
			)
		).to.equal(true);
		expect(
			verifyKalturaSignature(
				secret,
				body,
				createHash('sha256').update(Buffer.from(secret, 'latin1')).update(body).digest('hex'),
				'sha256',
				'sha256'
			)
		).to.equal(false);
	});
});
