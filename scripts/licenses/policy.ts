/**
 * Which licences the bot's runtime dependencies may carry. The bot is distributed under AGPL-3.0-or-later
 * (docs/licensing.md), so every package that ships with it must be under a licence that can be combined with
 * the AGPL: permissive licences, the weak copylefts the GPL family accepts, and the AGPL itself.
 * Development dependencies are not distributed with the bot and are not checked.
 */

/**
 * SPDX identifiers that may appear in a runtime dependency's licence. A `+` ("or any later version") or a
 * `WITH` exception on one of these is accepted too: both only add permissions to the licence they qualify.
 * The deprecated short forms (`AGPL-3.0`, `LGPL-2.1`, `LGPL-3.0`) are listed because older packages still use
 * them; they mean the same licence as their `-only` form.
 */
export const ALLOWED_LICENSES: ReadonlySet<string> = new Set([
	'0BSD',
	'AGPL-3.0',
	'AGPL-3.0-only',
	'AGPL-3.0-or-later',
	'Apache-2.0',
	'BlueOak-1.0.0',
	'BSD-2-Clause',
	'BSD-3-Clause',
	'CC0-1.0',
	'ISC',
	'LGPL-2.1',
	'LGPL-2.1-only',
	'LGPL-2.1-or-later',
	'LGPL-3.0',
	'LGPL-3.0-only',
	'LGPL-3.0-or-later',
	'MIT',
	'MPL-2.0',
	'Python-2.0',
	'Unlicense'
]);

/**
 * A package whose `license` field is not a valid SPDX expression, read by a person and given the SPDX
 * expression its licence files and source headers state. It applies only while the package still declares
 * exactly `declared`: a changed declaration is looked at again.
 */
export interface LicenseCorrection {
	name: string;
	declared: string;
	license: string;
	reason: string;
}

export const LICENSE_CORRECTIONS: readonly LicenseCorrection[] = [
	{
		name: 'kaltura-client',
		declared: 'AGPLv3',
		license: 'AGPL-3.0-or-later',
		reason: 'LICENSE.txt is the full GNU AGPL version 3 and each library file (KalturaClient.js and the rest) says "either version 3 of the License, or (at your option) any later version" (read in 21.20.0)'
	}
];

export interface LicensePolicy {
	allowed: ReadonlySet<string>;
	corrections: readonly LicenseCorrection[];
}

export const LICENSE_POLICY: LicensePolicy = { allowed: ALLOWED_LICENSES, corrections: LICENSE_CORRECTIONS };
