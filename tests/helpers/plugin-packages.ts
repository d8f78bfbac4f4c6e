import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURES } from './test-bot.js';

const run = promisify(execFile);

/** Example plugin packages under tests/fixtures/plugin-packages, by folder. */
export const PLUGIN_PACKAGE_FIXTURES = join(FIXTURES, 'plugin-packages');

/**
 * Packs fixture plugin packages with `npm pack` and installs the tarballs into a fresh directory with
 * `npm install`, as an operator installs a plugin from a registry or a file: what the bot then reads is
 * what npm installed (the package's `files`, no peers), never the fixture folder itself.
 * Returns the directory, whose `node_modules` holds the packages (PLUGIN_PACKAGES_DIR).
 */
export async function installPluginPackages(folders: readonly string[]): Promise<string> {
	const directory = mkdtempSync(join(tmpdir(), 'kaltura-discord-plugin-packages-'));
	writeFileSync(join(directory, 'package.json'), `${JSON.stringify({ name: 'plugin-host', private: true })}\n`);
	const tarballs: string[] = [];
	for (const folder of folders) {
		const { stdout } = await run('npm', ['pack', join(PLUGIN_PACKAGE_FIXTURES, folder), '--pack-destination', directory, '--json'], {
			cwd: directory
		});
		const [packed] = JSON.parse(stdout) as { filename: string }[];
		if (packed === undefined) throw new Error(`npm pack of ${folder} produced no tarball`);
		tarballs.push(join(directory, packed.filename));
	}
	// Offline: the peers are optional and the bot provides them, so nothing is fetched.
	await run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...tarballs], { cwd: directory });
	return directory;
}
