import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { styleText } from 'node:util';
import type { APIMessage } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../discord/index.js';
import { KalturaStandIn } from '../kaltura/index.js';
import { parseCommandLine } from './parse-command-line.js';
import { buttonsOf, renderMessage, type MentionNames } from './render-message.js';
import { SANDBOX_GUILD_ID, seedSandbox, type SandboxMember } from './seed.js';

/** The sandbox keeps its guild configuration between runs; SANDBOX_DATA_DIR points a scripted run elsewhere. */
const DATA_DIRECTORY = process.env.SANDBOX_DATA_DIR ?? resolve(import.meta.dirname, '..', '..', '..', 'data', 'sandbox');
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

const HELP = `
  /<command> [sub] key:value ...   run a slash command as the current member (#channel, @member, @Role for those options), e.g.
                                   /plugins list · /plugins enable plugin:videos · /video search query:onboarding
                                   /config view key:videos · /config set key:videos.resultLimit value:3 · /about
  as <member>                      act as another member (${'ada'}: admin, kim: moderator, max: member)
  members                          list the members
  press <label>                    press a button of the last message shown
  messages [channel]               show the bot's messages in a channel (default: general)
  notify <event> [entryId]         Kaltura sends a signed notification to the bot: ${Object.keys(NOTIFICATION_EVENTS).join(', ')}
                                   (live-* are about one sandbox live stream and meeting-* about one scheduled meeting, so
                                   the "ended" and "cancelled" ones show the bot editing its earlier post)
  help                             this list
  quit                             stop everything`;

