import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Keyv } from 'keyv';
import { closeKeyv, createKeyv, type KeyvBackend } from '../../../src/core/storage/keyv-factory.js';
import { FIXTURES } from '../../helpers/test-bot.js';

/** A data file written by `@keyv/sqlite` 4 (see tests/fixtures/storage/README.md). */
const LEGACY_FILE = join(FIXTURES, 'storage', 'keyv-sqlite-v4.sqlite');

describe('SQLite Keyv store: a data file from before the better-sqlite3 store', function () {
	let directory: string;
	let backend: KeyvBackend;
	let open: Keyv<unknown>[];

	beforeEach(function () {
		directory = mkdtempSync(join(tmpdir(), 'keyv-upgrade-'));
		const file = join(directory, 'keyv.sqlite');
		copyFileSync(LEGACY_FILE, file);
		backend = { kind: 'sqlite', file };
		open = [];
	});

	afterEach(async function () {
		for (const keyv of open) await closeKeyv(keyv);
		rmSync(directory, { recursive: true, force: true });
	});

	function keyvFor<Value>(namespace: string): Keyv<Value> {
		const keyv = createKeyv<Value>(backend, namespace);
		open.push(keyv as Keyv<unknown>);
		return keyv;
	}

	it('GIVEN the old file THEN every value it held is read back unchanged', async function () {
		expect(await keyvFor('guild-config').get('123456789012345678')).to.deep.equal({
			plugins: { videos: { enabled: true } },
			roleMappings: { admin: '42' }
		});
		expect(await keyvFor('identity-links').get('222')).to.deep.equal({ kalturaUserId: 'discord-222', linkedAt: 1700000000000 });
		expect(await keyvFor('command-registrations').get('guild:1')).to.equal('hash-abc');
	});

	it('GIVEN an entry that expired in the old file THEN it reads as missing and its row is gone', async function () {
		expect(await keyvFor('identity-links').get('expired')).to.equal(undefined);

		const rows = new Database(backend.kind === 'sqlite' ? backend.file : '', { readonly: true });
		try {
			expect(rows.prepare('SELECT key FROM keyv ORDER BY key').pluck().all()).to.deep.equal([
				'command-registrations:guild:1',
				'guild-config:123456789012345678',
				'identity-links:222'
			]);
		} finally {
			rows.close();
		}
	});

	it('GIVEN the old file THEN new writes, clear() of one namespace and iteration keep the other namespaces intact', async function () {
		const links = keyvFor<unknown>('identity-links');
		await links.set('333', { kalturaUserId: 'discord-333' });
		const config = keyvFor<unknown>('guild-config');

		await config.clear();

		expect(await config.get('123456789012345678')).to.equal(undefined);
		const linked: string[] = [];
		for await (const [key] of links.iterator!(undefined)) linked.push(String(key));
		expect(linked.sort()).to.deep.equal(['222', '333']);
		expect(await keyvFor('command-registrations').get('guild:1')).to.equal('hash-abc');
	});
});
