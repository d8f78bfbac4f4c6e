import { Writable } from 'node:stream';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { createLogger, SapphireWinstonLogger } from '../../../src/core/logger.js';
import { SecretRedactor } from '../../../src/core/redactor.js';

const CONFIGURED = { admin: 'kaltura-admin-secret-value', jwt: 'jwt-signing-secret-of-at-least-32-bytes' };
const KS = Buffer.from('v2|1234|' + 'x'.repeat(40)).toString('base64url');
const JWT = jwt.sign({ sub: '1' }, 'other-secret-other-secret-other-secret');
const BOT_TOKEN = `${Buffer.from('123456789012345678').toString('base64url')}.GaBcDe.${'q'.repeat(38)}`;
const REDIS_PASSWORD = 'hunter2-redis-password';

function capture(json: boolean) {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, callback) {
			lines.push(chunk.toString('utf8'));
			callback();
		}
	});
	const logger = createLogger({
		level: 'debug',
		json,
		redactor: new SecretRedactor([CONFIGURED.admin, CONFIGURED.jwt]),
		transports: [new winston.transports.Stream({ stream })]
	});
	return { logger, lines };
}

const SECRETS = [CONFIGURED.admin, CONFIGURED.jwt, KS, JWT, BOT_TOKEN, REDIS_PASSWORD];

describe('logger redaction', () => {
	for (const json of [true, false]) {
		describe(json ? 'JSON lines (production)' : 'readable lines', () => {
			it('GIVEN every kind of secret in messages, metadata, nested objects and errors THEN none reaches the output', () => {
				const { logger, lines } = capture(json);
				logger.info(`admin ${CONFIGURED.admin} jwt ${CONFIGURED.jwt}`);
				logger.warn(`ks=${KS} token=${JWT}`);
				logger.error('login failed', { token: BOT_TOKEN, nested: { deeper: [{ ks: KS }] } });
				logger.error(new Error(`connect to redis://user:${REDIS_PASSWORD}@cache:6379 failed with ${CONFIGURED.admin}`));
				logger.debug('with splat %s', KS);
				const output = lines.join('');
				expect(lines).to.have.lengthOf(5);
				for (const secret of SECRETS) expect(output, secret).to.not.include(secret);
				expect(output.match(/\[REDACTED\]/g)?.length).to.be.greaterThanOrEqual(8);
				if (json) for (const line of lines) expect(() => JSON.parse(line)).to.not.throw();
			});
		});
	}

	it('GIVEN Sapphire logging an error object through the adapter THEN it is redacted too', () => {
		const { logger, lines } = capture(true);
		new SapphireWinstonLogger(logger).error('request failed:', new Error(`bad ks ${KS}`), { token: BOT_TOKEN });
		const output = lines.join('');
		expect(output).to.include('request failed');
		expect(output).to.not.include(KS);
		expect(output).to.not.include(BOT_TOKEN);
	});

	it('GIVEN a live stream’s ingest details (a failed reply’s request body, say) THEN its password is redacted, the rest kept', () => {
		const redactor = new SecretRedactor();
		const body = JSON.stringify({
			content: 'RTMP: rtmp://1.entrypoint.kaltura.com:1935/kLive?t=a1B2c3D4 · RTMPS rtmps://1.entrypoint.kaltura.com:443/kLive?x=1&t=e5F6g7H8',
			srt: '#:::e=1_abc,st=0,p=i9J0k1L2'
		});
		const redacted = redactor.redact(body);
		for (const password of ['a1B2c3D4', 'e5F6g7H8', 'i9J0k1L2']) expect(redacted).to.not.include(password);
		expect(redacted).to.include('rtmp://1.entrypoint.kaltura.com:1935/kLive?t=[REDACTED]').and.include('#:::e=1_abc,st=0,p=[REDACTED]');
		expect(redactor.redact('https://example.com/?t=visible and p=visible')).to.equal('https://example.com/?t=visible and p=visible');
	});

	it('GIVEN ordinary text THEN it is left alone', () => {
		const redactor = new SecretRedactor([CONFIGURED.admin, 'abc']);
		const text = 'Guild 123456789012345678 enabled meetings at https://example.com/a.b.c';
		expect(redactor.redact(text)).to.equal(text);
		expect(redactor.redact('abc')).to.equal('abc');
	});
});
