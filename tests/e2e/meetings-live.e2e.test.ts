import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PermissionFlagsBits, type APIMessage } from 'discord-api-types/v10';
import { ApiTokenService, GUILD_MANAGE_SCOPE } from '../../src/core/auth/api-tokens.js';
import { BotProcess, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { createKalturaClient, kaltura as kalturaClient, KalturaStandIn } from '../harness/kaltura/index.js';
import { buttonsOf, visibleText } from '../helpers/message-text.js';

const ADMIN_SECRET = 'meetings-live-e2e-admin-secret';
const JWT_SECRET = 'meetings-live-e2e-jwt-secret-long-enough-for-hs256';
const PARTNER_ID = 4343;
const GONE = 'That meeting no longer exists';

/**
 * Webinars and live streams end to end (the bot process on the Discord and Kaltura stand-ins): from `/meeting start`
 * to a member's working link, the live stream's ingest details for its host only, its start and end through
 * Kaltura's notifications, and meetings deleted on Kaltura answered as gone.
 */
describe('End to end: webinars, live streams and meetings deleted on Kaltura', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let dataDirectory: string;
	let guildId: string;
	let channelId: string;
	let news: string;
	let categoryId: string;
	let ids: { owner: string; host: string; viewer: string };
	const handles: InteractionHandle[] = [];
	const tokens = new ApiTokenService(JWT_SECRET);

	const track = (handle: InteractionHandle) => (handles.push(handle), handle);
	const slash = (as: string, name: string, subcommand: string, options: Record<string, string | number> = {}) =>
		track(discord.runSlashCommand({ guildId, memberId: as, name, subcommand, options }));
	const press = (as: string, messageId: string, customId: string) => track(discord.pressButton({ messageId, customId, memberId: as }));
	const api = (path: string, init: RequestInit & { as?: string } = {}) => {
		const token = tokens.issue({ userId: init.as ?? ids.owner, guildId, scope: [GUILD_MANAGE_SCOPE] });
		return fetch(`${bot.apiUrl}/guilds/${guildId}/meetings${path}`, {
			...init,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
		});
	};
	const announcementOf = (id: string) =>
		discord.waitFor(
			() => discord.channelMessages(channelId).find((message) => message.embeds[0]?.footer?.text === `Kaltura meeting ${id}`),
			`the announcement of ${id}`
		);
	const adminClient = () => createKalturaClient(kaltura.serviceUrl, { ks: kaltura.mintKs() });

	/** `/meeting start` as the host; the meeting id from the private answer, which must be ephemeral. */
	async function start(type: string, title: string) {
		const handle = slash(ids.host, 'meeting', 'start', { type, title, duration: 60 });
		const reply = await handle.waitForReply(15_000);
		expect(handle.callback!.ephemeral, 'the start answer is private').to.equal(true);
		const id = /Kaltura (?:meeting|live stream) `(\d+)`/.exec(reply.content)?.[1];
		expect(id, reply.content).to.be.a('string');
		return { id: id!, reply, posted: await announcementOf(id!) };
	}

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Broadcast school' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		news = discord.addChannel(guildId, { name: 'live-news' }).id;
		const hosts = discord.addRole(guildId, {
			name: 'Hosts',
			permissions: PermissionFlagsBits.ManageEvents | PermissionFlagsBits.ManageGuild,
			position: 2
		});
		ids = {
			owner: guild.ownerId,
			host: discord.addMember(guildId, { user: { username: 'hana' }, roles: [hosts.id] }).user!.id,
			viewer: discord.addMember(guildId, { user: { username: 'vic' } }).user!.id
		};
		kaltura = await KalturaStandIn.start({
			partnerId: PARTNER_ID,
			adminSecret: ADMIN_SECRET,
			notifications: { attempts: 3, retryIntervalMs: 50 }
		});
		categoryId = String(kaltura.state.addCategory({ name: 'Discord live' }).id);
		dataDirectory = mkdtempSync(join(tmpdir(), 'kaltura-discord-meetings-live-'));
		bot = await BotProcess.start({
			env: {
				DATA_DIR: dataDirectory,
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET,
				NODE_ENV: 'production',
				LOG_LEVEL: 'debug',
				KALTURA_LIVE_CATEGORY_IDS: categoryId
			}
		});
		for (const plugin of ['meetings', 'notifications']) {
			expect((await slash(ids.owner, 'plugins', 'enable', { plugin }).waitForReply(10_000)).content).to.equal(
				`The **${plugin}** plugin is now on in this server.`
			);
		}
		// The guild's live streams go into its category (one the operator allows), and its live news channel follows only that category.
		expect((await slash(ids.owner, 'config', 'set', { key: 'meetings.liveCategoryId', value: categoryId }).waitForReply()).content).to.include(
			'meetings.liveCategoryId'
		);
		const subscribed = await slash(ids.owner, 'notifications', 'subscribe', {
			channel: news,
			events: 'live_stream.started,live_stream.ended',
			category: categoryId
		}).waitForReply();
		expect(subscribed.content).to.include(`<#${news}> now gets`);
		// Kaltura's side of the notifications: an HTTP template on live stream entries changed, as `npm run kaltura:webhooks` defines it.
		kaltura.state.addTemplate(
			{
				name: 'Live stream changed (Discord bot)',
				systemName: 'DISCORD_BOT_LIVE_STREAM_CHANGED',
				eventType: 3,
				eventObjectType: 1,
				url: `${bot.apiUrl}/webhooks/kaltura`,
				secureHashingAlgo: 2,
				data: { objectType: 'KalturaHttpNotificationObjectData', apiObjectType: 'KalturaLiveStreamEntry', format: 1 }
			},
			{ kind: 'fieldEquals', field: 'type', value: '7' }
		);
	});

	it('GIVEN a category the operator does not list WHEN an admin sets it for live streams THEN it is refused and the allowed one stays', async () => {
		// Another server's category: its subscriptions would get this server's streams, titled by this server's members.
		const elsewhere = String(kaltura.state.addCategory({ name: 'Another server’s live' }).id);
		const refused = await slash(ids.owner, 'config', 'set', { key: 'meetings.liveCategoryId', value: elsewhere }).waitForReply();
		expect(refused.content).to.include(
			`the category ${elsewhere} is not one this bot's operator lets servers put live streams in (KALTURA_LIVE_CATEGORY_IDS: ${categoryId})`
		);
		const view = await slash(ids.owner, 'config', 'view', { key: 'meetings.liveCategoryId' }).waitForReply();
		expect(view.content).to.include(categoryId).and.not.include(elsewhere);
	});

	after(async () => {
		kaltura?.faults.clear();
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
		if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
	});

	afterEach(() => kaltura.faults.clear());

	it('GIVEN a webinar THEN it is a Kaltura Meetings room in webinar mode, and a member’s Join opens the launcher for that event', async () => {
		const { id, reply, posted } = await start('webinar', 'Product webinar');
		expect(reply.content).to.include('**Product webinar** is ready');
		const event = kaltura.state.getScheduleEvent(Number(id))!;
		expect(event.objectType).to.equal('KalturaRecordScheduleEvent');
		expect(String(event.tags).split(',')).to.include('custom_rs_class_mode:webinar');
		const links = kaltura.state.eventResources.filter((link) => link.eventId === Number(id));
		expect(links, 'the event is linked to one room').to.have.lengthOf(1);
		expect(kaltura.state.getScheduleResource(links[0]!.resourceId as number)).to.include({
			objectType: 'KalturaLocationScheduleResource',
			tags: 'vcprovider:newrow'
		});

		const join = press(ids.viewer, posted.id, `meetings:join:${id}`);
		const link = /\((https:\/\/[^)\s]+)\)/.exec((await join.waitForReply()).content)?.[1];
		expect(join.callback!.ephemeral).to.equal(true);
		expect(link).to.match(new RegExp(`^https://${PARTNER_ID}\\.kaf\\.kaltura\\.com/virtualEvent/launch\\?ks=`));
		const ks = kaltura.parseKs(new URL(link!).searchParams.get('ks')!);
		expect(ks.privileges).to.include({ eventId: id, role: 'viewerRole', userContextualRole: '3' });
	});

	let live: { id: string; entryId: string; posted: APIMessage; password: string; streamKey: string };

	it('GIVEN /meeting start type:live THEN Kaltura has a live entry and an event on it, the host alone gets the ingest details, the channel a Watch button', async () => {
		const { id, reply, posted } = await start('live', 'Launch stream');
		const event = kaltura.state.getScheduleEvent(Number(id))!;
		expect(event).to.include({ objectType: 'KalturaLiveStreamScheduleEvent', referenceId: `discord_guild_${guildId}` });
		expect(String(event.tags)).to.include(`discord_meeting_type:live`).and.include(`discord_host:${ids.host}`);
		const entry = kaltura.state.getEntry(String(event.templateEntryId))!;
		expect(entry).to.include({
			objectType: 'KalturaLiveStreamEntry',
			type: 7,
			mediaType: 201,
			sourceType: 32,
			recordStatus: 1,
			categoriesIds: categoryId
		});
		const password = String(entry.streamPassword);
		const streamKey = `${String(entry.id)}_1`;
		live = { id, entryId: String(entry.id), posted, password, streamKey };

		// The host's private answer: RTMP URL and stream key, the backup, RTMPS and SRT, and the watch link.
		expect(reply.content).to.include(`RTMP URL: \`${String(entry.primaryBroadcastingUrl)}\``);
		expect(reply.content).to.include(`Stream key: \`${streamKey}\``);
		expect(reply.content).to.include(`Backup RTMP URL: \`${String(entry.secondaryBroadcastingUrl)}\``);
		expect(reply.content).to.include(`RTMPS URL: \`${String(entry.primarySecuredBroadcastingUrl)}\``);
		expect(reply.content).to.include(
			`SRT URL: \`${String(entry.primarySrtBroadcastingUrl)}\`, stream id: \`${String(entry.primarySrtStreamId)}\``
		);
		expect(reply.content).to.include(`(https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${live.entryId})`);

		// The announcement: a Watch button, no ingest detail.
		expect(posted.embeds[0]!.fields!.find((field) => field.name === 'Type')!.value).to.equal('Live stream');
		expect(buttonsOf(posted).map((button) => button.label)).to.deep.equal(['Watch']);
		for (const secret of [password, streamKey, 'rtmp://', 'srt://']) expect(visibleText(posted)).to.not.include(secret);
	});

	it('GIVEN a viewer presses Watch, runs /meeting join or asks the API THEN they get the player’s watch link, with no session in it', async () => {
		const watch = `https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${live.entryId}`;
		const pressed = press(ids.viewer, live.posted.id, `meetings:join:${live.id}`);
		const reply = await pressed.waitForReply();
		expect(pressed.callback!.ephemeral).to.equal(true);
		expect(reply.content).to.equal(`Watch **Launch stream** live: [open the stream](${watch})`);
		expect((await slash(ids.viewer, 'meeting', 'join', { meeting: live.id }).waitForReply()).content).to.include(`(${watch})`);
		const response = await api(`/${live.id}/join-link`, { method: 'POST', as: ids.owner });
		expect(response.status).to.equal(200);
		expect(await response.json()).to.deep.equal({ meetingId: live.id, url: watch, role: 'watcher' });
	});

	it('GIVEN the stream goes live and stops on Kaltura THEN its notifications reach the subscribed channel: started, then edited to ended', async () => {
		kaltura.state.setLiveStatus(live.entryId, 1);
		const started = await discord.waitFor(
			() => discord.channelMessages(news).find((message) => message.embeds[0]?.title === 'Live stream started: Launch stream'),
			'the started post'
		);
		kaltura.state.setLiveStatus(live.entryId, 0);
		await discord.waitFor(
			() =>
				discord
					.channelMessages(news)
					.find((message) => message.id === started.id && message.embeds[0]?.title === 'Live stream ended: Launch stream'),
			'the post edited to ended'
		);
		for (const message of discord.channelMessages(news)) expect(visibleText(message)).to.not.include(live.password);
	});

	it('GIVEN the host ends the live stream THEN its event is cancelled and its entry kept (it holds the recording)', async () => {
		const confirmation = await slash(ids.host, 'meeting', 'end', { meeting: live.id }).waitForReply();
		const done = await press(ids.host, confirmation.id, `meetings:end:${live.id}`).waitForReply();
		expect(done.content).to.equal('**Launch stream** has ended for everyone.');
		expect(kaltura.state.getScheduleEvent(Number(live.id))!.status).to.equal(1);
		expect(kaltura.state.getEntry(live.entryId), 'the live entry').to.include({ status: 2 });
	});

	it('GIVEN Kaltura refuses a later step of a creation THEN what the earlier steps made is deleted again, and the host is told it did not work', async () => {
		const named = (title: string) => ({
			entries: [...kaltura.state.entries.values()].filter((entry) => entry.name === title),
			resources: [...kaltura.state.scheduleResources.values()].filter((resource) => resource.name === title),
			events: [...kaltura.state.scheduleEvents.values()].filter((event) => event.summary === title)
		});
		// A live stream whose schedule event is refused: the entry (with its working stream password) must not stay.
		kaltura.faults.error('INTERNAL_SERVERL_ERROR', { match: { service: 'scheduleEvent', action: 'add' }, times: 1 });
		const live = await slash(ids.host, 'meeting', 'start', { type: 'live', title: 'Half-made stream', duration: 30 }).waitForReply(15_000);
		expect(live.content).to.not.include('rtmp').and.not.include('Kaltura live stream `');
		const stream = named('Half-made stream');
		expect(
			stream.entries.map((entry) => entry.status),
			'the entry made, then deleted'
		).to.deep.equal([3]);
		expect(stream.events).to.deep.equal([]);
		// A room whose link to its event is refused: the room and the event go.
		kaltura.faults.error('INTERNAL_SERVERL_ERROR', { match: { service: 'scheduleEventResource', action: 'add' }, times: 1 });
		await slash(ids.host, 'meeting', 'start', { type: 'meeting', title: 'Half-made room', duration: 30 }).waitForReply(15_000);
		const room = named('Half-made room');
		expect(
			room.resources.map((resource) => resource.status),
			'the room made, then deleted'
		).to.deep.equal([3]);
		expect(
			room.events.map((event) => event.status),
			'the event made, then deleted'
		).to.deep.equal([3]);
	});

	it('GIVEN the API starts a live stream THEN the ingest details come back to its host only, never cached', async () => {
		const response = await api('', {
			method: 'POST',
			as: ids.host,
			body: JSON.stringify({ type: 'live', title: 'API stream', durationMinutes: 30 })
		});
		expect(response.status).to.equal(201);
		expect(response.headers.get('cache-control')).to.equal('no-store');
		const body = (await response.json()) as { id: string; type: string; ingest: { rtmpUrl: string; streamKey: string; srtStreamId: string } };
		const entry = kaltura.state.getEntry(String(kaltura.state.getScheduleEvent(Number(body.id))!.templateEntryId))!;
		expect(body.type).to.equal('live');
		expect(body.ingest).to.include({
			rtmpUrl: entry.primaryBroadcastingUrl,
			streamKey: `${String(entry.id)}_1`,
			srtStreamId: entry.primarySrtStreamId
		});
	});

	it('GIVEN a meeting deleted on Kaltura THEN the command, the Join button, the End confirmation and the API all answer that it no longer exists', async () => {
		const { id, posted } = await start('meeting', 'Soon deleted');
		const confirmation = await slash(ids.host, 'meeting', 'end', { meeting: id }).waitForReply();
		await kalturaClient.services.scheduleEvent.deleteAction(Number(id)).execute(adminClient());

		expect((await slash(ids.viewer, 'meeting', 'join', { meeting: id }).waitForReply()).content).to.include(GONE);
		expect((await press(ids.viewer, posted.id, `meetings:join:${id}`).waitForReply()).content).to.include(GONE);
		expect((await slash(ids.host, 'meeting', 'end', { meeting: id }).waitForReply()).content).to.include(GONE);
		expect((await press(ids.host, confirmation.id, `meetings:end:${id}`).waitForReply()).content).to.include(GONE);
		for (const [path, method] of [
			[`/${id}`, 'DELETE'],
			[`/${id}/join-link`, 'POST']
		] as const) {
			const response = await api(path, { method });
			expect(response.status, `${method} ${path}`).to.equal(404);
			expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('not_found');
		}
	});

	it('GIVEN a meeting deleted on Kaltura between being found and being cancelled THEN ending it answers that it no longer exists (404 from the API)', async () => {
		const { id } = await start('meeting', 'Deleted in between');
		const gone = { match: { service: 'schedule_scheduleevent', action: 'cancel' }, args: { ID: id } };
		kaltura.faults.error('INVALID_OBJECT_ID', { ...gone, times: 1 });
		const confirmation = await slash(ids.host, 'meeting', 'end', { meeting: id }).waitForReply();
		expect((await press(ids.host, confirmation.id, `meetings:end:${id}`).waitForReply()).content).to.include(GONE);
		kaltura.faults.error('INVALID_OBJECT_ID', { ...gone, times: 1 });
		expect((await api(`/${id}`, { method: 'DELETE' })).status).to.equal(404);
	});

	it('GIVEN everything above THEN no stream password, stream key or KS is in the bot’s output', () => {
		const output = bot.output();
		for (const secret of [live.password, live.streamKey, ADMIN_SECRET, JWT_SECRET, discord.token]) expect(output).to.not.include(secret);
		expect(output).to.not.match(/djJ8[\w-]{20,}/);
		// Only the host's own answers carry ingest details.
		for (const handle of handles) {
			const texts = [handle.callback?.message, ...handle.edits, ...handle.followUps, handle.original()].map(visibleText).join('\n');
			if (texts.includes(live.password)) expect(handle.callback!.ephemeral, texts.slice(0, 80)).to.equal(true);
		}
	});
});
