import { expect } from 'chai';
import { ConcurrencyLimiter } from '../lib/concurrency-limiter.js';
import { newUserFields, profileChange, splitDisplayName, withGuildEntry, type MemberFacts } from '../lib/kaltura-user-profile.js';
import { compareSnowflakes } from '../lib/member-order.js';
import { isPassDue } from '../lib/pass-schedule.js';
import { PassTally } from '../lib/pass-tally.js';
import { alreadyRunningText, progressText, summaryText } from '../lib/pass-text.js';
import { NO_COUNTS, type PassSummary } from '../lib/pass-types.js';
import { userSyncSettingsSchema } from '../lib/user-sync-settings.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const USER = '300000000000000001';

const facts = (overrides: Partial<MemberFacts> = {}): MemberFacts => ({
	guildId: GUILD,
	discordUserId: USER,
	displayName: 'Ada Lovelace',
	username: 'ada',
	kalturaRole: 'viewer',
	...overrides
});

const NOTHING_SHOWN = /undefined|null|NaN|\[object Object\]/;

describe('user-sync rules (no Discord, no Kaltura)', () => {
	describe('the Kaltura user of a member', () => {
		it('GIVEN a display name THEN the first word is the first name and the rest the last name', () => {
			expect(splitDisplayName('Ada King Lovelace', 'ada')).to.deep.equal({ firstName: 'Ada', lastName: 'King Lovelace' });
			expect(splitDisplayName('  ada   lovelace ', 'ada')).to.deep.equal({ firstName: 'ada', lastName: 'lovelace' });
			expect(splitDisplayName('Cher', 'cher')).to.deep.equal({ firstName: 'Cher', lastName: '' });
		});

		it('GIVEN a name with no visible characters THEN the username stands in', () => {
			expect(splitDisplayName('\u200b\u200b ', 'ghost')).to.deep.equal({ firstName: 'ghost', lastName: '' });
			expect(newUserFields(facts({ displayName: '\u200b', username: 'ghost' })).screenName).to.equal('ghost');
		});

		it('GIVEN names longer than Kaltura keeps THEN they are cut without splitting an emoji', () => {
			const { firstName } = splitDisplayName(`${'a'.repeat(39)}😀😀`, 'x');
			expect([...firstName]).to.have.lengthOf(40);
			expect(firstName.endsWith('😀')).to.equal(true);
			expect([...newUserFields(facts({ displayName: '😀'.repeat(150) })).screenName]).to.have.lengthOf(100);
		});

		it('GIVEN a new member THEN the user is active, named, and carries the role in partnerData only', () => {
			const fields = newUserFields(facts({ kalturaRole: 'moderator' }));
			expect(fields).to.deep.equal({
				screenName: 'Ada Lovelace',
				firstName: 'Ada',
				lastName: 'Lovelace',
				status: 1,
				partnerData: `{"discord":{"guilds":{"${GUILD}":{"kalturaRole":"moderator"}},"userId":"${USER}"}}`
			});
			expect(fields).to.not.have.property('roleIds');
			expect(fields).to.not.have.property('email');
		});

		it('GIVEN a user that already matches THEN nothing is to change', () => {
			const existing = { id: 'discord_1', ...newUserFields(facts()) };
			expect(profileChange(existing, facts(), true).patch).to.deep.equal({});
			// Kaltura leaves empty fields out of its answers: unset and empty are the same.
			const single = newUserFields(facts({ displayName: 'Cher' }));
			expect(profileChange({ ...single, lastName: undefined }, facts({ displayName: 'Cher' }), true).patch).to.deep.equal({});
		});

		it('GIVEN a role, name or status that differs THEN only those fields change', () => {
			const existing = { ...newUserFields(facts()), status: 0 };
			const { patch } = profileChange(existing, facts({ displayName: 'Ada L', kalturaRole: 'admin' }), true);
			expect(Object.keys(patch)).to.have.members(['partnerData', 'screenName', 'lastName', 'status']);
			expect(patch.status).to.equal(1);
			expect(JSON.parse(patch.partnerData!).discord.guilds[GUILD]).to.deep.equal({ kalturaRole: 'admin' });
		});

		it('GIVEN partnerData with other keys and other servers THEN they are kept', () => {
			const existing = {
				...newUserFields(facts()),
				partnerData: JSON.stringify({ crm: 42, discord: { userId: USER, guilds: { [OTHER_GUILD]: { kalturaRole: 'admin' } } } })
			};
			const data = JSON.parse(profileChange(existing, facts(), true).patch.partnerData!);
			expect(data).to.deep.equal({
				crm: 42,
				discord: { userId: USER, guilds: { [OTHER_GUILD]: { kalturaRole: 'admin' }, [GUILD]: { kalturaRole: 'viewer' } } }
			});
			expect(JSON.parse(withGuildEntry(data, USER, OTHER_GUILD, null)).discord.guilds).to.deep.equal({ [GUILD]: { kalturaRole: 'viewer' } });
		});

		it('GIVEN a linked account (not the bot’s) THEN only partnerData is written, and text partnerData is left alone', () => {
			const partnerAccount = {
				id: 'jane@example.com',
				screenName: 'Jane Doe',
				firstName: 'Jane',
				lastName: 'Doe',
				status: 0,
				partnerData: '{"team":"sales"}'
			};
			const change = profileChange(partnerAccount, facts(), false);
			expect(Object.keys(change.patch)).to.deep.equal(['partnerData']);
			expect(JSON.parse(change.patch.partnerData!)).to.deep.include({ team: 'sales' });

			const textual = profileChange({ ...partnerAccount, partnerData: 'employee #7' }, facts(), false);
			expect(textual).to.deep.equal({ patch: {}, partnerDataUnreadable: true });
			// The bot's own user with partnerData it cannot read: replaced, the user is the bot's.
			expect(profileChange({ ...newUserFields(facts()), partnerData: 'garbage' }, facts(), true).patch).to.have.property('partnerData');
		});
	});

	describe('settings', () => {
		it('GIVEN nothing set THEN keep, a daily pass and 4 at a time', () => {
			expect(userSyncSettingsSchema.parse({})).to.deep.equal({ onLeave: 'keep', reconcileIntervalMinutes: 1440, concurrency: 4 });
		});

		it('GIVEN bad values THEN each is refused with a reason', () => {
			const issues = (value: unknown) =>
				userSyncSettingsSchema.safeParse(value).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
			expect(issues({ onLeave: 'ban' })).to.deep.equal(['onLeave: must be keep, block or delete']);
			expect(issues({ concurrency: 21 })).to.deep.equal(['concurrency: must be between 1 and 20']);
			expect(issues({ concurrency: 0 })).to.deep.equal(['concurrency: must be between 1 and 20']);
			expect(issues({ reconcileIntervalMinutes: 5 })).to.deep.equal(['reconcileIntervalMinutes: must be 0 (off) or at least 60']);
			expect(userSyncSettingsSchema.parse({ reconcileIntervalMinutes: 0 }).reconcileIntervalMinutes).to.equal(0);
		});
	});

	describe('the concurrency limiter', () => {
		it('GIVEN more tasks than the limit THEN never more run at once, and they start in arrival order', async () => {
			const limiter = new ConcurrencyLimiter(3);
			let running = 0;
			let peak = 0;
			const started: number[] = [];
			await Promise.all(
				Array.from({ length: 20 }, (_, index) =>
					limiter.run(async () => {
						started.push(index);
						peak = Math.max(peak, ++running);
						await new Promise((done) => setTimeout(done, 2 + (index % 3)));
						running--;
					})
				)
			);
			expect(peak).to.equal(3);
			expect(started).to.deep.equal([...started].sort((a, b) => a - b));
			expect(limiter.active).to.equal(0);
		});

		it('GIVEN a task that fails THEN its slot is released all the same', async () => {
			const limiter = new ConcurrencyLimiter(1);
			await limiter.run(() => Promise.reject(new Error('boom'))).catch(() => undefined);
			expect(await limiter.run(() => Promise.resolve('next'))).to.equal('next');
		});

		it('GIVEN the limit is raised THEN waiting tasks start at once', async () => {
			const limiter = new ConcurrencyLimiter(1);
			const release = await limiter.acquire();
			let second = false;
			void limiter.acquire().then(() => (second = true));
			await Promise.resolve();
			expect(second).to.equal(false);
			limiter.limit = 2;
			await Promise.resolve();
			expect(second).to.equal(true);
			release();
		});
	});

	describe('the checkpoint watermark', () => {
		it('GIVEN outcomes out of order THEN only the unbroken run from the first member is committed', () => {
			const tally = new PassTally(['1', '2', '3', '4'], { ...NO_COUNTS, created: 10 }, []);
			tally.record(1, { kind: 'created', kalturaUserId: 'discord_2' });
			tally.record(3, { kind: 'failed', kalturaUserId: 'discord_4', code: 'TIMEOUT', message: 'Kaltura did not answer in time.' });
			expect(tally.doneThrough).to.equal(undefined);
			expect(tally.committedCounts).to.deep.equal({ ...NO_COUNTS, created: 10 });
			expect(tally.counts).to.deep.equal({ created: 11, updated: 0, unchanged: 0, failed: 1 });
			expect(tally.committedFailures).to.deep.equal([]);

			tally.record(0, { kind: 'unchanged', kalturaUserId: 'discord_1' });
			expect(tally.doneThrough).to.equal('2');
			tally.record(2, { kind: 'updated', kalturaUserId: 'discord_3', fields: ['partnerData'] });
			expect(tally.doneThrough).to.equal('4');
			expect(tally.committedCounts).to.deep.equal({ created: 11, updated: 1, unchanged: 1, failed: 1 });
			expect(tally.committedFailures).to.deep.equal([{ discordUserId: '4', code: 'TIMEOUT', message: 'Kaltura did not answer in time.' }]);
		});

		it('GIVEN snowflakes of different lengths THEN they sort as numbers', () => {
			expect(['100000000000000000000', '99999999999999999', '100000000000000001'].sort(compareSnowflakes)).to.deep.equal([
				'99999999999999999',
				'100000000000000001',
				'100000000000000000000'
			]);
		});
	});

	describe('the periodic schedule', () => {
		const HOUR = 60 * 60_000;
		it('GIVEN a guild that never had a pass THEN the first comes an interval after the plugin was seen on', () => {
			expect(isPassDue(10 * HOUR, 60, undefined, 10 * HOUR)).to.equal(false);
			expect(isPassDue(11 * HOUR, 60, undefined, 10 * HOUR)).to.equal(true);
		});

		it('GIVEN a last pass THEN the next is due an interval after it ended, and never when the interval is 0', () => {
			expect(isPassDue(30 * HOUR, 1440, 7 * HOUR, 0)).to.equal(false);
			expect(isPassDue(31 * HOUR, 1440, 7 * HOUR, 0)).to.equal(true);
			expect(isPassDue(1000 * HOUR, 0, 0, 0)).to.equal(false);
		});
	});

	describe('what admins read', () => {
		const summary: PassSummary = {
			guildId: GUILD,
			trigger: 'command',
			total: 1234,
			counts: { created: 1200, updated: 20, unchanged: 7, failed: 7 },
			failures: [{ discordUserId: USER, code: 'SERVICE_FORBIDDEN', message: 'The bot is not allowed to do that on this Kaltura account.' }],
			skippedBots: 2,
			durationMs: 75_400,
			resumedFrom: 400
		};

		it('GIVEN a finished pass THEN the summary has every count, the failures and nothing unprintable', () => {
			const text = summaryText(summary);
			expect(text).to.equal(
				[
					'**Synced 1,234 members to Kaltura** in 1 min 15 s: 1,200 created, 20 updated, 7 unchanged, 7 failed.',
					'It carried on from an interrupted pass that had done 400.',
					'2 bots were skipped: bots get no Kaltura user.',
					'Failed:',
					`- <@${USER}>: The bot is not allowed to do that on this Kaltura account. (SERVICE_FORBIDDEN)`,
					'…and 6 more; the bot’s log lists the first few. The next sync tries them again.'
				].join('\n')
			);
		});

		it('GIVEN a stopped pass or odd numbers THEN the text still reads well', () => {
			const stopped = summaryText({
				...summary,
				total: 0,
				counts: NO_COUNTS,
				failures: [],
				skippedBots: 0,
				resumedFrom: 0,
				durationMs: Number.NaN,
				stoppedBecause: 'Discord did not send the member list.'
			});
			expect(stopped).to.equal('**The sync stopped** after 0.0 s: Discord did not send the member list.');
			for (const text of [
				stopped,
				summaryText(summary),
				progressText({ done: 0, total: undefined, resumedFrom: 0 }),
				progressText({ done: 400, total: 1000, resumedFrom: 0 }),
				alreadyRunningText({ done: 1, total: 1, resumedFrom: 1 }, 'startup')
			]) {
				expect(text).to.not.match(NOTHING_SHOWN);
			}
			expect(progressText({ done: 400, total: 1000, resumedFrom: 0 })).to.equal('Synced 400 of 1,000 members…');
			expect(progressText({ done: 0, total: 1, resumedFrom: 0 })).to.equal('Synced 0 of 1 member…');
		});
	});
});
