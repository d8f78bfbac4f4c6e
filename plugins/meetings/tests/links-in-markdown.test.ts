import { expect } from 'chai';
import { kafBaseUrl } from '../lib/join-link.js';
import type { Meeting } from '../lib/meeting.js';
import { announcement, meetingLine } from '../lib/meeting-embed.js';
import { joinLinkReply } from '../lib/meeting-replies.js';
import { originTags, parseOriginTags } from '../lib/meeting-tags.js';
import { toMeeting } from '../lib/meeting.js';
import { meetingsConfigSchema, meetingsRuntimeCheck } from '../lib/meetings-config.js';
import { parseEnvironment } from '../../../src/core/env.js';
import { LinkPolicyError } from '../../../src/core/policy/link-url.js';
import { operatorPolicyFrom } from '../../../src/core/policy/operator-policy.js';
import { maskedLinkTargets } from '../../../tests/helpers/markdown-links.js';

const PARTNER_ID = 777;
const policy = operatorPolicyFrom(
	parseEnvironment({
		DISCORD_TOKEN: 'x',
		KALTURA_PARTNER_ID: String(PARTNER_ID),
		KALTURA_ADMIN_SECRET: 'secret-secret',
		JWT_SECRET: 'j'.repeat(40)
	})
);

/** A base URL on the partner's own KAF host whose path closes the bot's link and opens one to evil.example. */
const SMUGGLING_TEMPLATE = 'https://{partnerId}.kaf.kaltura.com/x)[Open_the_meeting](https://evil.example/steal';

const GUILD = '200000000000000001';
const CHANNEL = '200000000000000002';
const HOST = '300000000000000003';

const meeting = (overrides: Partial<Meeting> = {}): Meeting => ({
	id: '9001',
	title: 'Weekly',
	description: '',
	type: 'meeting',
	guildId: GUILD,
	channelId: CHANNEL,
	hostId: HOST,
	startsAt: 1_900_000_000,
	endsAt: 1_900_003_600,
	cancelled: false,
	...overrides
});

/** The hosts every masked link of a markdown text leads to. */
const linkHosts = (markdown: string): string[] => maskedLinkTargets(markdown).map((target) => new URL(target).hostname);

describe('Links the meetings plugin puts into markdown lead only where they say', () => {
	describe('link settings', () => {
		it('GIVEN a kafBaseUrl on the partner’s host whose path holds `)[…](https://evil.example…` THEN the schema and the runtime check refuse it, naming the character', () => {
			expect(meetingsConfigSchema.safeParse({ kafBaseUrl: SMUGGLING_TEMPLATE }).success).to.equal(false);
			expect(meetingsRuntimeCheck({ kafBaseUrl: SMUGGLING_TEMPLATE }, policy)).to.deep.equal([
				{
					path: 'kafBaseUrl',
					message: 'a link may not contain spaces, quotes, backslashes, brackets, parentheses or angle brackets (it contains ")")'
				}
			]);
			// A value stored before this check (or in an operator file) builds no link either.
			expect(() => kafBaseUrl(SMUGGLING_TEMPLATE, PARTNER_ID, policy)).to.throw(LinkPolicyError, /meetings\.kafBaseUrl.*"\)"/);
		});
	});

	describe('the join link reply', () => {
		it('GIVEN a join link whose path holds `)[…](https://evil.example…` THEN the reply has one link, to the KAF host, with the session on it', () => {
			const url = 'https://777.kaf.kaltura.com/x)[Open_the_meeting](https://evil.example/steal/virtualEvent/launch?ks=djJ8Nzc3%3D%3D';
			const reply = joinLinkReply(meeting(), { url, role: 'viewerRole' });
			expect(linkHosts(reply)).to.deep.equal(['777.kaf.kaltura.com']);
			expect(maskedLinkTargets(reply)[0]).to.include('ks=djJ8Nzc3%3D%3D');
			expect(reply).to.include('as a participant');
		});

		it('GIVEN a link that is not a plain web link THEN the reply says so and links nothing', () => {
			const reply = joinLinkReply(meeting(), { url: 'javascript:alert(1)', role: 'adminRole' });
			expect(maskedLinkTargets(reply)).to.deep.equal([]);
			expect(reply).to.include('could not be shown').and.not.include('javascript');
		});
	});

	describe('ids read from Kaltura’s schedule event tags', () => {
		const tags = (host: string) => `discord_guild:${GUILD},discord_channel:${CHANNEL},discord_host:${host},discord_meeting_type:meeting`;

		it('GIVEN a host tag `1>[Join here](https://evil.example)<@1` THEN the event is not read as the bot’s meeting, and nothing it made links', () => {
			const host = '1>[Join here](https://evil.example)<@1';
			expect(parseOriginTags(tags(host))).to.equal(undefined);
			expect(toMeeting({ id: 5, summary: 'Weekly', tags: tags(host), startDate: 1_900_000_000, endDate: 1_900_003_600, status: 2 })).to.equal(
				null
			);
		});

		it('GIVEN a guild, channel or host id that is not a snowflake THEN the origin is absent; snowflakes read back', () => {
			expect(parseOriginTags(originTags({ guildId: GUILD, channelId: CHANNEL, hostId: HOST, type: 'meeting' }))).to.deep.equal({
				guildId: GUILD,
				channelId: CHANNEL,
				hostId: HOST,
				type: 'meeting'
			});
			for (const odd of ['3', '3000000000000000000003', `${HOST}>`, ` ${HOST}x`, '', '３００００００００００００００００００３']) {
				expect(parseOriginTags(tags(odd)), `host ${odd}`).to.equal(undefined);
				expect(
					parseOriginTags(`discord_guild:${odd},discord_channel:${CHANNEL},discord_host:${HOST},discord_meeting_type:meeting`),
					`guild ${odd}`
				).to.equal(undefined);
				expect(
					parseOriginTags(`discord_guild:${GUILD},discord_channel:${odd},discord_host:${HOST},discord_meeting_type:meeting`),
					`channel ${odd}`
				).to.equal(undefined);
			}
		});

		it('GIVEN a meeting whose host id is not a snowflake THEN the announcement and the list line show no mention and no link', () => {
			const odd = meeting({ hostId: '1>[Join here](https://evil.example)<@1' });
			const embed = announcement(odd, 'scheduled').embeds[0]!.toJSON();
			const host = embed.fields!.find((field) => field.name === 'Host')!.value;
			expect(maskedLinkTargets(host)).to.deep.equal([]);
			expect(host).to.not.include('evil.example');
			expect(maskedLinkTargets(meetingLine(odd))).to.deep.equal([]);
			expect(meetingLine(meeting())).to.include(`host <@${HOST}>`);
		});
	});
});
