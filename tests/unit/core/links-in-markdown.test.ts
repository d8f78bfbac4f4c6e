import { expect } from 'chai';
import videos from '../../../plugins/videos/plugin.js';
import { formatAuditLine } from '../../../src/core/audit/audit-format.js';
import type { AuditEntry } from '../../../src/core/audit/audit-log.js';
import { parseEnvironment } from '../../../src/core/env.js';
import { linkTemplateProblem, linkUrlProblem } from '../../../src/core/policy/link-url.js';
import { operatorPolicyFrom } from '../../../src/core/policy/operator-policy.js';
import { maskedLinkTargets } from '../../helpers/markdown-links.js';

const PARTNER_ID = 777;
const policy = operatorPolicyFrom(
	parseEnvironment({
		DISCORD_TOKEN: 'x',
		KALTURA_PARTNER_ID: String(PARTNER_ID),
		KALTURA_ADMIN_SECRET: 'secret-secret',
		JWT_SECRET: 'j'.repeat(40)
	})
);

const GUILD = '200000000000000001';
const HOST = '300000000000000003';

/** The videos plugin's settings schema, as its handle (the default export of its plugin.ts) gives it to the core. */
function videosConfigSchema() {
	const schema = videos.configSchema;
	if (schema === undefined) throw new Error('The videos plugin has no settings schema.');
	return schema;
}

describe('Links the bot puts into markdown lead only where they say', () => {
	describe('link settings', () => {
		it('GIVEN a character that can end or escape a markdown link anywhere in a link, query included THEN it is refused; a plain link passes', () => {
			for (const [url, shown] of [
				['https://777.kaf.kaltura.com/a(b', '"("'],
				['https://777.kaf.kaltura.com/a?b=[c]', '"["'],
				['https://777.kaf.kaltura.com/a]', '"]"'],
				['https://777.kaf.kaltura.com/<a>', '"<"'],
				['https://777.kaf.kaltura.com/a>', '">"'],
				['https://777.kaf.kaltura.com/a?b="c"', '"""'],
				["https://777.kaf.kaltura.com/a'b", `"'"`],
				['https://777.kaf.kaltura.com/a`b', '"`"'],
				['https://777.kaf.kaltura.com/a\\b', '"\\"'],
				['https://777.kaf.kaltura.com/a b', 'a space'],
				['https://777.kaf.kaltura.com/a\tb', 'U+0009'],
				['https://777.kaf.kaltura.com/a\u00a0b', 'U+00A0'],
				['https://777.kaf.kaltura.com/a\u0000b', 'U+0000']
			]) {
				expect(linkUrlProblem(url!, policy), JSON.stringify(url)).to.equal(
					`a link may not contain spaces, quotes, backslashes, brackets, parentheses or angle brackets (it contains ${shown})`
				);
			}
			expect(linkUrlProblem('https://777.kaf.kaltura.com/virtualEvent/launch?ks=djJ8Nzc3%3D%3D', policy)).to.equal(undefined);
			expect(linkTemplateProblem('https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}', PARTNER_ID, policy)).to.equal(undefined);
		});

		it('GIVEN a watchUrlTemplate whose path opens a second link THEN the videos schema refuses it', () => {
			expect(
				videosConfigSchema().safeParse({
					watchUrlTemplate: 'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId})[Watch](https://evil.example/'
				}).success
			).to.equal(false);
			expect(
				videosConfigSchema().safeParse({ watchUrlTemplate: 'https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}' }).success
			).to.equal(true);
		});
	});

	describe('audit lines', () => {
		const ended = (title: string): AuditEntry => ({
			id: 'x',
			at: 1_800_000_000_000,
			guildId: GUILD,
			actorId: '300000000000000001',
			source: 'component',
			action: 'meeting.end',
			target: '12345',
			outcome: 'ok',
			changes: { title, hostId: HOST }
		});

		it('GIVEN an ended meeting titled `[Audit: re-verify here](https://evil.example/x)` THEN its audit line, in either time style, links nowhere and shows the title', () => {
			for (const style of ['R', 'f'] as const) {
				const line = formatAuditLine(ended('[Audit: re-verify here](https://evil.example/x)'), style);
				expect(maskedLinkTargets(line), line).to.deep.equal([]);
				expect(line).to.include('Audit: re-verify here').and.include(`<@300000000000000001>`);
			}
		});

		it('GIVEN a link split over the target and a value, a `<https://…>` link and mentions THEN none becomes markdown', () => {
			const split = formatAuditLine({ ...ended('](https://evil.example/x)'), target: '[Re-verify your account' });
			expect(maskedLinkTargets(split), split).to.deep.equal([]);
			const line = formatAuditLine(ended(`<https://evil.example> <@${HOST}> @everyone`));
			expect(maskedLinkTargets(line)).to.deep.equal([]);
			expect(line).to.not.include(`<@${HOST}>`).and.not.include('<https://').and.not.include('@everyone');
		});

		it('GIVEN a line cut to its limit inside escaped text THEN no escape is left to swallow the ellipsis', () => {
			// Every `|` is escaped as `\|`: a cut by code units alone ends on a lone backslash, which would escape the ellipsis.
			const line = formatAuditLine({ ...ended('x'), changes: undefined, actorId: '|'.repeat(60), detail: '|'.repeat(400) });
			expect(line.length).to.be.at.most(380);
			expect(line.endsWith('…')).to.equal(true);
			expect(/(^|[^\\])(\\\\)*\\…$/.test(line)).to.equal(false);
		});
	});
});
