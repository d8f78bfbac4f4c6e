import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { DISTINCT_JOINERS_CAP, joinerHash } from '../lib/usage-day.js';
import { lastDays, UsageStore, utcDay, type UsageStoreOptions } from '../lib/usage-store.js';
import { MongoUsageDayStore } from '../lib/usage-store/mongo-usage-day-store.js';
import { UsageStoreConnection, type UsageStoreLocation } from '../lib/usage-store/usage-store-connection.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Noon UTC, so that a few hours either way stay on the same day. */
const NOW = Date.UTC(2026, 11, 3, 12);
const daysAgo = (days: number) => NOW - days * DAY_MS;

/** A logger that keeps what was logged, to tell a failure that was logged from one that was thrown. */
function recordingLogger() {
	const warnings: unknown[][] = [];
	const ignore = () => undefined;
	return { warnings, logger: { debug: ignore, info: ignore, error: ignore, warn: (...values: unknown[]) => void warnings.push(values) } };
}

interface UsageFixture {
	readonly location: UsageStoreLocation;
	readonly mongoPrefix?: string;
	dispose(): Promise<void>;
}

/**
 * What the usage store must do, whatever keeps the data: run against each implementation with a factory that gives a fresh,
 * empty location. A factory that returns null skips the suite (its server is not there), as the suite's title says.
 */
