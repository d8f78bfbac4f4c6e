import { expect } from 'chai';
import { firstEntryIdIn, isEntryId } from '../lib/entry-ids.js';
import { parseShareButtonId, shareButtonId } from '../lib/custom-ids.js';
import { isPartnerLink } from '../lib/partner-links.js';

const POLICY = { linkHosts: ['4321.mediaspace.kaltura.com', '*.kaf.kaltura.com'] };
const partner = (url: string) => isPartnerLink(url, POLICY);

describe('videos plugin: recognising Kaltura entries in a message', () => {
	it('GIVEN ids as Kaltura makes them (data centre, _, eight base-36 characters) THEN only those are entry ids', () => {
		for (const id of ['0_abcd1234', '1_x9y8z7w6', '12_00000000']) expect(isEntryId(id), id).to.equal(true);
		for (const id of ['0_abcd123', '0_abcd12345', '0_ABCD1234', 'a_abcd1234', '123_abcd1234', '0-abcd1234', ' 0_abcd1234']) {
			expect(isEntryId(id), id).to.equal(false);
		}
	});

	it('GIVEN a message with several ids THEN the first is taken', () => {
		expect(firstEntryIdIn('watch 1_aaaaaaaa, then 0_bbbbbbbb', partner)).to.equal('1_aaaaaaaa');
	});

	it('GIVEN ids inside longer words, paths or addresses THEN none is taken', () => {
		for (const content of ['x1_aaaaaaaa', '1_aaaaaaaab', 'files/1_aaaaaaaa', 'mail 1_aaaaaaaa@school.example', 'v1.1_aaaaaaaa']) {
			expect(firstEntryIdIn(content, partner), content).to.equal(undefined);
		}
	});

	it('GIVEN links to entries on the partner’s hosts THEN their ids are taken, in the order they come', () => {
		expect(firstEntryIdIn('see https://4321.mediaspace.kaltura.com/media/Cats+explained/1_aaaaaaaa.', partner)).to.equal('1_aaaaaaaa');
		expect(firstEntryIdIn('<https://4321.mediaspace.kaltura.com/media/t/1_aaaaaaaa> or 0_bbbbbbbb', partner)).to.equal('1_aaaaaaaa');
		expect(firstEntryIdIn('https://school.kaf.kaltura.com/browseandembed/index/media/entryid/1_cccccccc/x', partner)).to.equal('1_cccccccc');
		expect(firstEntryIdIn('(https://school.kaf.kaltura.com/play?entryId=1_dddddddd&t=5)', partner)).to.equal('1_dddddddd');
		expect(firstEntryIdIn('0_bbbbbbbb then https://4321.mediaspace.kaltura.com/media/t/1_aaaaaaaa', partner)).to.equal('0_bbbbbbbb');
	});

	it('GIVEN an id only in a link elsewhere (or over http, or with a user name) THEN it is not taken, and an id after it is', () => {
		expect(firstEntryIdIn('https://videos.evil.example/media/t/1_aaaaaaaa', partner)).to.equal(undefined);
		expect(firstEntryIdIn('http://4321.mediaspace.kaltura.com/media/t/1_aaaaaaaa', partner)).to.equal(undefined);
		expect(firstEntryIdIn('https://4321.mediaspace.kaltura.com@evil.example/media/t/1_aaaaaaaa', partner)).to.equal(undefined);
		expect(firstEntryIdIn('https://evil.example/1_aaaaaaaa and 0_bbbbbbbb', partner)).to.equal('0_bbbbbbbb');
	});

	it('GIVEN Share button ids THEN only ours naming an entry id are read', () => {
		expect(parseShareButtonId(shareButtonId('1_aaaaaaaa'))).to.equal('1_aaaaaaaa');
		expect(shareButtonId('12_aaaaaaaa').length).to.be.at.most(100);
		for (const id of [
			'videos:share:',
			'videos:share:1_aaaaaaaa/x',
			'videos:share:../../x',
			'meetings:join:1_aaaaaaaa',
			'videos:share:1_AAAAAAAA'
		]) {
			expect(parseShareButtonId(id), id).to.equal(undefined);
		}
	});
});
