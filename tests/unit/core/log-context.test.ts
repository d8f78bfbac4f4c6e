import { Writable } from 'node:stream';
import { expect } from 'chai';
import winston from 'winston';
import { requestIdFrom, runWithLogContext } from '../../../src/core/logging/log-context.js';
import { createLogger, SapphireWinstonLogger } from '../../../src/core/logger.js';
import { SecretRedactor } from '../../../src/core/redactor.js';

const SECRET = 'kaltura-admin-secret-value';

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
		redactor: new SecretRedactor([SECRET]),
		transports: [new winston.transports.Stream({ stream })]
	});
	return { logger, lines, parsed: () => lines.map((line): Record<string, unknown> => JSON.parse(line)) };
}

describe('log context', () => {
	describe('requestIdFrom', () => {
		for (const good of ['edge-7f3a9c21', 'a'.repeat(64), 'Root=1-67891233-abcdef012345678912345678', 'req_01.HZ:9']) {
			it(`GIVEN ${good.slice(0, 20)} THEN it is kept`, () => expect(requestIdFrom(good)).to.equal(good));
		}
		for (const [what, forged] of [
			['a line break', 'abcdefgh\n{"level":"error"}'],
			['a carriage return', 'abcdefgh\rX'],
			['65 characters', 'a'.repeat(65)],
			['7 characters', 'abcdefg'],
			['a space', 'abcd efgh'],
			['a quote', 'abcdefgh"'],
			['an empty value', '']
		] as const) {
			it(`GIVEN an id with ${what} THEN a fresh UUID replaces it`, () => {
				const id = requestIdFrom(forged);
				expect(id).to.not.equal(forged);
				expect(id).to.match(/^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/);
			});
		}
		it('GIVEN the header twice or not at all THEN fresh ids, different each time', () => {
			const ids = [requestIdFrom(['abcdefgh', 'ijklmnop']), requestIdFrom(undefined), requestIdFrom(undefined)];
			expect(new Set(ids).size).to.equal(3);
			expect(ids).to.not.include('abcdefgh');
		});
	});

	describe('the logger', () => {
		it('GIVEN lines inside a context, before and after an await THEN each carries the fields under their fixed names', async () => {
			const { logger, parsed } = capture(true);
			await runWithLogContext({ interactionId: '800000000000000001', guildId: '100000000000000001', command: 'video' }, async () => {
				logger.info('before');
				await new Promise((resolve) => setTimeout(resolve, 1));
				new SapphireWinstonLogger(logger).warn('after');
			});
			logger.info('outside');
			const [before, after, outside] = parsed();
			for (const line of [before, after]) {
				expect(line).to.include({ interactionId: '800000000000000001', guildId: '100000000000000001', command: 'video' });
			}
			expect(outside).to.have.all.keys('level', 'message', 'timestamp');
		});

		it('GIVEN a plugin’s labelled logger inside a context naming another plugin THEN the line’s own label wins', () => {
			const { logger, parsed } = capture(true);
			runWithLogContext({ requestId: 'abcdefgh-1', plugin: 'core' }, () => logger.child({ plugin: 'videos' }).info('from the plugin'));
			expect(parsed()[0]).to.include({ plugin: 'videos', requestId: 'abcdefgh-1' });
		});

		it('GIVEN winston holding a line back and formatting it outside the context THEN the line keeps the context it was written in', () => {
			const { logger, parsed } = capture(true);
			// Corked, the logger stream buffers writes as it does under back-pressure, and runs the formats at uncork.
			logger.cork();
			runWithLogContext({ interactionId: '800000000000000002' }, () => logger.info('held back'));
			logger.uncork();
			expect(parsed()[0]).to.include({ message: 'held back', interactionId: '800000000000000002' });
		});

		for (const json of [true, false]) {
			it(`GIVEN a secret in a context field (${json ? 'JSON' : 'readable'} lines) THEN it is redacted like any field`, () => {
				const { logger, lines } = capture(json);
				runWithLogContext({ requestId: 'abcdefgh-1', command: `cmd ${SECRET}` }, () => logger.info('line'));
				const output = lines.join('');
				expect(output).to.not.include(SECRET);
				expect(output).to.include('cmd [REDACTED]').and.include('abcdefgh-1');
			});
		}
	});
});
