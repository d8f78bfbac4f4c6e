import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DependencyLicense, UNKNOWN_LICENSE } from './check.js';

/** The parts of a package-lock.json (lockfileVersion 2 or 3) entry that decide what ships. */
interface LockEntry {
	name?: string;
	version?: string;
	license?: unknown;
	dev?: boolean;
	optional?: boolean;
	devOptional?: boolean;
	link?: boolean;
	os?: unknown;
	cpu?: unknown;
	libc?: unknown;
}

function licenseNames(value: unknown): string[] {
	if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
	if (Array.isArray(value)) return value.flatMap(licenseNames);
	if (value !== null && typeof value === 'object' && 'type' in value) return licenseNames((value as { type: unknown }).type);
	return [];
}

/**
 * A package.json's licence as one SPDX-style string. `license` is a string today; older packages used an
 * object (`{ type, url }`) or a `licenses` array, whose entries were alternatives, so several become
 * `A OR B`. Nothing usable gives `UNKNOWN`, which the check refuses.
 */
export function declaredLicense(manifest: unknown): string {
	if (manifest === null || typeof manifest !== 'object') return UNKNOWN_LICENSE;
	const { license, licenses } = manifest as { license?: unknown; licenses?: unknown };
	const names = [...new Set(licenseNames(license).length > 0 ? licenseNames(license) : licenseNames(licenses))];
	const [only, ...others] = names;
	if (only === undefined) return UNKNOWN_LICENSE;
	if (others.length === 0) return only;
	return names.map((name) => (/\s/.test(name) ? `(${name})` : name)).join(' OR ');
}

/** The package name of a lockfile key such as `node_modules/a/node_modules/@scope/b`. */
function nameFromLockPath(path: string): string {
	const at = path.lastIndexOf('node_modules/');
	return at === -1 ? path : path.slice(at + 'node_modules/'.length);
}

export interface CollectedLicenses {
	entries: DependencyLicense[];
	/** The installed tree does not match the lockfile; the list would be wrong, so these fail the check. */
	problems: string[];
}

/**
 * Every package the production install of `rootDir` contains, with its declared licence. The set comes from
 * package-lock.json, where npm marks the packages only development needs (`dev`); everything else is installed
 * by `npm ci --omit=dev`. The licence is read from the installed package.json. An optional package that is not
 * installed (a build for another platform) is taken from the lockfile, so the list is the same on every
 * platform.
 */
export function collectRuntimeLicenses(rootDir: string): CollectedLicenses {
	const lock = JSON.parse(readFileSync(join(rootDir, 'package-lock.json'), 'utf8')) as {
		lockfileVersion?: number;
		packages?: Record<string, LockEntry>;
	};
	if (lock.packages === undefined || (lock.lockfileVersion ?? 0) < 2) {
		throw new Error('package-lock.json has no "packages" section (lockfileVersion 2 or later is needed); run npm install with npm 7 or later');
	}
	const entries: DependencyLicense[] = [];
	const problems: string[] = [];
	for (const [path, entry] of Object.entries(lock.packages)) {
		// "" is the project itself; a link entry points at a folder that has an entry of its own.
		if (path === '' || entry.dev === true || entry.link === true) continue;
		const name = entry.name ?? nameFromLockPath(path);
		const platformSpecific = entry.os !== undefined || entry.cpu !== undefined || entry.libc !== undefined;
		const manifestPath = join(rootDir, path, 'package.json');
		if (!existsSync(manifestPath)) {
			if (entry.optional === true || entry.devOptional === true) {
				entries.push({ name, version: entry.version ?? '?', declared: declaredLicense({ license: entry.license }), platformSpecific });
			} else {
				problems.push(`${name}@${entry.version ?? '?'} is in package-lock.json but not installed (${path}); run npm ci`);
			}
			continue;
		}
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string };
		if (manifest.version !== entry.version) {
			problems.push(
				`${name} is installed as ${manifest.version ?? '?'} but package-lock.json says ${entry.version ?? '?'} (${path}); run npm ci`
			);
		}
		entries.push({
			name: manifest.name ?? name,
			version: manifest.version ?? entry.version ?? '?',
			declared: declaredLicense(manifest),
			platformSpecific
		});
	}
	return { entries, problems };
}
