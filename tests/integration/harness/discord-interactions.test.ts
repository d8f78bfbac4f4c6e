import { expect } from 'chai';
import {
	ActionRowBuilder,
	ApplicationCommandOptionType,
	ApplicationCommandType,
	ButtonBuilder,
	ButtonStyle,
	Client,
	DiscordAPIError,
	Events,
	GatewayIntentBits,
	InteractionResponseType,
	MessageFlags,
	ModalBuilder,
	StringSelectMenuBuilder,
	TextInputBuilder,
	TextInputStyle,
	type Interaction
} from 'discord.js';
import { DiscordStandIn, loginClient, type StoredGuild } from '../../harness/discord/index.js';

type Handler = (interaction: Interaction) => Promise<void>;

describe('Discord stand-in: interactions', function () {
	this.timeout(15_000);

	let discord: DiscordStandIn;
	let client: Client;
	let guild: StoredGuild;
	let memberId: string;
	let handler: Handler;
	let handlerErrors: unknown[];

	beforeEach(async () => {
		discord = await DiscordStandIn.start();
		guild = discord.addGuild({ name: 'Interaction Guild' });
		memberId = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		handlerErrors = [];
		handler = async () => undefined;
		client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], ...discord.clientOptions() });
		client.on(Events.InteractionCreate, (interaction) => {
			handler(interaction).catch((error: unknown) => handlerErrors.push(error));
		});
		await loginClient(client, discord);
	});

	afterEach(async () => {
		await client.destroy();
		await discord.stop();
	});

	/** Resolves with the error the handler threw (fails if it threw none within the timeout). */
	const handlerError = (): Promise<unknown> => discord.waitFor(() => handlerErrors[0], 'the interaction handler to throw', 3_000);

	it('GIVEN a slash command with options WHEN the bot replies ephemerally THEN the handle resolves with the reply', async () => {
		const target = discord.addMember(guild.id, { user: { username: 'bob' } }).user.id;
		let seen: { name: string; text: string | null; count: number | null; user: string | undefined; channelId: string } | undefined;
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			seen = {
				name: interaction.commandName,
				text: interaction.options.getString('text'),
				count: interaction.options.getInteger('count'),
				user: interaction.options.getUser('who')?.username,
				channelId: interaction.channelId
			};
			await interaction.reply({ content: `echo ${interaction.options.getString('text')}`, flags: MessageFlags.Ephemeral });
		};

		const handle = discord.runSlashCommand({
			guildId: guild.id,
			memberId,
			name: 'echo',
			options: {
				text: 'hello',
				count: 3,
				who: { type: ApplicationCommandOptionType.User, value: target }
			}
		});
		const callback = await handle.waitForCallback();

		expect(seen).to.deep.equal({ name: 'echo', text: 'hello', count: 3, user: 'bob', channelId: guild.systemChannelId });
		expect(callback.type).to.equal(InteractionResponseType.ChannelMessageWithSource);
		expect(callback.ephemeral).to.equal(true);
		expect(callback.message?.content).to.equal('echo hello');
		expect(callback.message?.flags ?? 0).to.equal(MessageFlags.Ephemeral);
		expect(discord.channelMessages(guild.systemChannelId!), 'ephemeral replies are not channel history').to.have.length(0);
		expect(handle.payload.type).to.equal(2);
	});

	it('GIVEN a registered command WHEN it is run THEN the interaction carries its registered id and the member permissions', async () => {
		const [registered] = [
			...(
				await client.application!.commands.set([{ name: 'whoami', description: 'Who am I', type: ApplicationCommandType.ChatInput }])
			).values()
		];
		let commandId: string | undefined;
		let canManage: boolean | undefined;
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			commandId = interaction.commandId;
			canManage = interaction.memberPermissions?.has('ManageGuild');
			await interaction.reply('you are alice');
		};
		const reply = await discord.runSlashCommand({ guildId: guild.id, memberId, name: 'whoami' }).waitForReply();
		expect(commandId).to.equal(registered!.id);
		expect(canManage).to.equal(false);
		expect(reply.content).to.equal('you are alice');
		expect(discord.channelMessages(guild.systemChannelId!).map((m) => m.content)).to.deep.equal(['you are alice']);
	});

	it('GIVEN a deferred reply WHEN the bot edits it and follows up THEN the handle sees the edit and the follow-up', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.deferReply();
			await interaction.editReply('done thinking');
			await interaction.followUp({ content: 'one more thing', flags: MessageFlags.Ephemeral });
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'slow' });
		const reply = await handle.waitForReply();
		const followUp = await handle.waitForFollowUp();

		expect(handle.callback?.type).to.equal(InteractionResponseType.DeferredChannelMessageWithSource);
		expect(reply.content).to.equal('done thinking');
		expect((reply.flags ?? 0) & MessageFlags.Loading).to.equal(0);
		expect(followUp.content).to.equal('one more thing');
		expect((followUp.flags ?? 0) & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
		expect(discord.channelMessages(guild.systemChannelId!).map((m) => m.content)).to.deep.equal(['done thinking']);
	});

	it('GIVEN an acknowledged interaction WHEN the bot replies a second time THEN Discord answers 40060', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.reply('first');
			// discord.js guards this locally; a second process (or a reset flag) would not.
			interaction.replied = false;
			await interaction.reply('second');
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'twice' });
		const error = await handlerError();
		expect(error).to.be.instanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).code).to.equal(40060);
		expect((error as DiscordAPIError).message).to.equal('Interaction has already been acknowledged.');
		expect(handle.rejections.map((r) => r.code)).to.deep.equal([40060]);
		expect((await handle.waitForReply()).content).to.equal('first');
	});

	it('GIVEN the 3 s window has passed WHEN the bot replies THEN Discord answers 10062 Unknown interaction', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			discord.clock.advance(3_001);
			await interaction.reply('too late');
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'late' });
		const error = await handlerError();
		expect(error).to.be.instanceOf(DiscordAPIError);
		expect((error as DiscordAPIError).code).to.equal(10062);
		expect((error as DiscordAPIError).status).to.equal(404);
		expect(handle.callback).to.equal(undefined);
	});

	it('GIVEN a configurable response window WHEN the bot answers after it THEN the reply is refused', async () => {
		await client.destroy();
		await discord.stop();
		discord = await DiscordStandIn.start({ interactionResponseWindowMs: 100 });
		guild = discord.addGuild({ name: 'Fast Guild' });
		memberId = discord.addMember(guild.id, { user: { username: 'alice' } }).user.id;
		client = new Client({ intents: [GatewayIntentBits.Guilds], ...discord.clientOptions() });
		client.on(Events.InteractionCreate, (interaction) => {
			handler(interaction).catch((error: unknown) => handlerErrors.push(error));
		});
		await loginClient(client, discord);
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await new Promise((resolve) => setTimeout(resolve, 150));
			await interaction.deferReply();
		};
		discord.runSlashCommand({ guildId: guild.id, memberId, name: 'sleepy' });
		expect(((await handlerError()) as DiscordAPIError).code).to.equal(10062);
	});

	it('GIVEN an autocomplete that waits on a slow backend WHEN it answers after 3 real seconds THEN the interaction has failed and the late answer gets 10062', async () => {
		handler = async (interaction) => {
			if (!interaction.isAutocomplete()) return;
			await new Promise((resolve) => setTimeout(resolve, 3_300));
			await interaction.respond([{ name: 'too late', value: 'late' }]);
		};
		const handle = discord.autocomplete({ guildId: guild.id, memberId, name: 'pick', options: { fruit: 'ap' }, focused: 'fruit' });

		const waited = await handle.waitForCallback(10_000).then(
			() => undefined,
			(error: unknown) => error
		);

		expect(String(waited)).to.match(/got no response within 3000 ms/);
		expect(handle.expired).to.equal(true);
		const error = (await handlerError()) as DiscordAPIError;
		expect(error.code).to.equal(10062);
		expect(handle.callback).to.equal(undefined);
		expect(handle.rejections.map((r) => r.code)).to.deep.equal([10062]);
	});

	it('GIVEN an autocomplete answered within the deadline THEN it is accepted and not expired', async () => {
		handler = async (interaction) => {
			if (!interaction.isAutocomplete()) return;
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			await interaction.respond([]);
		};
		const handle = discord.autocomplete({ guildId: guild.id, memberId, name: 'pick', options: { fruit: '' }, focused: 'fruit' });
		expect((await handle.waitForCallback()).data).to.deep.equal({ choices: [] });
		expect(handle.expired).to.equal(false);
	});

	it('GIVEN the response window changed while running THEN the next interaction gets the new deadline', async () => {
		discord.timing.interactionResponseWindowMs = 200;
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await new Promise((resolve) => setTimeout(resolve, 300));
			await interaction.reply('late');
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'slow' });
		expect(String(await handle.waitForCallback(2_000).catch((error: unknown) => error))).to.match(/no response within 200 ms/);
		expect(((await handlerError()) as DiscordAPIError).code).to.equal(10062);
	});

	it('GIVEN 15 minutes have passed WHEN the bot follows up THEN the token is invalid (50027)', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.reply('now');
			discord.clock.advance(15 * 60_000 + 1);
			await interaction.followUp('much later');
		};
		discord.runSlashCommand({ guildId: guild.id, memberId, name: 'patient' });
		const error = (await handlerError()) as DiscordAPIError;
		expect(error.code).to.equal(50027);
		expect(error.status).to.equal(401);
	});

	it('GIVEN a message with a button WHEN a member presses it THEN the bot gets a ButtonInteraction and update() edits the message', async () => {
		handler = async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
					new ButtonBuilder().setCustomId('vote:yes').setLabel('Yes').setStyle(ButtonStyle.Success)
				);
				await interaction.reply({ content: 'Vote now', components: [row] });
				return;
			}
			if (interaction.isButton()) {
				await interaction.update({ content: `${interaction.user.username} voted ${interaction.customId}`, components: [] });
			}
		};
		const poll = await discord.runSlashCommand({ guildId: guild.id, memberId, name: 'poll' }).waitForReply();
		const press = discord.pressButton({ messageId: poll.id, customId: 'vote:yes', memberId });
		const updated = await press.waitForReply();

		expect(press.callback?.type).to.equal(InteractionResponseType.UpdateMessage);
		expect(updated.id).to.equal(poll.id);
		expect(updated.content).to.equal('alice voted vote:yes');
		expect(discord.channelMessages(guild.systemChannelId!)[0]?.components).to.deep.equal([]);
		expect(() => discord.pressButton({ messageId: poll.id, customId: 'vote:no', memberId })).to.throw(/no component "vote:no"/);
	});

	it('GIVEN a select menu WHEN a member picks values THEN deferUpdate + editReply edit the message the menu is on', async () => {
		handler = async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const menu = new StringSelectMenuBuilder()
					.setCustomId('colour')
					.setMinValues(1)
					.setMaxValues(2)
					.addOptions({ label: 'Red', value: 'red' }, { label: 'Blue', value: 'blue' }, { label: 'Green', value: 'green' });
				await interaction.reply({
					content: 'Pick colours',
					components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)]
				});
				return;
			}
			if (interaction.isStringSelectMenu()) {
				await interaction.deferUpdate();
				await interaction.editReply({ content: `picked ${interaction.values.join('+')}`, components: [] });
			}
		};
		const menuMessage = await discord.runSlashCommand({ guildId: guild.id, memberId, name: 'colours' }).waitForReply();
		expect(() => discord.selectMenu({ messageId: menuMessage.id, customId: 'colour', values: ['purple'], memberId })).to.throw(/no option/);
		const select = discord.selectMenu({ messageId: menuMessage.id, customId: 'colour', values: ['red', 'green'], memberId });
		const edited = await select.waitForReply();
		expect(select.callback?.type).to.equal(InteractionResponseType.DeferredMessageUpdate);
		expect(edited.id).to.equal(menuMessage.id);
		expect(edited.content).to.equal('picked red+green');
		expect(discord.channelMessages(guild.systemChannelId!).map((m) => m.content)).to.deep.equal(['picked red+green']);
	});

	it('GIVEN follow-ups WHEN the bot edits and deletes one THEN the webhook message routes apply them', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.reply('original');
			const followUp = await interaction.followUp('follow-up v1');
			await interaction.editReply({ message: followUp.id, content: 'follow-up v2' });
			const second = await interaction.followUp('to be deleted');
			await interaction.deleteReply(second.id);
			await interaction.deleteReply();
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'chain' });
		await discord.waitForRequest({ method: 'DELETE', path: /\/messages\/@original$/ });
		expect((await discord.waitForMessage({ kind: 'delete', content: 'original' })).source).to.equal('interaction-webhook');
		expect(handle.followUps.map((m) => m.content)).to.deep.equal(['follow-up v2']);
		expect(handle.original(), '@original was deleted').to.equal(undefined);
		expect(discord.channelMessages(guild.systemChannelId!).map((m) => m.content)).to.deep.equal(['follow-up v2']);
		expect(
			discord.requestsMatching({ route: '/webhooks/:webhook_id/:token/messages/:message_id' }).map((r) => `${r.method} ${r.status}`)
		).to.deep.equal(['PATCH 200', 'DELETE 204', 'DELETE 204']);
	});

	it('GIVEN a deferred ephemeral reply WHEN the first message is a follow-up THEN Discord edits the loading message instead', async () => {
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			await interaction.deferReply({ flags: MessageFlags.Ephemeral });
			await interaction.followUp({ content: 'answer' });
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'compat' });
		const reply = await handle.waitForReply();
		expect(reply.content).to.equal('answer');
		expect((reply.flags ?? 0) & MessageFlags.Ephemeral, 'stays ephemeral like the defer').to.equal(MessageFlags.Ephemeral);
		expect(handle.followUps).to.have.length(0);
	});

	it('GIVEN an autocomplete option WHEN the member types THEN the bot responds with choices', async () => {
		await client.application!.commands.set([
			{
				name: 'pick',
				description: 'Pick a fruit',
				options: [{ name: 'fruit', description: 'Fruit', type: ApplicationCommandOptionType.String, autocomplete: true, required: true }]
			}
		]);
		handler = async (interaction) => {
			if (!interaction.isAutocomplete()) return;
			const typed = interaction.options.getFocused();
			const fruits = ['apple', 'apricot', 'banana'].filter((f) => f.startsWith(typed));
			await interaction.respond(fruits.map((f) => ({ name: f, value: f })));
		};
		const handle = discord.autocomplete({ guildId: guild.id, memberId, name: 'pick', options: { fruit: 'ap' }, focused: 'fruit' });
		const callback = await handle.waitForCallback();
		expect(callback.type).to.equal(InteractionResponseType.ApplicationCommandAutocompleteResult);
		expect(callback.data).to.deep.equal({
			choices: [
				{ name: 'apple', value: 'apple' },
				{ name: 'apricot', value: 'apricot' }
			]
		});
	});

	it('GIVEN a command that shows a modal WHEN the member submits it THEN the bot receives the values and replies', async () => {
		handler = async (interaction) => {
			if (interaction.isChatInputCommand()) {
				const modal = new ModalBuilder()
					.setCustomId('feedback')
					.setTitle('Feedback')
					.addComponents(
						new ActionRowBuilder<TextInputBuilder>().addComponents(
							new TextInputBuilder().setCustomId('text').setLabel('Your feedback').setStyle(TextInputStyle.Paragraph)
						)
					);
				await interaction.showModal(modal);
				return;
			}
			if (interaction.isModalSubmit()) {
				await interaction.reply({ content: `thanks for: ${interaction.fields.getTextInputValue('text')}`, flags: MessageFlags.Ephemeral });
			}
		};
		const opened = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'feedback' });
		expect((await opened.waitForCallback()).type).to.equal(InteractionResponseType.Modal);
		expect(opened.modal?.title).to.equal('Feedback');
		const submitted = opened.submitModal({ fields: { text: 'great bot' } });
		const reply = await submitted.waitForReply();
		expect(reply.content).to.equal('thanks for: great bot');
		expect(submitted.callback?.ephemeral).to.equal(true);
	});

	it('GIVEN context menu commands WHEN a member uses them THEN the bot gets the target user and message', async () => {
		const bob = discord.addMember(guild.id, { user: { username: 'bob' }, nick: 'Bobby' }).user.id;
		const posted = discord.addMessage({ channelId: guild.systemChannelId!, authorId: bob, content: 'report me' });
		const seen: string[] = [];
		handler = async (interaction) => {
			if (interaction.isUserContextMenuCommand()) {
				seen.push(
					`user:${interaction.targetUser.username}:${interaction.targetMember && 'nickname' in interaction.targetMember ? interaction.targetMember.nickname : ''}`
				);
				await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
			} else if (interaction.isMessageContextMenuCommand()) {
				seen.push(`message:${interaction.targetMessage.content}`);
				await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
			}
		};
		await discord.runUserContextMenu({ guildId: guild.id, memberId, name: 'Inspect User', targetUserId: bob }).waitForCallback();
		await discord.runMessageContextMenu({ memberId, name: 'Report Message', targetMessageId: posted.id }).waitForCallback();
		expect(seen).to.deep.equal(['user:bob:Bobby', 'message:report me']);
	});

	it('GIVEN reply withResponse WHEN the bot asks for the callback response THEN it gets the created message', async () => {
		let messageId: string | undefined;
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			const response = await interaction.reply({ content: 'with response', withResponse: true });
			messageId = response.resource?.message?.id;
		};
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'fetchme' });
		const reply = await handle.waitForReply();
		await discord.waitFor(() => messageId, 'the bot to read the callback response');
		expect(messageId).to.equal(reply.id);
		expect(handle.callback?.withResponse).to.equal(true);
		const [callbackRequest] = discord.requestsMatching({ route: '/interactions/:interaction_id/:token/callback' });
		expect(callbackRequest?.status).to.equal(200);
		expect(callbackRequest?.query).to.deep.equal({ with_response: 'true' });
	});

	it('GIVEN a DM with the bot WHEN the user runs a command THEN the interaction has a user, no member, and the DM channel', async () => {
		let seen: { guildId: string | null; inGuild: boolean; channelId: string; user: string } | undefined;
		handler = async (interaction) => {
			if (!interaction.isChatInputCommand()) return;
			// Without Partials.Channel discord.js does not build the (uncached) DM channel; channelId is still set.
			seen = {
				guildId: interaction.guildId,
				inGuild: interaction.inGuild(),
				channelId: interaction.channelId,
				user: interaction.user.username
			};
			await interaction.reply('hi in DM');
		};
		const handle = discord.runSlashCommand({ userId: memberId, name: 'dm' });
		const reply = await handle.waitForReply();
		expect(seen).to.deep.equal({ guildId: null, inGuild: false, channelId: reply.channel_id, user: 'alice' });
		expect(handle.payload.context).to.equal(1);
		expect(discord.channelMessages(reply.channel_id).map((m) => m.content)).to.deep.equal(['hi in DM']);
	});

	it('GIVEN a bot that never answers THEN waitForCallback rejects with a clear message instead of hanging', async () => {
		const handle = discord.runSlashCommand({ guildId: guild.id, memberId, name: 'ignored' });
		let failure: unknown;
		try {
			await handle.waitForCallback(200);
		} catch (error) {
			failure = error;
		}
		expect(failure).to.be.instanceOf(Error);
		expect((failure as Error).message).to.match(/timed out after 200 ms waiting for the bot to acknowledge interaction \d+ \(type 2 "ignored"\)/);
	});

	it('GIVEN an unknown interaction token THEN the callback route answers 404 10062', async () => {
		const response = await fetch(`${discord.restUrl}/v10/interactions/123456789012345678/nope/callback`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ type: 4, data: { content: 'x' } })
		});
		expect(response.status).to.equal(404);
		expect(await response.json()).to.deep.equal({ code: 10062, message: 'Unknown interaction' });
	});
});
