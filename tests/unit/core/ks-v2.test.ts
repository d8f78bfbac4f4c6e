import { createDecipheriv, createHash } from 'node:crypto';
import { expect } from 'chai';
import { buildKsV2, KalturaSessionType, type KsRequest } from '../../../src/core/kaltura/ks-v2.js';
import { parseKs } from '../../harness/kaltura/ks.js';

const SECRET = 'partner-admin-secret-0123456789';
const NOW = 1_700_000_000;
const request = (overrides: Partial<KsRequest> = {}): KsRequest => ({
	partnerId: 987,
	adminSecret: SECRET,
	userId: 'discord_42',
	type: KalturaSessionType.User,
	expirySeconds: 600,
	privileges: '',
	now: NOW,
	...overrides
});

/**
 * A KS v2 taken apart byte by byte, as kaltura/server kSessionBase::parseKsV2 reads it: `v2|<partner>|`
 * then AES-128-CBC (key SHA-1(secret)[0..16], zero IV) over SHA-1(plain) + plain, zero-padded to the block.
 */
function openKs(ks: string, secret = SECRET) {
	expect(ks).to.match(/^[A-Za-z0-9_=-]+$/, 'base64url with its = padding');
	const bytes = Buffer.from(ks.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
	const second = bytes.indexOf('|', 3);
	const header = bytes.subarray(0, second + 1).toString('utf8');
	const encrypted = bytes.subarray(second + 1);
	const decipher = createDecipheriv('aes-128-cbc', createHash('sha1').update(secret).digest().subarray(0, 16), Buffer.alloc(16));
	decipher.setAutoPadding(false);
	const padded = Buffer.concat([decipher.update(encrypted), decipher.final()]);
	return { header, encrypted, padded };
}

/** The signed part without its padding: the SHA-1 and the 16 random bytes, then the form-encoded fields. */
function fieldsOf(padded: Buffer): string {
	let end = padded.length;
	while (end > 0 && padded[end - 1] === 0) end--;
	const signed = padded.subarray(0, end);
	expect(createHash('sha1').update(signed.subarray(20)).digest().equals(signed.subarray(0, 20)), 'SHA-1 of the plain text first').to.equal(true);
	return signed.subarray(36).toString('utf8');
}

describe('buildKsV2', () => {
	it('GIVEN privileges THEN they are form-encoded in order, * as all=*, a bare name with an empty value, blanks skipped, then _e, _t and _u', () => {
		const { header, padded } = openKs(buildKsV2(request({ privileges: ' role:viewerRole, ,eventId:55,*,bare,firstName:Zoë & Co,url:a:b,' })));
		expect(header).to.equal('v2|987|');
		expect(fieldsOf(padded)).to.equal(
			`role=viewerRole&eventId=55&all=*&bare=&firstName=Zo%C3%AB+%26+Co&url=a%3Ab&_e=${NOW + 600}&_t=0&_u=discord_42`
		);
	});

	it('GIVEN an admin session and no privileges THEN only the expiry, type and user are signed', () => {
		const { padded } = openKs(buildKsV2(request({ type: KalturaSessionType.Admin, userId: '', expirySeconds: 86_400 })));
		expect(fieldsOf(padded)).to.equal(`_e=${NOW + 86_400}&_t=2&_u=`);
	});

	it('GIVEN no clock THEN the expiry counts from now, in whole seconds', () => {
		const before = Math.floor(Date.now() / 1000);
		const expiry = parseKs(buildKsV2(request({ now: undefined })), SECRET).expiry;
		const after = Math.floor(Date.now() / 1000);
		expect(expiry).to.be.within(before + 600, after + 600);
	});

	it('GIVEN any length of plain text THEN it is zero-padded to whole AES blocks, with no block of padding alone', () => {
		for (let length = 0; length < 40; length++) {
			const { encrypted, padded } = openKs(buildKsV2(request({ userId: 'u'.repeat(length) })));
			expect(encrypted.length % 16).to.equal(0);
			const trailingZeros = padded.length - 1 - padded.findLastIndex((byte) => byte !== 0);
			expect(trailingZeros, `padding of a ${length}-character user`).to.be.lessThan(16);
		}
	});

	it('GIVEN two KS for the same request THEN they differ (16 random bytes lead the plain text) and both verify', () => {
		const first = buildKsV2(request());
		const second = buildKsV2(request());
		expect(first).to.not.equal(second);
		for (const ks of [first, second])
			expect(parseKs(ks, SECRET)).to.include({ partnerId: 987, userId: 'discord_42', type: 0, expiry: NOW + 600 });
	});

	it('GIVEN the KS THEN it is URL-safe base64 of the whole, + and / replaced, = kept, and starts djJ8 (v2|)', () => {
		// Enough KS that the standard alphabet's + and / would show up in some of them.
		const many = Array.from({ length: 50 }, (_, index) => buildKsV2(request({ userId: `user-${index}` })));
		for (const ks of many) {
			expect(ks.startsWith('djJ8')).to.equal(true);
			expect(ks).to.not.match(/[+/]/);
			expect(Buffer.from(ks, 'base64url').toString('base64url')).to.equal(ks.replace(/=+$/, ''));
		}
		expect(many.some((ks) => ks.includes('-') || ks.includes('_'))).to.equal(true);
		expect(many.some((ks) => ks.endsWith('='))).to.equal(true);
	});

	it('GIVEN the wrong secret THEN Kaltura’s parser refuses the KS', () => {
		expect(() => parseKs(buildKsV2(request()), 'another-secret-another-secret')).to.throw(/signature mismatch|too short/);
	});
});
