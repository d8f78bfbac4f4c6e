import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { checkLicenses, type DependencyLicense, licenseProblem } from '../../scripts/licenses/check.js';
import { collectRuntimeLicenses, declaredLicense } from '../../scripts/licenses/collect.js';
import { ALLOWED_LICENSES, LICENSE_POLICY, type LicensePolicy } from '../../scripts/licenses/policy.js';

const LIST_PATH = 'docs/dependency-licenses.md';
const pkg = (name: string, version: string, declared: string): DependencyLicense => ({ name, version, declared, platformSpecific: false });
const policy: LicensePolicy = { allowed: ALLOWED_LICENSES, corrections: [] };

/** The check on packages whose checked-in list is already the one they produce, so only licences decide. */
function checkWithFreshList(entries: DependencyLicense[], withPolicy: LicensePolicy = policy) {
	const { list } = checkLicenses({ entries, checkedIn: undefined, listPath: LIST_PATH, policy: withPolicy });
	return checkLicenses({ entries, checkedIn: list, listPath: LIST_PATH, policy: withPolicy });
}

describe('runtime dependency licence check', () => {
	describe('licences', () => {
		it('GIVEN only allowed licences THEN it passes', () => {
			const result = checkWithFreshList([pkg('a', '1.0.0', 'MIT'), pkg('b', '2.0.0', 'Apache-2.0'), pkg('c', '1.0.0', 'AGPL-3.0-or-later')]);
			expect(result.problems).to.deep.equal([]);
		});

		it('GIVEN a package under SSPL-1.0 THEN it fails naming the package and the licence', () => {
			const result = checkWithFreshList([pkg('a', '1.0.0', 'MIT'), pkg('db-driver', '3.1.0', 'SSPL-1.0')]);
			expect(result.problems).to.have.length(1);
			expect(result.problems[0]).to.include('db-driver@3.1.0').and.include('SSPL-1.0');
		});

		it('GIVEN a package that declares no licence THEN it fails as UNKNOWN', () => {
			const declared = declaredLicense({ name: 'mystery', version: '0.0.1' });
			expect(declared).to.equal('UNKNOWN');
			const result = checkWithFreshList([pkg('mystery', '0.0.1', declared)]);
			expect(result.problems).to.have.length(1);
			expect(result.problems[0]).to.include('mystery@0.0.1').and.include('declares no licence');
		});

		it('GIVEN (MIT OR GPL-3.0) THEN it passes, since the MIT side may be chosen', () => {
			expect(licenseProblem('(MIT OR GPL-3.0)', ALLOWED_LICENSES)).to.equal(undefined);
			expect(licenseProblem('(GPL-3.0 OR MIT)', ALLOWED_LICENSES)).to.equal(undefined);
		});

		it('GIVEN an AND or an OR with no allowed side THEN it fails naming the identifiers that are not allowed', () => {
			expect(licenseProblem('(MIT AND SSPL-1.0)', ALLOWED_LICENSES)).to.include('SSPL-1.0 is not in the allow-list');
			expect(licenseProblem('(SSPL-1.0 OR BUSL-1.1)', ALLOWED_LICENSES)).to.include('SSPL-1.0, BUSL-1.1 are not');
			expect(licenseProblem('(MIT OR (Apache-2.0 AND CC-BY-NC-4.0))', ALLOWED_LICENSES)).to.equal(undefined);
		});

		it('GIVEN "or later" and exceptions THEN the licence they qualify decides', () => {
			expect(licenseProblem('LGPL-2.1+', ALLOWED_LICENSES)).to.equal(undefined);
			expect(licenseProblem('Apache-2.0 WITH LLVM-exception', ALLOWED_LICENSES)).to.equal(undefined);
			expect(licenseProblem('GPL-2.0-only WITH Classpath-exception-2.0', ALLOWED_LICENSES)).to.include(
				'GPL-2.0-only WITH Classpath-exception-2.0 is not'
			);
		});

		it('GIVEN UNLICENSED, a licence file reference or a non-SPDX name THEN each fails with its own reason', () => {
			expect(licenseProblem('UNLICENSED', ALLOWED_LICENSES)).to.include('grants no rights');
			expect(licenseProblem('SEE LICENSE IN LICENSE.md', ALLOWED_LICENSES)).to.include('refers to a licence file');
			expect(licenseProblem('AGPLv3', ALLOWED_LICENSES)).to.include('not an SPDX licence expression');
		});

		it('GIVEN kaltura-client declaring "AGPLv3" THEN only the reviewed correction makes it pass, and only for that declaration', () => {
			const kaltura = pkg('kaltura-client', '21.20.0', 'AGPLv3');
			expect(checkWithFreshList([kaltura]).problems[0])
				.to.include('kaltura-client@21.20.0')
				.and.include('"AGPLv3"');
			const corrected = checkWithFreshList([kaltura], LICENSE_POLICY);
			expect(corrected.problems).to.deep.equal([]);
			expect(corrected.list).to.match(/\| kaltura-client \| 21\.20\.0 \| AGPL-3\.0-or-later \| declares "AGPLv3"/);
			const redeclared = checkWithFreshList([pkg('kaltura-client', '22.0.0', 'SEE LICENSE IN LICENSE')], LICENSE_POLICY);
			expect(redeclared.problems[0]).to.include('kaltura-client@22.0.0');
		});
	});

	describe('the checked-in list', () => {
		const installed = [pkg('a', '1.0.0', 'MIT'), pkg('b', '2.0.0', 'ISC'), pkg('c', '1.0.0', 'BSD-3-Clause')];
		const current = checkLicenses({ entries: installed, checkedIn: undefined, listPath: LIST_PATH, policy }).list;

		it('GIVEN the list the installed packages produce THEN it passes', () => {
			expect(checkLicenses({ entries: installed, checkedIn: current, listPath: LIST_PATH, policy }).problems).to.deep.equal([]);
		});

		it('GIVEN a package added, removed or relicensed since the list was made THEN it fails naming each one', () => {
			const now = [pkg('a', '1.0.0', 'MIT'), pkg('b', '2.0.0', 'Apache-2.0'), pkg('d', '4.0.0', 'MIT')];
			const { problems } = checkLicenses({ entries: now, checkedIn: current, listPath: LIST_PATH, policy });
			expect(problems).to.have.length(3);
			expect(problems.join('\n'))
				.to.include('b@2.0.0 is listed as ISC but is Apache-2.0')
				.and.include('d@4.0.0 (MIT) is installed but not listed')
				.and.include('c@1.0.0 (BSD-3-Clause) is listed but no longer a runtime dependency');
		});

		it('GIVEN no list or a hand-edited one THEN it fails', () => {
			expect(checkLicenses({ entries: installed, checkedIn: undefined, listPath: LIST_PATH, policy }).problems[0]).to.include('is missing');
			const edited = current.replace('do not edit by hand', 'edited');
			expect(checkLicenses({ entries: installed, checkedIn: edited, listPath: LIST_PATH, policy }).problems[0]).to.include('edited by hand');
		});

		it('GIVEN the same package at several paths, in any order THEN the list has one row each, in the same order', () => {
			const shuffled = [installed[2]!, installed[0]!, installed[1]!, installed[0]!];
			expect(checkLicenses({ entries: shuffled, checkedIn: current, listPath: LIST_PATH, policy }).problems).to.deep.equal([]);
		});

		it('GIVEN a licence with a pipe in it THEN the row is read back whole', () => {
			const odd = [pkg('odd', '1.0.0', 'MIT|ISC')];
			const list = checkLicenses({ entries: odd, checkedIn: undefined, listPath: LIST_PATH, policy }).list;
			const changed = checkLicenses({ entries: [pkg('odd', '1.0.0', 'MIT')], checkedIn: list, listPath: LIST_PATH, policy });
			expect(changed.problems.join('\n')).to.include('odd@1.0.0 is listed as MIT|ISC but is MIT');
		});
	});

	describe('declared licences in package.json', () => {
		it('reads a string, an object, an array and the old "licenses" field; anything else is UNKNOWN', () => {
			expect(declaredLicense({ license: 'MIT' })).to.equal('MIT');
			expect(declaredLicense({ license: { type: 'ISC', url: 'https://example.org' } })).to.equal('ISC');
			expect(declaredLicense({ license: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).to.equal('MIT OR Apache-2.0');
			expect(declaredLicense({ licenses: [{ type: 'MIT' }, { type: 'GPL-2.0 AND BSD-3-Clause' }] })).to.equal(
				'MIT OR (GPL-2.0 AND BSD-3-Clause)'
			);
			expect(declaredLicense({ license: 'BSD-2-Clause', licenses: [{ type: 'WTFPL' }] })).to.equal('BSD-2-Clause');
			expect(declaredLicense({ license: '  ' })).to.equal('UNKNOWN');
			expect(declaredLicense({ license: 42 })).to.equal('UNKNOWN');
			expect(declaredLicense(null)).to.equal('UNKNOWN');
		});
	});

	describe('collecting from a lockfile and node_modules', () => {
		let root: string;
		const write = (path: string, value: unknown) => {
			mkdirSync(dirname(join(root, path)), { recursive: true });
			writeFileSync(join(root, path), JSON.stringify(value));
		};

		beforeEach(() => {
			root = mkdtempSync(join(tmpdir(), 'licenses-'));
			write('package-lock.json', {
				lockfileVersion: 3,
				packages: {
					'': { name: 'app', version: '1.0.0' },
					'node_modules/runtime': { version: '1.0.0', license: 'MIT' },
					'node_modules/runtime/node_modules/@scope/nested': { version: '2.0.0', license: 'ISC' },
					'node_modules/test-only': { version: '3.0.0', dev: true, license: 'SSPL-1.0' },
					'node_modules/other-platform': { version: '4.0.0', optional: true, os: ['darwin'], license: 'MIT' },
					'node_modules/stale': { version: '5.0.0', license: 'MIT' },
					'node_modules/missing': { version: '6.0.0', license: 'MIT' }
				}
			});
			write('node_modules/runtime/package.json', { name: 'runtime', version: '1.0.0', license: { type: 'MIT' } });
			write('node_modules/runtime/node_modules/@scope/nested/package.json', { name: '@scope/nested', version: '2.0.0' });
			write('node_modules/test-only/package.json', { name: 'test-only', version: '3.0.0', license: 'SSPL-1.0' });
			write('node_modules/stale/package.json', { name: 'stale', version: '5.0.1', license: 'MIT' });
		});

		afterEach(() => rmSync(root, { recursive: true, force: true }));

		it('lists the runtime packages with their installed licence, skips development ones, and flags a tree that differs from the lockfile', () => {
			const { entries, problems } = collectRuntimeLicenses(root);
			expect(entries).to.deep.equal([
				{ name: 'runtime', version: '1.0.0', declared: 'MIT', platformSpecific: false },
				{ name: '@scope/nested', version: '2.0.0', declared: 'UNKNOWN', platformSpecific: false },
				{ name: 'other-platform', version: '4.0.0', declared: 'MIT', platformSpecific: true },
				{ name: 'stale', version: '5.0.1', declared: 'MIT', platformSpecific: false }
			]);
			expect(problems).to.have.length(2);
			expect(problems.join('\n'))
				.to.include('stale is installed as 5.0.1 but package-lock.json says 5.0.0')
				.and.include('missing@6.0.0 is in package-lock.json but not installed');
		});
	});

	describe('this project', () => {
		it('declares an allowed SPDX licence in package.json and ships its text in LICENSE', () => {
			const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { license: string };
			expect(licenseProblem(manifest.license, ALLOWED_LICENSES)).to.equal(undefined);
			const text = readFileSync(new URL('../../LICENSE', import.meta.url), 'utf8');
			expect(text.trimStart().startsWith('GNU AFFERO GENERAL PUBLIC LICENSE')).to.equal(manifest.license.startsWith('AGPL-3.0'));
		});
	});
});