function usageStoreContract(name: string, factory: () => UsageFixture | null): void {
	describe(`metrics plugin: usage store contract: ${name}`, function () {
		this.timeout(60_000);
		let fixture: UsageFixture;
		const opened: UsageStore[] = [];

		/** A store on the fixture's location, as one bot process has it: its own connection, its own clock. */
		const storeAt = (now: number, options: Omit<UsageStoreOptions, 'now'> = {}) => {
			const connection = new UsageStoreConnection(fixture.location, { mongoPrefix: fixture.mongoPrefix });
			const store = new UsageStore(connection, recordingLogger().logger, { ...options, now: () => now });
			opened.push(store);
			return store;
		};

		/** Every day kept of the guild, however old, read straight from the store. */
		const everyDay = async (guildId: string) => {
			const connection = new UsageStoreConnection(fixture.location, { mongoPrefix: fixture.mongoPrefix });
			try {
				return [...(await (await connection.open()).read(guildId, '0000-00-00', '9999-99-99')).keys()].sort();
			} finally {
				await connection.close();
			}
		};

		beforeEach(function () {
			const made = factory();
			if (made === null) this.skip();
			fixture = made;
		});

		afterEach(async () => {
			await Promise.all(opened.splice(0).map((store) => store.close()));
			await fixture?.dispose();
		});

		it('GIVEN events on two days THEN each day reads back with its own counts, and another server has none', async () => {
			const yesterday = storeAt(daysAgo(1));
			await yesterday.record('g1', 'video_searched', {});
			await yesterday.record('g1', 'meeting_started', { meetingType: 'live' });
			const today = storeAt(NOW);
			await today.record('g1', 'meeting_started', { meetingType: 'meeting' });
			await today.record('g1', 'meeting_started', { meetingType: 'meeting' });
			await today.record('g1', 'meeting_started', {});
			await today.record('g1', 'meeting_joined', { memberId: '42' });
			await today.record('g1', 'video_shared', {});
			await today.record('g1', 'notification_delivered', {});
			await today.record('g1', 'notification_failed', {});
			await today.record('g1', 'notification_failed', {});

			const [before, last] = (await today.days('g1', 2)).map(({ usage }) => usage);
			expect(before).to.deep.include({
				meetingsStarted: { live: 1 },
				joins: 0,
				joiners: [],
				videoSearches: 1,
				notificationsDelivered: 0,
				notificationsFailed: 0
			});
			expect(last).to.deep.include({
				meetingsStarted: { meeting: 2, unknown: 1 },
				joins: 1,
				joiners: [joinerHash('g1', '42')],
				videoSearches: 0,
				videoShares: 1,
				notificationsDelivered: 1,
				notificationsFailed: 2
			});
			expect((await today.days('g2', 2)).map(({ usage }) => usage.videoSearches + usage.joins)).to.deep.equal([0, 0]);
		});

		it('GIVEN days inside and outside the last 30 THEN the window has 30 days, oldest first, empty days included', async () => {
			for (const ago of [0, 10, 29, 30]) await storeAt(daysAgo(ago)).record('g1', 'video_searched', {});
			const window = await storeAt(NOW).days('g1', 30);
			expect(window.map(({ day }) => day)).to.deep.equal(lastDays(30, NOW));
			expect(window[0]?.day).to.equal(utcDay(daysAgo(29)));
			const counted = window.flatMap(({ day, usage }) => (usage.videoSearches > 0 ? [day] : []));
			expect(counted).to.deep.equal([utcDay(daysAgo(29)), utcDay(daysAgo(10)), utcDay(NOW)]);
		});

		it('GIVEN the same member joining again THEN every join counts and the member once; past the cap the joins still count', async () => {
			const store = storeAt(NOW);
			for (const member of ['1', '2', '1', '1']) await store.record('g1', 'meeting_joined', { memberId: member });
			let [today] = (await store.days('g1', 1)).map(({ usage }) => usage);
			expect(today?.joins).to.equal(4);
			expect(today?.joiners.sort()).to.deep.equal([joinerHash('g1', '1'), joinerHash('g1', '2')].sort());

			for (let member = 0; member < DISTINCT_JOINERS_CAP + 3; member++) await store.record('g1', 'meeting_joined', { memberId: `m${member}` });
			[today] = (await store.days('g1', 1)).map(({ usage }) => usage);
			expect(today?.joins).to.equal(4 + DISTINCT_JOINERS_CAP + 3);
			expect(today?.joiners).to.have.length(DISTINCT_JOINERS_CAP);
			expect(new Set(today?.joiners).size).to.equal(DISTINCT_JOINERS_CAP);
		});

		it('GIVEN two processes counting at once THEN no count is lost and the joiners stop exactly at the cap', async () => {
			const [first, second] = [storeAt(NOW, { joinersCap: 10 }), storeAt(NOW, { joinersCap: 10 })];
			const counts: Promise<void>[] = [];
			for (let index = 0; index < 500; index++) {
				counts.push(first.record('g1', 'video_searched', {}), second.record('g1', 'video_searched', {}));
				if (index < 20)
					counts.push(
						first.record('g1', 'meeting_joined', { memberId: `a${index}` }),
						second.record('g1', 'meeting_joined', { memberId: `b${index}` })
					);
			}
			await Promise.all(counts);
			const [today] = (await storeAt(NOW).days('g1', 1)).map(({ usage }) => usage);
			expect(today?.videoSearches).to.equal(1000);
			expect(today?.joins).to.equal(40);
			expect(today?.joiners).to.have.length(10);
		});

		it('GIVEN a server removes the bot THEN all its days go and the other servers keep theirs', async () => {
			for (const ago of [0, 3, 20]) await storeAt(daysAgo(ago)).record('leaving', 'meeting_joined', { memberId: '7' });
			await storeAt(NOW).record('staying', 'video_searched', {});
			await storeAt(NOW).forget('leaving');
			expect(await everyDay('leaving')).to.deep.equal([]);
			expect(await everyDay('staying')).to.deep.equal([utcDay(NOW)]);
		});

		it('GIVEN days older than 31 THEN they are swept when a store opens, and the 31 days kept stay', async () => {
			// Newest first: a store sweeps what is old by its own clock when it opens.
			for (const ago of [0, 30, 31, 40]) await storeAt(daysAgo(ago)).record('g1', 'meeting_started', { meetingType: 'meeting' });
			await storeAt(daysAgo(45)).record('g2', 'meeting_joined', { memberId: '1' });
			expect(await everyDay('g1')).to.have.length(4);

			const store = storeAt(NOW);
			await store.record('g1', 'video_searched', {});
			await store.settled();
			expect(await everyDay('g1')).to.deep.equal([utcDay(daysAgo(30)), utcDay(NOW)]);
			expect(await everyDay('g2')).to.deep.equal([]);
			expect(await store.sweep()).to.equal(0);
		});

		it('GIVEN the store is closed THEN an event is logged as not recorded and does not throw', async () => {
			const { warnings, logger } = recordingLogger();
			const store = new UsageStore(new UsageStoreConnection(fixture.location, { mongoPrefix: fixture.mongoPrefix }), logger, {
				now: () => NOW
			});
			await store.record('g1', 'video_searched', {});
			await store.close();
			await store.record('g1', 'video_searched', {});
			expect(warnings).to.have.length(1);
			expect(String(warnings[0]?.[0])).to.include('was not recorded (video_searched)');
		});
	});
}

usageStoreContract('SQLite', () => {
	const directory = mkdtempSync(join(tmpdir(), 'metrics-usage-'));
	return { location: { DATA_DIR: directory }, dispose: async () => rmSync(directory, { recursive: true, force: true }) };
});

/** MongoDB, when TEST_MONGODB_URL names a server (standalone or a replica set): each test gets its own collection, dropped afterwards. */
let mongoRuns = 0;
usageStoreContract(process.env.TEST_MONGODB_URL ? 'MongoDB' : 'MongoDB (skipped: TEST_MONGODB_URL is not set)', () => {
	const url = process.env.TEST_MONGODB_URL;
	if (!url) return null;
	const mongoPrefix = `usage_contract_${process.pid}_${++mongoRuns}_`;
	return {
		location: { DATA_DIR: '/nonexistent', MONGODB_URL: url },
		mongoPrefix,
		dispose: async () => {
			const store = await MongoUsageDayStore.connect(url, { prefix: mongoPrefix });
			await store.drop();
			await store.close();
		}
	};
});
