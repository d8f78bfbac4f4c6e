import { expect } from 'chai';
import { DISTINCT_JOINERS_CAP, emptyUsageDay, joinerHash, withEvent } from '../lib/usage-day.js';
import { usageReport } from '../lib/usage-report.js';

describe('metrics plugin: a day of a server’s usage', () => {
	it('GIVEN more distinct joiners than the cap THEN joins keep counting, the kept hashes stop at the cap, and the report says so', () => {
		let day = emptyUsageDay();
		for (let member = 0; member < DISTINCT_JOINERS_CAP + 5; member++) day = withEvent(day, 'g', 'meeting_joined', { memberId: String(member) });
		expect(day.joins).to.equal(DISTINCT_JOINERS_CAP + 5);
		expect(day.joiners).to.have.length(DISTINCT_JOINERS_CAP);
		expect(usageReport(7, [{ day: '2026-12-01', usage: day }], DISTINCT_JOINERS_CAP).joinersCapped).to.equal(true);
	});

	it('GIVEN the same member in two servers THEN the hashes differ and neither is the id', () => {
		expect(joinerHash('1', '42')).not.to.equal(joinerHash('2', '42'));
		expect(joinerHash('1', '42')).not.to.include('42');
	});

	it('GIVEN joiners on two days THEN the totals count each member once', () => {
		const join = (memberId: string) => withEvent(emptyUsageDay(), 'g', 'meeting_joined', { memberId });
		const report = usageReport(
			7,
			[
				{ day: '2026-12-01', usage: join('7') },
				{ day: '2026-12-02', usage: withEvent(join('7'), 'g', 'meeting_joined', { memberId: '8' }) }
			],
			DISTINCT_JOINERS_CAP
		);
		expect(report.totals).to.deep.include({ joins: 3, distinctJoiners: 2 });
		expect(report.joinersCapped).to.equal(false);
	});
});
