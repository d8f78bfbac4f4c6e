import { expect } from 'chai';
import { ApplicationCommandOptionType, ApplicationCommandType, Client, GatewayIntentBits, type ApplicationCommandDataResolvable } from 'discord.js';
import { DiscordStandIn, loginClient, type StoredGuild } from '../../harness/discord/index.js';
import { discordRejectionOf } from '../../helpers/rejection-of.js';

const COMMANDS_ROUTE = '/applications/:application_id/commands';

describe('Discord stand-in: application command registration', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client;
	let guild: StoredGuild;

	beforeEach(async () => {
		discord = await DiscordStandIn.start();
		guild = discord.addGuild({ name: 'Commands Guild' });
		client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		await loginClient(client, discord);
	});

	afterEach(async () => {
		await client.destroy();
		await discord.stop();
	});

	const valid: ApplicationCommandDataResolvable[] = [
		{
			name: 'config',
			description: 'Configure the bot',
			options: [
				{
					type: ApplicationCommandOptionType.Subcommand,
					name: 'set',
					description: 'Set a value',
					options: [
						{
							type: ApplicationCommandOptionType.String,
							name: 'key',
							description: 'Key',
							required: true,
							choices: [{ name: 'Prefix', value: 'prefix' }]
						},
						{ type: ApplicationCommandOptionType.String, name: 'value', description: 'Value', required: false }
					]
				},
				{
					type: ApplicationCommandOptionType.SubcommandGroup,
					name: 'roles',
					description: 'Role settings',
					options: [{ type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'List roles' }]
				}
			]
		},
		{ name: 'Inspect User', type: ApplicationCommandType.User },
		{ name: 'Report Message', type: ApplicationCommandType.Message },
		{ name: 'ping-ह', description: 'Devanagari is allowed in names' }
	];

	it('GIVEN valid commands WHEN the bot bulk-overwrites them THEN they are stored with ids and the PUT body is recorded', async () => {
		const registered = await client.application!.commands.set(valid);
		expect([...registered.values()].map((c) => c.name).sort()).to.deep.equal(['Inspect User', 'Report Message', 'config', 'ping-ह']);
		const [put] = discord.requestsMatching({ method: 'PUT', route: COMMANDS_ROUTE });
		expect(put?.status).to.equal(200);
		expect((put?.body as { name: string }[]).map((c) => c.name)).to.deep.equal(['config', 'Inspect User', 'Report Message', 'ping-ह']);
		expect(discord.state.globalCommands.size).to.equal(4);

		const again = await client.application!.commands.set(valid);
		expect([...again.keys()].sort(), 'overwriting by name keeps ids').to.deep.equal([...registered.keys()].sort());
		const fetched = await client.application!.commands.fetch();
		expect(fetched.size).to.equal(4);
	});

	it('GIVEN a required option after an optional one THEN 50035 APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID at 0.options[1]', async () => {
		const error = await discordRejectionOf(
			client.application!.commands.set([
				{
					name: 'bad',
					description: 'Bad order',
					options: [
						{ type: ApplicationCommandOptionType.String, name: 'optional', description: 'o', required: false },
						{ type: ApplicationCommandOptionType.String, name: 'required', description: 'r', required: true }
					]
				}
			])
		);
		expect(error.code).to.equal(50035);
		expect(error.status).to.equal(400);
		expect(error.rawError).to.deep.equal({
			code: 50035,
			message: 'Invalid Form Body',
			errors: {
				'0': {
					options: {
						'1': {
							_errors: [
								{
									code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
									message: 'Required options must be placed before non-required options'
								}
							]
						}
					}
				}
			}
		});
		expect(error.message).to.include('0.options[1][APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID]');
		expect(discord.state.globalCommands.size, 'nothing stored').to.equal(0);
	});

	it('GIVEN an uppercase chat input name THEN 50035 APPLICATION_COMMAND_INVALID_NAME', async () => {
		const error = await discordRejectionOf(client.application!.commands.set([{ name: 'Ping', description: 'Upper case' }]));
		expect(error.code).to.equal(50035);
		expect(error.message).to.include('0.name[APPLICATION_COMMAND_INVALID_NAME]: Command name is invalid');
	});

	it('GIVEN 26 choices THEN 50035 BASE_TYPE_MAX_LENGTH on the choices', async () => {
		const choices = Array.from({ length: 26 }, (_, i) => ({ name: `choice ${i}`, value: `c${i}` }));
		const error = await discordRejectionOf(
			client.application!.commands.set([
				{
					name: 'many',
					description: 'Too many choices',
					options: [{ type: ApplicationCommandOptionType.String, name: 'pick', description: 'p', choices }]
				}
			])
		);
		expect(error.message).to.include('0.options[0].choices[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length.');
	});

	it('GIVEN other rule breaks THEN each is reported at its path', async () => {
		const cases: [ApplicationCommandDataResolvable[], string][] = [
			[
				[
					{ name: 'dup', description: 'a' },
					{ name: 'dup', description: 'b' }
				],
				'1[APPLICATION_COMMANDS_DUPLICATE_NAME]'
			],
			[[{ name: 'x'.repeat(33), description: 'long' }], '0.name[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 32 in length.'],
			[[{ name: 'nodesc', description: '' }], '0.description[BASE_TYPE_BAD_LENGTH]: Must be between 1 and 100 in length.'],
			[[{ name: 'has space', description: 'space' }], '0.name[APPLICATION_COMMAND_INVALID_NAME]'],
			[
				[{ name: 'Menu', type: ApplicationCommandType.User, description: 'not allowed' } as ApplicationCommandDataResolvable],
				'0.description[APPLICATION_COMMAND_INVALID_DESCRIPTION]'
			],
			[
				[
					{
						name: 'toomany',
						description: 'd',
						options: Array.from({ length: 26 }, (_, i) => ({
							type: ApplicationCommandOptionType.Boolean,
							name: `o${i}`,
							description: 'd'
						}))
					}
				],
				'0.options[BASE_TYPE_MAX_LENGTH]: Must be 25 or fewer in length.'
			],
			[
				[
					{
						name: 'mixed',
						description: 'd',
						options: [
							{ type: ApplicationCommandOptionType.Subcommand, name: 'sub', description: 'd' },
							{ type: ApplicationCommandOptionType.String, name: 'loose', description: 'd' }
						]
					}
				],
				'0.options[APPLICATION_COMMAND_OPTIONS_TYPE_INVALID]'
			],
			[
				[
					{
						name: 'dupopt',
						description: 'd',
						options: [
							{ type: ApplicationCommandOptionType.String, name: 'same', description: 'd' },
							{ type: ApplicationCommandOptionType.Integer, name: 'same', description: 'd' }
						]
					}
				],
				'0.options[1][APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS]'
			]
		];
		for (const [body, expected] of cases) {
			const error = await discordRejectionOf(client.application!.commands.set(body));
			expect(error.code, expected).to.equal(50035);
			expect(error.message, expected).to.include(expected);
		}
		expect(discord.state.globalCommands.size).to.equal(0);
	});

	it("GIVEN guild commands WHEN the bot creates, upserts, edits and deletes one THEN Discord's semantics apply", async () => {
		const commands = client.guilds.cache.get(guild.id)!.commands;
		const created = await commands.create({ name: 'hello', description: 'Say hello' });
		expect(created.guildId).to.equal(guild.id);
		expect(discord.requestsMatching({ method: 'POST' })[0]?.status).to.equal(201);

		const upserted = await commands.create({ name: 'hello', description: 'Say hello again' });
		expect(upserted.id, 'creating an existing name overwrites it').to.equal(created.id);
		expect(discord.requestsMatching({ method: 'POST' })[1]?.status).to.equal(200);

		const versionBeforeEdit = upserted.version; // discord.js patches the cached object in place
		const edited = await commands.edit(created.id, { description: 'Edited' });
		expect(edited.description).to.equal('Edited');
		expect(edited.version, 'a changed command gets a new version').to.not.equal(versionBeforeEdit);

		const badEdit = await discordRejectionOf(commands.edit(created.id, { name: 'NotLower' }));
		expect(badEdit.message).to.include('name[APPLICATION_COMMAND_INVALID_NAME]');

		await commands.delete(created.id);
		expect(discord.state.guildCommands.get(guild.id)?.size).to.equal(0);
		const missing = await discordRejectionOf(commands.fetch(created.id));
		expect(missing.code).to.equal(10063);
	});
});
