import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ApplicationCommandType, InteractionResponseType, type APIMessage } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../discord/index.js';
import { permissionWords, prepareTypedOptions } from '../discord/typed-options.js';
import { KalturaStandIn } from '../kaltura/index.js';
import { parseCommandLine } from './parse-command-line.js';
import { painterFor } from './render-markdown.js';
import { buttonsOf, renderMessage, type MentionNames } from './render-message.js';
import { openSandboxWorld, SANDBOX_APPLICATION_ID, SANDBOX_GUILD_ID, saveSandboxWorld, type SandboxMember } from './seed.js';

/** The sandbox keeps its world (guild configuration, the stand-ins' state) between runs; SANDBOX_DATA_DIR points a scripted run elsewhere. */
const DATA_DIRECTORY = resolve(process.env.SANDBOX_DATA_DIR ?? join(import.meta.dirname, '..', '..', '..', 'data', 'sandbox'));
const ADMIN_SECRET = 'sandbox-admin-secret-not-for-production';
const JWT_SECRET = 'sandbox-jwt-secret-not-for-production-use-only';
const NOTIFICATION_EVENTS = {
	'entry-ready': 'entryReady',
	'entry-added': 'entryAdded',
	'live-started': 'liveStreamStarted',
	'live-ended': 'liveStreamEnded',
	'meeting-scheduled': 'meetingScheduled',
	'meeting-cancelled': 'meetingCancelled',
	'user-created': 'userCreated'
} as const;
/** Kaltura's schedule events are a plugin's objects, named by this string in notifications. */
const SCHEDULE_EVENT_OBJECT_TYPE = 'scheduleEventNotifications.ScheduleEvent';
/** After a reply, how long nothing new may happen before the prompt comes back: a deferred reply is edited later (progress, then a summary). */
const QUIET_AFTER_REPLY_MS = 400;
const QUIET_AFTER_DEFERRAL_MS = 1_500;
/** How long later edits of a reply are still shown: an interaction token lets the bot edit for 15 minutes. */
const FOLLOW_LIMIT_MS = 15 * 60_000;

const paint = painterFor(process.stdout);

const HELP = `
  /<command> [sub] key:value ...   run a slash command as the current member, e.g.
                                   /plugins list · /plugins enable plugin:videos · /video search query:onboarding
                                   /config view key:videos · /config set key:videos.resultLimit value:3 · /about
                                   #channel, @member and @Role fill channel, member and role options.
                                   A value runs until the next " word:", so a value that contains " word:" is quoted:
                                   /config set key:meetings.defaultTitle value:"Agenda: intro" (\\" is a quote inside).
                                   Options are checked as Discord's client checks them (required, choices, lengths, ranges).
  menu "Kaltura profile" @member   the member context menu (Apps → Kaltura profile) on a member
  menu "Start Kaltura meeting" <message>
                                   the message context menu on a message: its id, or "last" (the newest message in
                                   the current channel; post one with "say")
  say <text>                       post a message as the current member in the current channel
  in #channel                      change the current channel (commands run there; default #general)
  commands                         the commands the bot has published, with their sub-commands
  as <member>                      act as another member (ada: admin, kim: moderator, max: member)
  members                          list the members
  press <label>                    press a button of the last message shown
  messages [#channel]              show the bot's messages in a channel (default: the current one)
  notify <event> [id]              Kaltura sends a signed notification to the bot: ${Object.keys(NOTIFICATION_EVENTS).join(', ')}
                                   (entry-* make a new upload unless given an entry id; user-created makes a new Kaltura user;
                                   live-* are about one sandbox live stream and meeting-* about one scheduled meeting, so
                                   the "ended" and "cancelled" ones show the bot editing its earlier post)
  help                             this list
  quit                             stop everything (the sandbox's world is kept in its data directory)`;

