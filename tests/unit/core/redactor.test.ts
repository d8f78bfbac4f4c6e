import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { createLogger } from '../../../src/core/logger.js';
import { REDACTED, SecretRedactor } from '../../../src/core/redactor.js';

const ADMIN_SECRET = 'kaltura-admin-secret-value';
const KS = Buffer.from('v2|1234|' + 'k'.repeat(40)).toString('base64url');
const KS_V1 = Buffer.from('v1|1234|' + 'k'.repeat(40)).toString('base64');
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
const BOT_TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.GaBcDe.${'q'.repeat(38)}`;

/** Every place a secret can sit, each shown twice in one line: no kind may be redacted at its first occurrence only. */
const TWICE: readonly { kind: string; line: string; secret: string; redacted: string }[] = [
	{ kind: 'a configured secret', line: `a=${ADMIN_SECRET} b=${ADMIN_SECRET}`, secret: ADMIN_SECRET, redacted: 'a=[REDACTED] b=[REDACTED]' },
	{ kind: 'a KS v2', line: `ks=${KS} again ${KS}`, secret: KS, redacted: 'ks=[REDACTED] again [REDACTED]' },
	{ kind: 'a KS v1', line: `${KS_V1} ${KS_V1}`, secret: KS_V1, redacted: '[REDACTED] [REDACTED]' },
	{ kind: 'a JWT', line: `Bearer ${JWT}, Bearer ${JWT}`, secret: JWT, redacted: 'Bearer [REDACTED], Bearer [REDACTED]' },
	{ kind: 'a Discord bot token', line: `${BOT_TOKEN} / ${BOT_TOKEN}`, secret: BOT_TOKEN, redacted: '[REDACTED] / [REDACTED]' },
	{
		kind: 'a connection-string password',
		line: 'redis://bot:pa55word@a:6379 and mongodb://bot:pa55word@b:27017/db',
		secret: 'pa55word',
		redacted: 'redis://bot:[REDACTED]@a:6379 and mongodb://bot:[REDACTED]@b:27017/db'
	},
	{
		kind: 'an RTMP ingest password',
		line: 'rtmp://h:1935/kLive?t=s3cr3tA rtmps://h:443/kLive?x=1&t=s3cr3tA',
		secret: 's3cr3tA',
		redacted: 'rtmp://h:1935/kLive?t=[REDACTED] rtmps://h:443/kLive?x=1&t=[REDACTED]'
	},
	{
		kind: 'an SRT stream password',
		line: '#:::e=1_a,st=0,p=s3cr3tB #:::e=1_b,st=0,p=s3cr3tB',
		secret: 's3cr3tB',
		redacted: '#:::e=1_a,st=0,p=[REDACTED] #:::e=1_b,st=0,p=[REDACTED]'
	}
];

describe('SecretRedactor', () => {
	for (const { kind, line, secret, redacted } of TWICE) {
		it(`GIVEN ${kind} twice in one line THEN neither occurrence survives`, () => {
			const output = new SecretRedactor([ADMIN_SECRET]).redact(line);
			expect(output).to.equal(redacted);
			expect(output).to.not.include(secret);
		});
	}

	it('GIVEN a secret logged twice in one line THEN the log line holds neither occurrence', () => {
		const lines: string[] = [];
		const stream = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				lines.push(chunk.toString('utf8'));
				callback();
			}
		});
		const logger = createLogger({
			level: 'info',
			json: true,
			redactor: new SecretRedactor([ADMIN_SECRET]),
			transports: [new winston.transports.Stream({ stream })]
		});
		logger.info(`retrying with ${ADMIN_SECRET} after ${ADMIN_SECRET} failed; ks ${KS} then ${KS}`);
		expect(lines).to.have.lengthOf(1);
		expect(lines[0]).to.not.include(ADMIN_SECRET).and.not.include(KS);
		expect(lines[0]!.match(/\[REDACTED\]/g)).to.have.lengthOf(4);
	});

	it('GIVEN a secret with quotes or backslashes shown inside JSON text THEN its escaped form is redacted too', () => {
		const secret = 'pa"ss\\word99';
		const shown = JSON.stringify({ jwt: secret }, null, 2);
		expect(new SecretRedactor([secret]).redact(shown)).to.equal(JSON.stringify({ jwt: REDACTED }, null, 2));
	});

	it('GIVEN configured values THEN those of 6 characters or more are secrets; shorter, empty or missing ones are not', () => {
		const redactor = new SecretRedactor(['12345', '123456', '', undefined]);
		expect(redactor.redact('12345 123456')).to.equal(`12345 ${REDACTED}`);
		expect(new SecretRedactor().addSecret('abcdef').addSecret(undefined).addSecret('abcde').redact('abcdef abcde')).to.equal(`${REDACTED} abcde`);
	});

	it('GIVEN credential-like text inside a longer word, or too short to be one THEN it is left alone', () => {
		const redactor = new SecretRedactor();
		for (const text of [
			`xdjJ8${'a'.repeat(20)}`,
			'djJ8short',
			'eyJabc.eyJabc.x',
			'https://example.com/?t=visible and p=visible',
			'user@host and a:b@c',
			'mailto:me@example.com'
		]) {
			expect(redactor.redact(text), text).to.equal(text);
		}
	});

	it('GIVEN a password in a connection string THEN the user, host and path are kept', () => {
		expect(new SecretRedactor().redact('connect to postgres+ssl://admin:pw-1@db.local:5432/app failed')).to.equal(
			'connect to postgres+ssl://admin:[REDACTED]@db.local:5432/app failed'
		);
		expect(new SecretRedactor().redact('MONGODB_URL=MONGODB://Bot:Hunter2@db/kaltura')).to.equal(
			'MONGODB_URL=MONGODB://Bot:[REDACTED]@db/kaltura'
		);
	});

	it('GIVEN ingest details THEN only the password is redacted, up to the next separator', () => {
		const redactor = new SecretRedactor();
		expect(redactor.redact('rtmp://h/kLive?t=pw1&x=2#f')).to.equal('rtmp://h/kLive?t=[REDACTED]&x=2#f');
		expect(redactor.redact('"rtmps://h/kLive?t=pw2"')).to.equal('"rtmps://h/kLive?t=[REDACTED]"');
		expect(redactor.redact('RTMP://h/kLive?t=pw3 `x`')).to.equal('RTMP://h/kLive?t=[REDACTED] `x`');
		expect(redactor.redact("'#:::e=1_a,p=pw4',st")).to.equal("'#:::e=1_a,p=[REDACTED]',st");
		expect(redactor.redact('#:::e=1_a,p=pw5 next')).to.equal('#:::e=1_a,p=[REDACTED] next');
	});

	describe('redactDeep', () => {
		it('GIVEN nested objects, arrays and non-string values THEN every string is redacted in a copy and the rest kept', () => {
			const value = { a: ADMIN_SECRET, list: [KS, 1, null, true, { deeper: [JWT] }], count: 2, none: undefined as unknown };
			const copy = new SecretRedactor([ADMIN_SECRET]).redactDeep(value);
			expect(copy).to.deep.equal({ a: REDACTED, list: [REDACTED, 1, null, true, { deeper: [REDACTED] }], count: 2, none: undefined });
			expect(value.a).to.equal(ADMIN_SECRET);
			expect(copy).to.not.equal(value);
			expect(copy.list).to.not.equal(value.list);
		});

		it('GIVEN an error THEN a plain object keeps its name, message, stack and own fields, redacted', () => {
			const error = Object.assign(new TypeError(`failed with ${ADMIN_SECRET}`), { code: 'E_SECRET', ks: KS });
			const copy = new SecretRedactor([ADMIN_SECRET]).redactDeep(error) as unknown as Record<string, unknown>;
			expect(copy).to.not.be.instanceOf(Error);
			expect(copy).to.include({ name: 'TypeError', message: `failed with ${REDACTED}`, code: 'E_SECRET', ks: REDACTED });
			expect(copy.stack)
				.to.be.a('string')
				.and.match(/^TypeError: failed with \[REDACTED\]\n/);
			expect(JSON.stringify(copy)).to.not.include(ADMIN_SECRET);
		});

		it('GIVEN an error without a stack THEN the copy has no stack', () => {
			const error = new Error('plain');
			error.stack = undefined;
			expect(new SecretRedactor().redactDeep(error)).to.deep.equal({ name: 'Error', message: 'plain' });
		});

		it('GIVEN a value that refers to itself THEN the copy does too, once', () => {
			const value: Record<string, unknown> = { secret: ADMIN_SECRET };
			value.self = value;
			value.list = [value];
			const copy = new SecretRedactor([ADMIN_SECRET]).redactDeep(value);
			expect(copy.secret).to.equal(REDACTED);
			expect(copy.self).to.equal(copy);
			expect((copy.list as unknown[])[0]).to.equal(copy);
			const list: unknown[] = [ADMIN_SECRET];
			list.push(list);
			const listCopy = new SecretRedactor([ADMIN_SECRET]).redactDeep(list);
			expect(listCopy[0]).to.equal(REDACTED);
			expect(listCopy[1]).to.equal(listCopy);
		});
	});
});
