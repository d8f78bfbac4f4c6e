import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { ApiTokenService, GUILD_MANAGE_SCOPE, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../src/core/auth/api-tokens.js';

const SECRET = 'a-secret-for-tests-that-is-32-bytes-or-more';
const service = new ApiTokenService(SECRET);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
	sub: '1',
	guild_id: '2',
	scope: [GUILD_MANAGE_SCOPE],
	jti: 'j',
	iss: TOKEN_ISSUER,
	aud: TOKEN_AUDIENCE,
	iat: now(),
	exp: now() + 60,
	...extra
});
const signRaw = (header: object, payload: object, key = SECRET) => {
	const unsigned = `${base64url(header)}.${base64url(payload)}`;
	return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
};

describe('ApiTokenService', () => {
	it('GIVEN an issued token THEN it verifies with its claims and a unique jti', () => {
		const first = service.verify(service.issue({ userId: '10', guildId: '20', scope: [GUILD_MANAGE_SCOPE] }));
		const second = service.verify(service.issue({ userId: '10', guildId: '20', scope: [GUILD_MANAGE_SCOPE] }));
		expect(first.ok && second.ok).to.equal(true);
		if (!first.ok || !second.ok) return;
		expect(first.claims).to.include({ sub: '10', guild_id: '20' });
		expect(first.claims.exp - first.claims.iat).to.equal(15 * 60);
		expect(first.claims.jti).to.not.equal(second.claims.jti);
	});

	const attacks: Record<string, () => string> = {
		'alg none': () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`,
		'HS512 instead of HS256': () => jwt.sign(claims(), SECRET, { algorithm: 'HS512' }),
		expired: () => jwt.sign(claims({ exp: now() - 10 }), SECRET, { algorithm: 'HS256' }),
		'not yet valid': () => jwt.sign(claims({ nbf: now() + 600 }), SECRET, { algorithm: 'HS256' }),
		'wrong audience': () => jwt.sign(claims({ aud: 'someone-else' }), SECRET, { algorithm: 'HS256' }),
		'wrong issuer': () => jwt.sign(claims({ iss: 'someone-else' }), SECRET, { algorithm: 'HS256' }),
		'no expiry': () => signRaw({ alg: 'HS256', typ: 'JWT' }, { ...claims(), exp: undefined }),
		'tampered payload': () => {
			const [header, , signature] = service.issue({ userId: '1', guildId: '2', scope: [GUILD_MANAGE_SCOPE] }).split('.');
			return `${header}.${base64url(claims({ guild_id: '999' }))}.${signature}`;
		},
		'signed with another secret': () => jwt.sign(claims(), 'another-secret-another-secret-another', { algorithm: 'HS256' })
	};

	for (const [name, forge] of Object.entries(attacks)) {
		it(`GIVEN a token with ${name} THEN it is refused`, () => {
			expect(service.verify(forge()).ok).to.equal(false);
		});
	}

	it('GIVEN a secret shorter than 32 bytes THEN the service refuses to exist', () => {
		expect(() => new ApiTokenService('short')).to.throw(RangeError);
	});
});
