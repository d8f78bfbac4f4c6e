import { expect } from 'chai';
import { parseCommandLine } from '../../harness/sandbox/parse-command-line.js';

describe('sandbox command line', () => {
	it('GIVEN values with spaces THEN each runs until the next option', () => {
		expect(parseCommandLine('/meeting start type:meeting title:Weekly standup duration:30')).to.deep.equal({
			name: 'meeting',
			subcommand: 'start',
			options: { type: 'meeting', title: 'Weekly standup', duration: '30' }
		});
	});

	it('GIVEN a quoted value that contains " word:" THEN it stays one value', () => {
		expect(parseCommandLine('/config set key:meetings.title value:"Agenda: intro \\"first\\"" ').options).to.deep.equal({
			key: 'meetings.title',
			value: 'Agenda: intro "first"'
		});
	});

	it('GIVEN an unquoted value that contains " word:" THEN it is read as two options, as help warns', () => {
		expect(parseCommandLine('/config set key:a value:Agenda note: intro').options).to.deep.equal({ key: 'a', value: 'Agenda', note: 'intro' });
	});

	it('GIVEN an empty value THEN it is an empty string', () => {
		expect(parseCommandLine('/video search query:').options).to.deep.equal({ query: '' });
	});

	it('GIVEN an unclosed quote THEN it says so', () => {
		expect(() => parseCommandLine('/config set key:a value:"open')).to.throw('has no closing "');
	});
});
