import { expect } from 'chai';
import { addressKey, SignatureThrottle } from '../lib/signature-throttle.js';
import { CountedLog } from '../../../src/core/api/counted-log.js';

describe('notifications: slowing down bad signatures', () => {
	it('GIVEN an address failing in a burst THEN the burst passes, then it must wait, and the allowance comes back with time', () => {
		const throttle = new SignatureThrottle({ burst: 3, refillMs: 2_000 });
		const now = 1_000_000;
		expect([0, 1, 2].map(() => throttle.fail('198.51.100.7', now))).to.deep.equal([0, 0, 0]);
		expect(throttle.fail('198.51.100.7', now)).to.equal(2);
		// Another address has its own bucket.
		expect(throttle.fail('198.51.100.8', now)).to.equal(0);
		expect(throttle.fail('198.51.100.7', now + 1_000), 'half a token back: a second to wait').to.equal(1);
		expect(throttle.fail('198.51.100.7', now + 3_000)).to.equal(0);
	});

	it('GIVEN more addresses than it remembers THEN memory stays bounded and the least recently seen is forgotten first', () => {
		const throttle = new SignatureThrottle({ burst: 1, refillMs: 60_000, maxAddresses: 100 });
		const now = 1_000_000;
		throttle.fail('10.0.0.1', now);
		expect(throttle.fail('10.0.0.1', now)).to.be.above(0);
		for (let index = 2; index < 500; index++) throttle.fail(`10.0.${Math.floor(index / 256)}.${index % 256}`, now);
		expect(throttle.size).to.equal(100);
		// Forgotten: it starts over, which only ever lets an address fail more, never refuses a good signature.
		expect(throttle.fail('10.0.0.1', now)).to.equal(0);
	});

	it('GIVEN socket addresses THEN IPv4-mapped IPv6 counts as IPv4 and IPv6 counts per /64', () => {
		expect(addressKey('::ffff:192.0.2.1')).to.equal('192.0.2.1');
		expect(addressKey('192.0.2.1')).to.equal('192.0.2.1');
		expect(addressKey('2001:db8:1:2:aaaa::1')).to.equal(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'));
		expect(addressKey('2001:db8:1:2::1')).to.equal('2001:db8:1:2::/64');
		expect(addressKey('2001:db8:1:3::1')).to.not.equal(addressKey('2001:db8:1:2::1'));
		expect(addressKey('::1')).to.equal('0:0:0:0::/64');
		expect(addressKey(undefined)).to.equal('unknown');
	});
});

describe('core API: counted log lines', () => {
	it('GIVEN many occurrences THEN the first is written at once, the rest as one line with their count when the interval is over', () => {
		const written: [number, string][] = [];
		const log = new CountedLog(60_000, (count, latest) => written.push([count, latest]));
		const now = 5_000_000;
		log.note('a', now);
		for (let index = 0; index < 50; index++) log.note(`b${index}`, now + index);
		expect(written).to.deep.equal([[1, 'a']]);
		log.flush(now + 60_000);
		expect(written).to.deep.equal([
			[1, 'a'],
			[50, 'b49']
		]);
		log.flush(now + 120_000);
		expect(written).to.have.length(2);
		log.note('c', now + 200_000);
		expect(written.at(-1)).to.deep.equal([1, 'c']);
		log.flush();
	});
});
