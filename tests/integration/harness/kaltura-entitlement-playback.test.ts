/**
 * The Kaltura stand-in's entry entitlements (what media.get, baseEntry.get and lists answer a session that enforces
 * them) and its play manifest (which request may play an entry's video, and the video served with Range support).
 */
import { expect } from 'chai';
import { statSync } from 'node:fs';
import { createKalturaClient, kaltura, KalturaStandIn } from '../../harness/kaltura/index.js';
import { DEFAULT_PLAYBACK_FILE } from '../../harness/kaltura/play-manifest.js';
import { rejectionOf } from '../../helpers/rejection-of.js';

const PID = 5151;
const SECRET = 'entitlement-playback-secret';
/** KalturaPrivacyType MEMBERS_ONLY. */
const MEMBERS_ONLY = 3;

describe('Kaltura stand-in: entry entitlements and the play manifest', function () {
	let k: KalturaStandIn;
	let open: string;
	let listed: string;
	let staffOnly: string;
	let guarded: string;

	/** media.get with a USER session of `userId` carrying these privileges. */
	const getAs = (userId: string, privileges: string, entryId: string) => {
		const client = createKalturaClient(k.serviceUrl);
		client.setKs(k.mintKs({ type: 0, userId, privileges }));
		return kaltura.services.media.get(entryId).execute(client) as Promise<{ id: string }>;
	};
	const codeOf = async (call: Promise<unknown>) => ((await rejectionOf(call)) as { code?: string }).code;
	const manifest = (entryId: string, ks?: string) =>
		`${k.serviceUrl}/p/${PID}/sp/${PID}00/playManifest/entryId/${entryId}/format/url/protocol/https${ks === undefined ? '' : `/ks/${ks}`}/a.mp4`;

	before(async function () {
		k = await KalturaStandIn.start({ partnerId: PID, adminSecret: SECRET });
		open = k.state.addEntry({ name: 'Open day', userId: 'host' }).id as string;
		const lobby = k.state.addCategory({ name: 'Lobby' });
		listed = k.state.addEntry({ name: 'In the lobby', categoriesIds: String(lobby.id) }).id as string;
		const staff = k.state.addCategory({ name: 'Staff', privacy: MEMBERS_ONLY, privacyContexts: 'mediaspace' });
		staffOnly = k.state.addEntry({
			name: 'Staff only',
			userId: 'Owner.One',
			categoriesIds: String(staff.id),
			entitledUsersView: 'viewer.one',
			entitledUsersEdit: 'editor.one'
		}).id as string;
		k.state.accessControlRequiringKs.add(77);
		guarded = k.state.addEntry({ name: 'Needs a KS', accessControlId: 77 }).id as string;
	});
	after(async function () {
		await k.stop();
	});

	describe('entitlement', function () {
		it('GIVEN enableentitlement THEN an entry in a members-only category is seen by its owner and the users it names, in any case', async function () {
			for (const user of ['owner.one', 'VIEWER.ONE', 'editor.one'])
				expect((await getAs(user, 'enableentitlement', staffOnly)).id).to.equal(staffOnly);
		});

		it('GIVEN enableentitlement and anyone else THEN it is ENTRY_ID_NOT_FOUND, as for an id that does not exist', async function () {
			expect(await codeOf(getAs('someone', 'enableentitlement', staffOnly))).to.equal('ENTRY_ID_NOT_FOUND');
			expect(await codeOf(getAs('someone', 'enableentitlement', '0_missing1'))).to.equal('ENTRY_ID_NOT_FOUND');
			const client = createKalturaClient(k.serviceUrl);
			client.setKs(k.mintKs({ type: 0, userId: 'someone', privileges: 'enableentitlement' }));
			expect(await codeOf(kaltura.services.baseEntry.get(staffOnly).execute(client))).to.equal('ENTRY_ID_NOT_FOUND');
			const list = (await kaltura.services.media.listAction().execute(client)) as { objects: { id: string }[] };
			expect(list.objects.map((entry) => entry.id)).to.have.members([open, listed, guarded]);
		});

		it('GIVEN enableentitlement THEN entries in no category, or in a category open to all, are seen by anyone', async function () {
			expect((await getAs('someone', 'enableentitlement', open)).id).to.equal(open);
			expect((await getAs('someone', 'enableentitlement', listed)).id).to.equal(listed);
		});

		it('GIVEN disableentitlementforentry, no enforcement, or enforcement disabled THEN the entry is seen', async function () {
			expect((await getAs('someone', `enableentitlement,disableentitlementforentry:${staffOnly}`, staffOnly)).id).to.equal(staffOnly);
			expect((await getAs('someone', '', staffOnly)).id).to.equal(staffOnly);
			expect((await getAs('someone', 'disableentitlement', staffOnly)).id).to.equal(staffOnly);
		});

		it('GIVEN sview for the entry THEN it is no entitlement: still not found', async function () {
			expect(await codeOf(getAs('someone', `enableentitlement,sview:${staffOnly}`, staffOnly))).to.equal('ENTRY_ID_NOT_FOUND');
		});
	});

	describe('play manifest', function () {
		const size = statSync(DEFAULT_PLAYBACK_FILE).size;
		const refusal = async (response: Response) => ({
			status: response.status,
			kaltura: response.headers.get('x-kaltura'),
			body: await response.text()
		});

		it('GIVEN a valid USER KS THEN the video is served whole, as video/mp4 with its length and byte ranges accepted', async function () {
			const response = await fetch(manifest(open, k.mintKs({ type: 0, userId: 'someone' })));
			expect(response.status).to.equal(200);
			expect(response.headers.get('content-type')).to.equal('video/mp4');
			expect(response.headers.get('accept-ranges')).to.equal('bytes');
			expect(Number(response.headers.get('content-length'))).to.equal(size);
			const bytes = Buffer.from(await response.arrayBuffer());
			expect(bytes.length).to.equal(size);
			expect(bytes.subarray(4, 8).toString('latin1')).to.equal('ftyp');
		});

		it('GIVEN Range requests THEN 206 with the bytes asked for, and 416 past the end', async function () {
			const ks = k.mintKs({ type: 0, userId: 'someone' });
			const whole = Buffer.from(await (await fetch(manifest(open, ks))).arrayBuffer());
			const middle = await fetch(manifest(open, ks), { headers: { range: 'bytes=1000-1999' } });
			expect(middle.status).to.equal(206);
			expect(middle.headers.get('content-range')).to.equal(`bytes 1000-1999/${size}`);
			expect(middle.headers.get('content-length')).to.equal('1000');
			expect(Buffer.from(await middle.arrayBuffer()).equals(whole.subarray(1000, 2000))).to.equal(true);
			const tail = await fetch(manifest(open, ks), { headers: { range: 'bytes=-500' } });
			expect(tail.headers.get('content-range')).to.equal(`bytes ${size - 500}-${size - 1}/${size}`);
			expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(size - 500))).to.equal(true);
			const rest = await fetch(manifest(open, ks), { headers: { range: `bytes=${size - 10}-` } });
			expect(rest.status).to.equal(206);
			expect((await rest.arrayBuffer()).byteLength).to.equal(10);
			const past = await fetch(manifest(open, ks), { headers: { range: `bytes=${size}-` } });
			expect(past.status).to.equal(416);
			expect(past.headers.get('content-range')).to.equal(`bytes */${size}`);
		});

		it('GIVEN a profile requiring a KS THEN sview for the entry or an ADMIN KS plays it; sview for another entry, a plain USER KS or none are refused', async function () {
			expect((await fetch(manifest(guarded, k.mintKs({ type: 0, userId: 'someone', privileges: `sview:${guarded}` })))).status).to.equal(200);
			expect((await fetch(manifest(guarded, k.mintKs({ type: 0, userId: 'someone', privileges: 'sview:*' })))).status).to.equal(200);
			expect((await fetch(manifest(guarded, k.mintKs({ type: 2 })))).status).to.equal(200);
			for (const ks of [
				k.mintKs({ type: 0, userId: 'someone', privileges: `sview:${open}` }),
				k.mintKs({ type: 0, userId: 'someone' }),
				undefined
			]) {
				expect(await refusal(await fetch(manifest(guarded, ks)))).to.deep.equal({ status: 404, kaltura: 'error-3', body: '' });
			}
		});

		it('GIVEN an expired KS THEN KS_EXPIRED; a KS that does not decrypt THEN INVALID_KS; never the video', async function () {
			const expired = k.mintKs({ type: 0, userId: 'someone', expiry: -60 });
			expect(await refusal(await fetch(manifest(open, expired)))).to.deep.equal({ status: 404, kaltura: 'error-31', body: '' });
			const forged = k.mintKs({ type: 0, userId: 'someone' }).slice(0, -8) + 'AAAAAAAA';
			expect(await refusal(await fetch(manifest(open, forged)))).to.deep.equal({ status: 404, kaltura: 'error-7', body: '' });
		});

		it('GIVEN no KS THEN a public entry plays; one the partner’s default entitlement hides, or an unknown one, is not found', async function () {
			expect((await fetch(manifest(open))).status).to.equal(200);
			expect(await refusal(await fetch(manifest('0_missing1')))).to.deep.equal({ status: 404, kaltura: 'error-1', body: '' });
			const partner = k.state.partner(PID);
			if (partner === undefined) throw new Error('no partner');
			partner.defaultEntitlementEnforcement = true;
			try {
				expect((await refusal(await fetch(manifest(staffOnly)))).kaltura).to.equal('error-1');
				expect((await fetch(manifest(open))).status).to.equal(200);
			} finally {
				partner.defaultEntitlementEnforcement = false;
			}
		});

		it('GIVEN an entry that is not ready THEN FLAVOR_NOT_FOUND', async function () {
			const converting = k.state.addEntry({ name: 'Converting', status: 4 }).id as string;
			expect((await refusal(await fetch(manifest(converting, k.mintKs({ type: 2 }))))).kaltura).to.equal('error-6');
		});
	});
});