async function main(): Promise<void> {
	mkdirSync(DATA_DIRECTORY, { recursive: true });
	print(styleText('dim', 'Starting the Discord and Kaltura stand-ins and the bot (embedded storage in data/sandbox)…'));
	const discord = await DiscordStandIn.start();
	const kaltura = await KalturaStandIn.start({ partnerId: 1000001, adminSecret: ADMIN_SECRET });
	const { guildName, channels, members, roleMappings } = seedSandbox(discord, kaltura);
	const bot = await BotProcess.start({
		logFile: join(DATA_DIRECTORY, 'bot.log'),
		env: {
			...standInEnvironment({ discord, kaltura }),
			JWT_SECRET,
			DATA_DIR: DATA_DIRECTORY,
			LOG_LEVEL: 'info',
			// The sandbox's operator lets its server map Admins to the Kaltura role admin (not allowed by default).
			KALTURA_MAPPABLE_ROLES: 'viewer,moderator,admin',
			// Only the sandbox server is served, so the start-up log carries no warning about uninvited servers.
			ALLOWED_GUILD_IDS: SANDBOX_GUILD_ID
		}
	});

	// Admins and Moderators get their Kaltura roles through the bot's own API, as an operator's script would.
	const token = new ApiTokenService(JWT_SECRET).issue({ userId: members[0]!.id, guildId: SANDBOX_GUILD_ID, scope: [GUILD_MANAGE_SCOPE] });
	const mapped = await fetch(`${bot.apiUrl}/guilds/${SANDBOX_GUILD_ID}/role-mappings`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ mappings: roleMappings })
	});
	if (!mapped.ok) print(styleText('yellow', `Could not map the sandbox roles (HTTP ${mapped.status}); /roles map does it by hand.`));

	let actor: SandboxMember = members[0]!;
	/** Messages shown so far, newest last: `press` looks for the button in the newest message that has it. */
	const shown: APIMessage[] = [];
	const names = mentionNames(discord, SANDBOX_GUILD_ID);
	print(`Sandbox ready: server "${guildName}" with #${[...channels.keys()].join(', #')}; members ${members.map((member) => `${member.name} (${member.role})`).join(', ')}.`);
	print('Admins map to the Kaltura role admin and Moderators to moderator; everyone else is a viewer.');
	print(`The bot's API is at ${bot.apiUrl}; its log is in ${join(DATA_DIRECTORY, 'bot.log')}. Type "help" for what you can do.`);

	const show = (message: APIMessage, heading: string) => {
		shown.push(message);
		print(renderMessage(message, heading, names));
	};

	const channelNames = new Map([...channels].map(([name, id]) => [id, name]));
	/** What the bot posted in or changed in channels since `eventsBefore` (an announcement, an embed marked ended), latest state of each. */
	const showChannelActivity = (eventsBefore: number, exclude: ReadonlySet<string>) => {
		const touched = new Map<string, { channelId: string; kind: string }>();
		for (const event of discord.state.messageEvents.slice(eventsBefore)) {
			if (event.ephemeral || event.kind === 'delete' || event.message.author.id !== discord.applicationId || exclude.has(event.messageId)) continue;
			if (!channelNames.has(event.channelId)) continue;
			touched.set(event.messageId, { channelId: event.channelId, kind: touched.get(event.messageId)?.kind ?? event.kind });
		}
		for (const [messageId, { channelId, kind }] of touched) {
			const message = discord.channelMessages(channelId).find((candidate) => candidate.id === messageId);
			if (message) show(message, styleText('magenta', `bot ${kind === 'create' ? 'in' : 'edited a message in'} #${channelNames.get(channelId)}:`));
		}
	};
	const runInteraction = async (handle: InteractionHandle) => {
		const eventsBefore = discord.state.messageEvents.length;
		const reply = await handle.waitForReply(15_000);
		const ephemeral = handle.callback?.ephemeral === true;
		show(reply, styleText('magenta', `bot${ephemeral ? ' (only you can see this)' : ''}:`));
		await new Promise((done) => setTimeout(done, 300));
		for (const followUp of handle.followUps) show(followUp, styleText('magenta', 'bot (follow-up):'));
		showChannelActivity(eventsBefore, new Set([reply.id, ...handle.followUps.map((followUp) => followUp.id)]));
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

	/** The live stream and the meeting the live-* and meeting-* notifications are about, made on first use. */
	let liveStreamId: string | undefined;
	let meeting: Record<string, unknown> | undefined;

	const handlers: Record<string, (argument: string) => Promise<void> | void> = {
		help: () => print(HELP),
		members: () => print(members.map((member) => `  ${member.name === actor.name ? '▸' : ' '} ${member.name} (${member.role})`).join('\n')),
		as: (name) => {
			const found = members.find((member) => member.name === name.trim().toLowerCase());
			if (!found) return print(`No member "${name}". Members: ${members.map((member) => member.name).join(', ')}.`);
			actor = found;
			print(`You are now ${actor.name} (${actor.role}).`);
		},
		press: async (label) => {
			const wanted = label.trim().toLowerCase();
			const message = shown.findLast((candidate) => buttonsOf(candidate).some((button) => button.label.toLowerCase() === wanted));
			if (!message) return print(`No message shown so far has a button "${label}".`);
			// The bot may have changed the message since (an ended meeting loses its Join button): press what is there now.
			const current = discord.channelMessages(message.channel_id).find((candidate) => candidate.id === message.id) ?? message;
			const button = buttonsOf(current).find((candidate) => candidate.label.toLowerCase() === wanted);
			if (!button) return print(`That message no longer has a button "${label}".`);
			if (button.url) return print(`That button opens ${button.url}`);
			await runInteraction(discord.pressButton({ messageId: current.id, customId: button.customId!, memberId: actor.id }));
		},
		messages: (channel) => {
			const name = channel.trim().replace(/^#/, '') || 'general';
			const id = channels.get(name);
			if (!id) return print(`No channel #${name}.`);
			const mine = discord.channelMessages(id).filter((message) => message.author.id === discord.applicationId);
			if (mine.length === 0) return print(`The bot has posted nothing in #${name}.`);
			for (const message of mine.slice(-5)) show(message, styleText('magenta', `bot in #${name}:`));
		},
		notify: async (argument) => {
			const [name = '', entryId] = argument.trim().split(/\s+/);
			const event = NOTIFICATION_EVENTS[name as keyof typeof NOTIFICATION_EVENTS];
			if (!event) return print(`Unknown event "${name}". Events: ${Object.keys(NOTIFICATION_EVENTS).join(', ')}.`);
			const eventsBefore = discord.state.messageEvents.length;
			const url = `${bot.apiUrl}/webhooks/kaltura`;
			let result;
			if (event === 'meetingScheduled' || event === 'meetingCancelled') {
				meeting ??= kaltura.state.addScheduleEvent({ summary: 'Sandbox office hours', startDate: Math.floor(Date.now() / 1000) + 3600, endDate: Math.floor(Date.now() / 1000) + 5400 });
				// Added (OBJECT_CREATED, 5) while ACTIVE; cancelled is a change (OBJECT_CHANGED, 3) to status CANCELLED (1).
				const [eventType, object] = event === 'meetingScheduled' ? [5, meeting] : [3, { ...meeting, status: 1 }];
				const payload = kaltura.notifications.buildNotification({ eventType, eventObjectType: SCHEDULE_EVENT_OBJECT_TYPE, object, jobId: kaltura.notifications.nextJobId() });
				result = await kaltura.notifications.send({ url, payload });
			} else {
				const live = event === 'liveStreamStarted' || event === 'liveStreamEnded';
				if (live) liveStreamId ??= String(kaltura.state.addLiveStream({ name: 'Sandbox live stream', description: 'Streaming from the sandbox' }).id);
				const object =
					event === 'userCreated'
						? actor.name
						: (entryId ?? (live ? liveStreamId! : String(kaltura.state.addEntry({ name: `New upload ${new Date().toLocaleTimeString()}`, tags: 'sandbox', duration: 42 }).id)));
				result = await kaltura.notifications.sendEvent({ url, event, object });
			}
			const answers = result.statuses.map((status) => status ?? 'no answer').join(', ');
			print(`Kaltura sent "${event}" (${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}; the bot answered ${answers}).`);
			if (!result.delivered) return print(styleText('yellow', 'Not delivered: the bot refused it or did not answer, so Kaltura gave up after its retries.'));
			await new Promise((done) => setTimeout(done, 1500));
			const before = shown.length;
			showChannelActivity(eventsBefore, new Set());
			if (shown.length === before) print('The bot stored it; no channel subscribed to it (try /plugins enable plugin:notifications, then /notifications subscribe).');
		}
	};

	const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
	const ask = () => {
		prompt.setPrompt(styleText('bold', `${actor.name}> `));
		prompt.prompt();
	};
	let queue = Promise.resolve();
	let closing = false;
	const shutdown = async () => {
		if (closing) return;
		closing = true;
		print(styleText('dim', 'Stopping the bot and the stand-ins…'));
		await bot.stop().catch((error: unknown) => print(String(error)));
		await Promise.all([discord.stop(), kaltura.stop()]);
		process.exit(0);
	};
	prompt.on('line', (line) => {
		queue = queue.then(async () => {
			const text = line.trim();
			if (text === '') return;
			if (text === 'quit' || text === 'exit') return shutdown();
			try {
				if (text.startsWith('/')) {
					const command = parseCommandLine(text);
					const options = Object.fromEntries(Object.entries(command.options).map(([key, value]) => [key, resolveName(value)]));
					await runInteraction(discord.runSlashCommand({ guildId: SANDBOX_GUILD_ID, memberId: actor.id, ...command, options }));
				} else {
					const [word = '', ...rest] = text.split(' ');
					const handler = handlers[word.toLowerCase()];
					if (handler) await handler(rest.join(' '));
					else print(`Unknown input "${word}". Type "help".`);
				}
			} catch (error) {
				print(styleText('red', error instanceof Error ? error.message : String(error)));
			}
			if (!closing) ask();
		});
	});
	prompt.on('close', () => void queue.then(shutdown));
	ask();
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