async function main(): Promise<void> {
	mkdirSync(DATA_DIRECTORY, { recursive: true });
	print(paint('dim', `Starting the Discord and Kaltura stand-ins and the bot (everything kept in ${DATA_DIRECTORY})…`));
	// The sandbox's application has the Server Members intent enabled "in the developer portal", and only that one.
	const discord = await DiscordStandIn.start({
		applicationId: SANDBOX_APPLICATION_ID,
		privilegedIntents: { guildMembers: true, guildPresences: false, messageContent: false }
	});
	const kaltura = await KalturaStandIn.start({ partnerId: 1000001, adminSecret: ADMIN_SECRET });
	const world = openSandboxWorld(discord, kaltura, DATA_DIRECTORY);
	const { guildName, channels, members } = world;
	const save = () => saveSandboxWorld(discord, kaltura, DATA_DIRECTORY);
	const bot = await BotProcess.start({
		logFile: join(DATA_DIRECTORY, 'bot.log'),
		// Not the checkout: the bot would load the developer's own .env from there. It sees only what is below.
		cwd: DATA_DIRECTORY,
		env: {
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET,
			DATA_DIR: DATA_DIRECTORY,
			LOG_LEVEL: 'info',
			DISCORD_PRIVILEGED_INTENTS: 'GuildMembers',
			// The sandbox's operator lets its server map Admins to the Kaltura role admin (not allowed by default).
			KALTURA_MAPPABLE_ROLES: 'viewer,moderator,admin',
			// Only the sandbox server is served, so the start-up log carries no warning about uninvited servers.
			ALLOWED_GUILD_IDS: SANDBOX_GUILD_ID
		}
	});
	// The bot published its commands to this stand-in: keep them, as Discord does, for the next run.
	save();

	if (world.fresh) {
		// Admins and Moderators get their Kaltura roles through the bot's own API, as an operator's script would.
		const token = new ApiTokenService(JWT_SECRET).issue({ userId: members[0]!.id, guildId: SANDBOX_GUILD_ID, scope: [GUILD_MANAGE_SCOPE] });
		const mapped = await fetch(`${bot.apiUrl}/guilds/${SANDBOX_GUILD_ID}/role-mappings`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ mappings: world.roleMappings })
		});
		if (!mapped.ok) print(paint('yellow', `Could not map the sandbox roles (HTTP ${mapped.status}); /roles map does it by hand.`));
	}

	let closing = false;
	let actor: SandboxMember = members[0]!;
	let channelId = channels.get('general')!;
	const channelNames = new Map([...channels].map(([name, id]) => [id, name]));
	/** Messages shown so far, newest last: `press` looks for the button in the newest message that has it. */
	const shown: APIMessage[] = [];
	const names = mentionNames(discord, SANDBOX_GUILD_ID);
	print(
		`Sandbox ready: server "${guildName}" with #${[...channels.keys()].join(', #')}; members ${members.map((member) => `${member.name} (${member.role})`).join(', ')}.`
	);
	print('Admins map to the Kaltura role admin and Moderators to moderator; everyone else is a viewer.');
	print(`The bot's API is at ${bot.apiUrl}; its log is in ${join(DATA_DIRECTORY, 'bot.log')}. Type "help" for what you can do.`);

	/** After output that arrived between commands, the prompt again (at a terminal). */
	let redrawPrompt: () => void = () => undefined;

	const show = (message: APIMessage, heading: string) => {
		shown.push(message);
		print(renderMessage(message, heading, paint, names));
	};

	/** What the bot posted in or changed in channels since `eventsBefore` (an announcement, an embed marked ended), latest state of each. */
	const showChannelActivity = (eventsBefore: number, exclude: ReadonlySet<string>) => {
		const touched = new Map<string, { channelId: string; kind: string }>();
		for (const event of discord.state.messageEvents.slice(eventsBefore)) {
			if (event.ephemeral || event.kind === 'delete' || event.message.author.id !== discord.applicationId || exclude.has(event.messageId))
				continue;
			if (!channelNames.has(event.channelId)) continue;
			touched.set(event.messageId, { channelId: event.channelId, kind: touched.get(event.messageId)?.kind ?? event.kind });
		}
		for (const [messageId, { channelId: where, kind }] of touched) {
			const message = discord.channelMessages(where).find((candidate) => candidate.id === messageId);
			if (message) show(message, paint('magenta', `bot ${kind === 'create' ? 'in' : 'edited a message in'} #${channelNames.get(where)}:`));
		}
	};

	/**
	 * Follows one interaction as a Discord client shows it: the reply (or "thinking…" for a deferral), then each
	 * edit of the reply and each follow-up as it arrives, until the bot has been quiet for a moment.
	 */
	const runInteraction = async (handle: InteractionHandle) => {
		const eventsBefore = discord.state.messageEvents.length;
		try {
			await handle.waitForCallback(5_000);
		} catch (error) {
			if (!handle.expired) throw error;
			// Discord's client says this when the bot does not acknowledge within 3 seconds.
			return print(paint('red', `The application did not respond (the bot's log may say why: ${join(DATA_DIRECTORY, 'bot.log')}).`));
		}
		const callback = handle.callback!;
		const ephemeral = callback.ephemeral === true ? ' (only you can see this)' : '';
		const deferred =
			callback.type === InteractionResponseType.DeferredChannelMessageWithSource ||
			callback.type === InteractionResponseType.DeferredMessageUpdate;
		if (callback.type === InteractionResponseType.DeferredChannelMessageWithSource) print(paint('dim', `bot is thinking…${ephemeral}`));
		else if (callback.message) show(callback.message, paint('magenta', `bot${ephemeral}:`));
		let editsShown = 0;
		let followUpsShown = 0;
		/** Shows what is new since the last look; true when there was something. */
		const catchUp = (): boolean => {
			let changed = false;
			const edits = handle.edits;
			for (; editsShown < edits.length; editsShown++) {
				const heading = deferred && editsShown === 0 ? `bot${ephemeral}:` : `bot edited its reply${ephemeral}:`;
				show(edits[editsShown]!, paint('magenta', heading));
				changed = true;
			}
			const followUps = handle.followUps;
			for (; followUpsShown < followUps.length; followUpsShown++) {
				show(followUps[followUpsShown]!, paint('magenta', 'bot (follow-up):'));
				changed = true;
			}
			return changed;
		};
		let lastChange = Date.now();
		const quiet = deferred ? QUIET_AFTER_DEFERRAL_MS : QUIET_AFTER_REPLY_MS;
		while (Date.now() - lastChange < quiet) {
			await new Promise((done) => setTimeout(done, 100));
			if (catchUp()) lastChange = Date.now();
		}
		const original = handle.original();
		showChannelActivity(eventsBefore, new Set([...(original ? [original.id] : []), ...handle.followUps.map((followUp) => followUp.id)]));
		// Later edits and follow-ups (a long /kaltura-sync's progress and summary) still show when they come, as in Discord,
		// for as long as the bot may still edit (the interaction token's 15 minutes).
		const following = setInterval(() => {
			if (closing) return clearInterval(following);
			if (handle.edits.length === editsShown && handle.followUps.length === followUpsShown) return;
			// At a terminal, over the prompt line rather than after it; the prompt comes back below.
			if (process.stdout.isTTY) process.stdout.write('\r\u001b[K');
			catchUp();
			redrawPrompt();
		}, 250);
		following.unref();
		setTimeout(() => clearInterval(following), FOLLOW_LIMIT_MS).unref();
	};

	/** Discord's client offers a command only where it exists and the member has its default permissions; it says so in words here. */
	const refusal = (name: string, type: ApplicationCommandType, where: string): string | undefined => {
		const command = discord.state.findCommand(name, type, SANDBOX_GUILD_ID);
		const label = type === ApplicationCommandType.ChatInput ? `/${name}` : `"${name}"`;
		if (!command) {
			const known = publishedCommands(discord, type);
			return `No such command: ${label}. ${known.length > 0 ? `The bot's ${type === ApplicationCommandType.ChatInput ? 'commands' : 'menu entries'}: ${known.join(', ')}.` : 'The bot has published none of that kind.'}`;
		}
		if (command.default_member_permissions) {
			const required = BigInt(command.default_member_permissions);
			const has = discord.state.channelPermissions(SANDBOX_GUILD_ID, actor.id, where);
			if ((has & required) !== required)
				return `You need the ${permissionWords(required)} permission to use ${label}, so Discord does not offer it to ${actor.name}.`;
		}
		return undefined;
	};

	/** `#announcements`, `@max` and `@Moderators` as a person types them, turned into the ids Discord sends. */
	const resolveName = (value: string): string => {
		const guild = discord.state.guilds.get(SANDBOX_GUILD_ID);
		if (value.startsWith('#')) return channels.get(value.slice(1)) ?? value;
		if (!value.startsWith('@')) return value;
		const name = value.slice(1).toLowerCase();
		const member = members.find((candidate) => candidate.name === name);
		const role = [...(guild?.roles.values() ?? [])].find((candidate) => candidate.name.toLowerCase() === name);
		return member?.id ?? role?.id ?? value;
	};

	const runSlashCommand = async (text: string) => {
		const command = parseCommandLine(text);
		const refused = refusal(command.name, ApplicationCommandType.ChatInput, channelId);
		if (refused) return print(paint('yellow', refused));
		const definition = discord.state.findCommand(command.name, ApplicationCommandType.ChatInput, SANDBOX_GUILD_ID)!;
		const typed = Object.fromEntries(Object.entries(command.options).map(([key, value]) => [key, resolveName(value)]));
		const prepared = prepareTypedOptions(definition, command, typed);
		if ('problem' in prepared) return print(paint('yellow', prepared.problem));
		await runInteraction(
			discord.runSlashCommand({ guildId: SANDBOX_GUILD_ID, channelId, memberId: actor.id, ...command, options: prepared.options })
		);
	};

	/** The live stream and the meeting the live-* and meeting-* notifications are about, made on first use. */
	let liveStreamId: string | undefined;
	let meeting: Record<string, unknown> | undefined;

	const handlers: Record<string, (argument: string) => Promise<void> | void> = {
		help: () => print(HELP),
		commands: () => {
			for (const line of describeCommands(discord)) print(line);
		},
		members: () => print(members.map((member) => `  ${member.name === actor.name ? '▸' : ' '} ${member.name} (${member.role})`).join('\n')),
		as: (name) => {
			const found = members.find((member) => member.name === name.trim().replace(/^@/, '').toLowerCase());
			if (!found) return print(`No member "${name}". Members: ${members.map((member) => member.name).join(', ')}.`);
			actor = found;
			print(`You are now ${actor.name} (${actor.role}).`);
		},
		in: (name) => {
			const found = channels.get(name.trim().replace(/^#/, ''));
			if (!found) return print(`No channel ${name}. Channels: #${[...channels.keys()].join(', #')}.`);
			channelId = found;
			print(`You are now in #${channelNames.get(channelId)}.`);
		},
		say: (text) => {
			if (text.trim() === '') return print('Type the message after "say".');
			const message = discord.postMessage({ channelId, authorId: actor.id, content: text.trim() });
			print(`${actor.name} in #${channelNames.get(channelId)} (message ${message.id}): ${text.trim()}`);
		},
		menu: async (argument) => {
			const match = /^"([^"]+)"\s*(.*)$/.exec(argument.trim()) ?? /^(\S+)\s*(.*)$/.exec(argument.trim());
			if (!match) return print('Which menu entry? e.g. menu "Kaltura profile" @max');
			const [, name = '', target = ''] = match;
			const userCommand = discord.state.findCommand(name, ApplicationCommandType.User, SANDBOX_GUILD_ID);
			const type = userCommand ? ApplicationCommandType.User : ApplicationCommandType.Message;
			if (type === ApplicationCommandType.User) {
				const refused = refusal(name, type, channelId);
				if (refused) return print(paint('yellow', refused));
				const member = members.find((candidate) => candidate.name === target.trim().replace(/^@/, '').toLowerCase());
				if (!member)
					return print(`Whose profile? e.g. menu "${name}" @max (members: ${members.map((candidate) => candidate.name).join(', ')})`);
				return runInteraction(
					discord.runUserContextMenu({ guildId: SANDBOX_GUILD_ID, channelId, memberId: actor.id, name, targetUserId: member.id })
				);
			}
			const wanted = target.trim();
			const message =
				wanted === '' || wanted === 'last'
					? discord.channelMessages(channelId).findLast((candidate) => candidate.author.id !== discord.applicationId)
					: discord.state.findMessage(wanted)?.message;
			const refused = refusal(name, type, message?.channel_id ?? channelId);
			if (refused) return print(paint('yellow', refused));
			if (!message) return print(`No such message. Post one with "say <text>", then menu "${name}" last.`);
			await runInteraction(discord.runMessageContextMenu({ guildId: SANDBOX_GUILD_ID, memberId: actor.id, name, targetMessageId: message.id }));
		},
		press: async (label) => {
			const wanted = label.trim().toLowerCase();
			const message = shown.findLast((candidate) => buttonsOf(candidate).some((button) => button.label.toLowerCase() === wanted));
			if (!message) return print(`No message shown so far has a button "${label}".`);
			// The bot may have changed the message since (an ended meeting loses its Join button): press what is there now.
			const current = discord.state.findMessage(message.id)?.message ?? message;
			const button = buttonsOf(current).find((candidate) => candidate.label.toLowerCase() === wanted);
			if (!button) return print(`That message no longer has a button "${label}".`);
			if (button.url) return print(`That button opens ${button.url}`);
			await runInteraction(discord.pressButton({ messageId: current.id, customId: button.customId!, memberId: actor.id }));
		},
		messages: (channel) => {
			const name = channel.trim().replace(/^#/, '') || channelNames.get(channelId)!;
			const id = channels.get(name);
			if (!id) return print(`No channel #${name}.`);
			const mine = discord.channelMessages(id).filter((message) => message.author.id === discord.applicationId);
			if (mine.length === 0) return print(`The bot has posted nothing in #${name}.`);
			for (const message of mine.slice(-5)) show(message, paint('magenta', `bot in #${name}:`));
		},
		notify: async (argument) => {
			const [name = '', objectId] = argument.trim().split(/\s+/);
			const event = NOTIFICATION_EVENTS[name as keyof typeof NOTIFICATION_EVENTS];
			if (!event) return print(`Unknown event "${name}". Events: ${Object.keys(NOTIFICATION_EVENTS).join(', ')}.`);
			const eventsBefore = discord.state.messageEvents.length;
			const url = `${bot.apiUrl}/webhooks/kaltura`;
			let result;
			if (event === 'meetingScheduled' || event === 'meetingCancelled') {
				meeting ??= kaltura.state.addScheduleEvent({
					summary: 'Sandbox office hours',
					startDate: Math.floor(Date.now() / 1000) + 3600,
					endDate: Math.floor(Date.now() / 1000) + 5400
				});
				// Added (OBJECT_CREATED, 5) while ACTIVE; cancelled is a change (OBJECT_CHANGED, 3) to status CANCELLED (1).
				const [eventType, object] = event === 'meetingScheduled' ? [5, meeting] : [3, { ...meeting, status: 1 }];
				const payload = kaltura.notifications.buildNotification({
					eventType,
					eventObjectType: SCHEDULE_EVENT_OBJECT_TYPE,
					object,
					jobId: kaltura.notifications.nextJobId()
				});
				result = await kaltura.notifications.send({ url, payload });
			} else if (event === 'userCreated') {
				// A user created on the partner just now (in the KMC, or by another application), unless one is named.
				const userId = objectId ?? `newcomer${kaltura.state.users.size + 1}`;
				if (!kaltura.state.getUser(userId))
					kaltura.state.addUser({ id: userId, firstName: 'New', lastName: `Member ${kaltura.state.users.size + 1}` });
				result = await kaltura.notifications.sendEvent({ url, event, object: userId });
			} else {
				const live = event === 'liveStreamStarted' || event === 'liveStreamEnded';
				if (live)
					liveStreamId ??= String(
						kaltura.state.addLiveStream({ name: 'Sandbox live stream', description: 'Streaming from the sandbox' }).id
					);
				const object =
					objectId ??
					(live
						? liveStreamId!
						: String(
								kaltura.state.addEntry({ name: `New upload ${new Date().toLocaleTimeString('en')}`, tags: 'sandbox', duration: 42 })
									.id
							));
				result = await kaltura.notifications.sendEvent({ url, event, object });
			}
			const answers = result.statuses.map((status) => status ?? 'no answer').join(', ');
			print(
				`Kaltura sent "${event}" (${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}; the bot answered ${answers}).`
			);
			if (!result.delivered)
				return print(paint('yellow', 'Not delivered: the bot refused it or did not answer, so Kaltura gave up after its retries.'));
			await new Promise((done) => setTimeout(done, 1500));
			const before = shown.length;
			showChannelActivity(eventsBefore, new Set());
			if (shown.length === before)
				print('The bot stored it; no channel subscribed to it (try /plugins enable plugin:notifications, then /notifications subscribe).');
		}
	};

	const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
	// At a terminal the prompt shows who is acting; a piped script gets each line echoed instead, as a transcript.
	const ask = () => {
		if (!process.stdin.isTTY) return;
		prompt.setPrompt(paint('bold', `${actor.name}> `));
		prompt.prompt(true);
	};
	redrawPrompt = ask;
	let queue = Promise.resolve();
	const shutdown = async () => {
		if (closing) return;
		closing = true;
		print(paint('dim', 'Stopping the bot and the stand-ins…'));
		await bot.stop().catch((error: unknown) => print(String(error)));
		save();
		await Promise.all([discord.stop(), kaltura.stop()]);
		process.exit(0);
	};
	prompt.on('line', (line) => {
		queue = queue.then(async () => {
			// A line as typed, without a trailing "# comment" (the README's script has them).
			const text = line.replace(/\s+#\s.*$/, '').trim();
			if (text === '') return;
			if (text === 'quit' || text === 'exit') return shutdown();
			if (!process.stdin.isTTY) print(`${actor.name}> ${text}`);
			try {
				if (text.startsWith('/')) await runSlashCommand(text);
				else {
					const [word = '', ...rest] = text.split(' ');
					const handler = handlers[word.toLowerCase()];
					if (handler) await handler(rest.join(' '));
					else print(`Unknown input "${word}". Type "help".`);
				}
				save();
			} catch (error) {
				print(paint('red', error instanceof Error ? error.message : String(error)));
			}
			if (!closing) ask();
		});
	});
	prompt.on('close', () => void queue.then(shutdown));
	ask();
}

/** The names of the published commands of one type, sorted. */
function publishedCommands(discord: DiscordStandIn, type: ApplicationCommandType): string[] {
	const prefix = type === ApplicationCommandType.ChatInput ? '/' : '';
	const commands = [...discord.state.globalCommands.values(), ...(discord.state.guildCommands.get(SANDBOX_GUILD_ID)?.values() ?? [])];
	return commands
		.filter((command) => command.type === type)
		.map((command) => `${prefix}${command.name}`)
		.sort();
}

/** `commands`: every published command with its sub-commands, and the context menu entries. */
function describeCommands(discord: DiscordStandIn): string[] {
	const commands = [...discord.state.globalCommands.values(), ...(discord.state.guildCommands.get(SANDBOX_GUILD_ID)?.values() ?? [])];
	const lines: string[] = [];
	for (const command of commands
		.filter((candidate) => candidate.type === ApplicationCommandType.ChatInput)
		.sort((a, b) => a.name.localeCompare(b.name))) {
		const subcommands = (command.options ?? []).filter((option) => option.type === 1 || option.type === 2).map((option) => option.name);
		lines.push(`  /${command.name}${subcommands.length > 0 ? ` ${subcommands.join(' | ')}` : ''}`);
	}
	for (const command of commands.filter((candidate) => candidate.type !== ApplicationCommandType.ChatInput)) {
		lines.push(`  menu "${command.name}" ${command.type === ApplicationCommandType.User ? '@member' : '<message>'}`);
	}
	return lines;
}

/** How mentions read in the sandbox: the names the stand-in knows for this guild's members, roles and channels. */
function mentionNames(discord: DiscordStandIn, guildId: string): MentionNames {
	const guild = () => discord.state.guilds.get(guildId);
	return {
		user: (id) => discord.state.users.get(id)?.username,
		role: (id) => guild()?.roles.get(id)?.name,
		channel: (id) => {
			const channel = discord.state.channels.get(id);
			return channel !== undefined && 'name' in channel && channel.name ? channel.name : undefined;
		}
	};
}

function print(text: string): void {
	process.stdout.write(`${text}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
