import { expect } from 'chai';
import { DISTINCT_JOINERS_CAP, emptyUsageDay, joinerHash, type UsageDay } from '../lib/usage-day.js';
import { isEmptyReport, usageReport } from '../lib/usage-report.js';

/** A stored day with these members' hashes as its joiners (one join each) and the counters given. */
function dayOf(memberIds: readonly string[], counters: Partial<UsageDay> = {}): UsageDay {
	return { ...emptyUsageDay(), joins: memberIds.length, joiners: memberIds.map((id) => joinerHash('g', id)), ...counters };
}

describe('metrics plugin: a day of a server’s usage', () => {
	it('GIVEN a day that kept as many joiners as the cap THEN the report says the distinct count is a floor', () => {
		const full = dayOf(
			Array.from({ length: DISTINCT_JOINERS_CAP }, (_, member) => String(member)),
			{ joins: DISTINCT_JOINERS_CAP + 5 }
		);
		const report = usageReport(7, [{ day: '2026-12-01', usage: full }], DISTINCT_JOINERS_CAP);
		expect(report.joinersCapped).to.equal(true);
		expect(report.totals).to.deep.include({ joins: DISTINCT_JOINERS_CAP + 5, distinctJoiners: DISTINCT_JOINERS_CAP });
	});

	it('GIVEN the same member in two servers THEN the hashes differ and neither is the id', () => {
		expect(joinerHash('1', '42')).not.to.equal(joinerHash('2', '42'));
		expect(joinerHash('1', '42')).not.to.include('42');
	});

	it('GIVEN joiners on two days THEN the totals count each member once', () => {
		const report = usageReport(
			7,
			[
				{ day: '2026-12-01', usage: dayOf(['7']) },
				{ day: '2026-12-02', usage: dayOf(['7', '8']) }
			],
			DISTINCT_JOINERS_CAP
		);
		expect(report.totals).to.deep.include({ joins: 3, distinctJoiners: 2 });
		expect(report.joinersCapped).to.equal(false);
	});

	it('GIVEN shares on some days, and a day stored before shares were counted THEN each day and the total count them, the old day as none', () => {
		const report = usageReport(
			7,
			[
				{ day: '2026-12-01', usage: dayOf([]) },
				{ day: '2026-12-02', usage: dayOf([], { videoShares: 2 }) },
				{ day: '2026-12-03', usage: dayOf([], { videoShares: 3 }) }
			],
			DISTINCT_JOINERS_CAP
		);
		expect(report.series.map((day) => day.videoShares)).to.deep.equal([0, 2, 3]);
		expect(report.totals.videoShares).to.equal(5);
	});

	it('GIVEN a period with nothing but a share THEN the report is not empty', () => {
		const shared = usageReport(7, [{ day: '2026-12-01', usage: dayOf([], { videoShares: 1 }) }], DISTINCT_JOINERS_CAP);
		expect(isEmptyReport(shared)).to.equal(false);
		expect(isEmptyReport(usageReport(7, [{ day: '2026-12-01', usage: dayOf([]) }], DISTINCT_JOINERS_CAP))).to.equal(true);
	});
});
