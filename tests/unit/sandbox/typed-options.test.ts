import { ApplicationCommandOptionType, ApplicationCommandType, PermissionFlagsBits, type APIApplicationCommand } from 'discord-api-types/v10';
import { expect } from 'chai';
import { permissionWords, prepareTypedOptions } from '../../harness/discord/typed-options.js';

const command = {
	id: '1',
	application_id: '2',
	version: '1',
	type: ApplicationCommandType.ChatInput,
	name: 'meeting',
	description: 'Meetings',
	default_member_permissions: null,
	options: [
		{
			type: ApplicationCommandOptionType.Subcommand,
			name: 'start',
			description: 'Start one',
			options: [
				{
					type: ApplicationCommandOptionType.String,
					name: 'type',
					description: 'Kind',
					required: true,
					choices: [{ name: 'Virtual classroom', value: 'classroom' }]
				},
				{ type: ApplicationCommandOptionType.String, name: 'title', description: 'Title', required: true, min_length: 1, max_length: 10 },
				{ type: ApplicationCommandOptionType.Integer, name: 'duration', description: 'Minutes', min_value: 5, max_value: 60 },
				{ type: ApplicationCommandOptionType.Boolean, name: 'public', description: 'Public' },
				{ type: ApplicationCommandOptionType.String, name: 'note', description: 'Note' }
			]
		}
	]
} as APIApplicationCommand;

const start = (options: Record<string, string>) => prepareTypedOptions(command, { subcommand: 'start' }, options);

describe("typed options, checked as Discord's client checks them", () => {
	it('GIVEN valid values THEN they are typed from the definition, a choice by its name or value', () => {
		expect(start({ type: 'Virtual classroom', title: 'Standup', duration: '30', public: 'true', note: '' })).to.deep.equal({
			options: { type: 'classroom', title: 'Standup', duration: 30, public: true }
		});
	});

	it('GIVEN a value outside a limit THEN the problem names the option and the limit', () => {
		expect(start({ type: 'classroom', title: 'x'.repeat(11) })).to.deep.equal({
			problem: '/meeting start title: at most 10 characters (you typed 11).'
		});
		expect(start({ type: 'classroom', title: 'a', duration: '4' })).to.deep.equal({ problem: '/meeting start duration: at least 5.' });
		expect(start({ type: 'classroom', title: 'a', duration: '2.5' })).to.deep.equal({ problem: '/meeting start duration: type a whole number.' });
		expect(start({ type: 'party', title: 'a' })).to.deep.equal({ problem: '/meeting start type: pick one of Virtual classroom.' });
	});

	it('GIVEN a required option left empty THEN it is refused, as the client cannot send it', () => {
		expect(start({ type: 'classroom', title: '' })).to.deep.equal({ problem: '/meeting start needs title: filled in.' });
	});

	it('GIVEN no limit on a string THEN the 6000 characters of a string option still apply', () => {
		expect(start({ type: 'classroom', title: 'a', note: 'n'.repeat(6001) })).to.deep.equal({
			problem: '/meeting start note: at most 6000 characters (you typed 6001).'
		});
	});

	it('GIVEN a wrong path THEN the sub-commands are listed', () => {
		expect(prepareTypedOptions(command, {}, {})).to.deep.equal({ problem: '/meeting needs one of: start.' });
		expect(prepareTypedOptions(command, { subcommand: 'stop' }, {})).to.deep.equal({
			problem: '/meeting has no sub-command "stop"; it has: start.'
		});
	});

	it('GIVEN permission bits THEN they read as Discord names them', () => {
		expect(permissionWords(PermissionFlagsBits.ManageGuild)).to.equal('Manage Server');
		expect(permissionWords(PermissionFlagsBits.ManageGuild | PermissionFlagsBits.ManageEvents)).to.equal('Manage Server and Manage Events');
	});
});
