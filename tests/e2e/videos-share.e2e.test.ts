import { expect } from 'chai';
import { ComponentType, MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIComponentInMessageActionRow, APIMessage } from 'discord-api-types/v10';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotProcess, freePort, standInEnvironment } from '../harness/bot-process.js';
import { DiscordStandIn, type InteractionHandle } from '../harness/discord/index.js';
import { KalturaStandIn } from '../harness/kaltura/index.js';

const PARTNER_ID = 6161;
const ADMIN_SECRET = 'videos-share-e2e-admin-secret';
const JWT_SECRET = 'videos-share-e2e-jwt-secret-long-enough-for-hs256';
const REFUSED = 'You cannot share that video: it does not exist, or your Kaltura account may not see it.';
const NO_VIDEO = 'No Kaltura video found in that message: it needs an entry id (such as 1_abcd1234) or a link to one.';
const SECRET_TITLE = 'Exam answers 2027';
const SECRET_DESCRIPTION = 'Every answer to the final exam';
/** Owners whose Kaltura user ids are email addresses: one with a name, one without. */
const NAMED_OWNER = 'dana.scully@school.example';
const UNNAMED_OWNER = 'no.name@school.example';

/**
 * Sharing Kaltura videos in a channel, through the bot process: the Share buttons of `/video search` and the
 * "Share Kaltura video" message context menu post a public embed, each read with the sharing member's own Kaltura
 * session, so no member can make the bot post a video their own account may not see.
 */
describe('End to end: sharing Kaltura videos in a channel', function () {
	this.timeout(90_000);

	let discord: DiscordStandIn;
	let kaltura: KalturaStandIn;
	let bot: BotProcess;
	let metricsUrl: string;
	let guildId: string;
	let channelId: string;
	let ids: { admin: string; alice: string; bob: string };
	/** A server where the videos plugin stays off. */
	let quiet: { id: string; channel: string; member: string };
	let open: { id: string };
	let secret: { id: string };
	let named: { id: string };
	let unnamed: { id: string };

	const search = (memberId: string, query: string) =>
		discord.runSlashCommand({ guildId, memberId, name: 'video', subcommand: 'search', options: { query } }).waitForReply(15_000);
	const shareButtonsOf = (message: APIMessage): APIButtonComponentWithCustomId[] =>
		(message.components ?? [])
			.flatMap((row) => (row as APIActionRowComponent<APIComponentInMessageActionRow>).components)
			.filter((component): component is APIButtonComponentWithCustomId => component.type === ComponentType.Button && 'custom_id' in component);
	/** Everything the bot posted or edited in Discord after `since` (a `discord.messageEvents` length), ephemeral or not. */
	const botMessagesSince = (since: number) => discord.messageEvents.slice(since).map((event) => ({ ...event.message, ephemeral: event.ephemeral }));
	const publicPostsSince = (since: number) =>
		discord.messageEvents
			.slice(since)
			.filter((event) => !event.ephemeral && event.kind === 'create' && event.message.author.id === discord.botUser.id);
	/** A message carrying a button with any custom id: Discord delivers whatever custom id a client sends, so a test can send one too. */
	const bait = (channel: string, authorId: string, customId: string) =>
		discord.addMessage({
			channelId: channel,
			authorId,
			content: 'press me',
			components: [
				{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: 2, label: 'Share', custom_id: customId }] }
			]
		});
	/** What the bot sent to create the interaction's first follow-up (recorded once answered, so waited for). */
	const followUpBodyOf = async (handle: InteractionHandle) =>
		(await discord.waitForRequest({ method: 'POST', path: new RegExp(`^/webhooks/\\d+/${handle.token}$`) })).body as {
			allowed_mentions?: unknown;
		};
	const sharesCounted = async () => {
		const text = await (await fetch(metricsUrl)).text();
		const line = text.split('\n').find((row) => row.startsWith('kaltura_bot_videos_shared_total '));
		return Number(line?.split(' ')[1] ?? 'NaN');
	};
	/** Waits until the interaction's reply is final and a moment more, so a post the bot would make after it is seen. */
	const settled = async (handle: InteractionHandle) => {
		const reply = await handle.waitForReply(15_000);
		await new Promise((resolve) => setTimeout(resolve, 300));
		return reply;
	};

	before(async () => {
		discord = await DiscordStandIn.start();
		const guild = discord.addGuild({ name: 'Film club' });
		guildId = guild.id;
		channelId = guild.systemChannelId!;
		const admins = discord.addRole(guildId, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild, position: 2 });
		ids = {
			admin: discord.addMember(guildId, { user: { username: 'ada' }, roles: [admins.id] }).user!.id,
			alice: discord.addMember(guildId, { user: { username: 'alice', globalName: 'Alice @everyone' } }).user!.id,
			bob: discord.addMember(guildId, { user: { username: 'bob' } }).user!.id
		};
		const quietGuild = discord.addGuild({ name: 'Quiet club' });
		quiet = {
			id: quietGuild.id,
			channel: quietGuild.systemChannelId!,
			member: discord.addMember(quietGuild.id, { user: { username: 'quinn' } }).user!.id
		};
		kaltura = await KalturaStandIn.start({ partnerId: PARTNER_ID, adminSecret: ADMIN_SECRET });
		open = kaltura.state.addEntry({
			name: 'Cats **bold** [click](https://evil.example) @everyone',
			description: 'All about <@&123> cats\n# not a heading',
			tags: 'cats',
			duration: 125,
			userId: 'jane.teacher'
		}) as { id: string };
		// A members-only category in a privacy context: the entries in it are seen by their owner, the users the entry
		// names, and the category's members (none here). Only Alice (her derived Kaltura user) is named: Bob's own session
		// is not entitled, while the bot's search session, which does not enforce entitlement, still finds it.
		const staff = kaltura.state.addCategory({ name: 'Staff room', privacy: 3, privacyContexts: 'mediaspace' });
		secret = kaltura.state.addEntry({
			categoriesIds: String(staff.id),
			name: SECRET_TITLE,
			description: SECRET_DESCRIPTION,
			tags: 'exam',
			duration: 60,
			userId: 'exam.board',
			entitledUsersView: `discord_${ids.alice}`
		}) as { id: string };
		kaltura.state.addUser({ id: NAMED_OWNER, firstName: 'Dana', lastName: 'Scully' });
		named = kaltura.state.addEntry({ name: 'Dogs at dawn', tags: 'dogs', duration: 30, userId: NAMED_OWNER }) as { id: string };
		unnamed = kaltura.state.addEntry({ name: 'Dogs at dusk', tags: 'dogs', duration: 30, userId: UNNAMED_OWNER }) as { id: string };
		const metricsPort = await freePort();
		metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
		bot = await BotProcess.start({
			env: {
				...standInEnvironment({ discord, kaltura }),
				JWT_SECRET,
				METRICS_PORT: String(metricsPort),
				DATA_DIR: mkdtempSync(join(tmpdir(), 'kaltura-discord-bot-videos-share-'))
			}
		});
		const enabled = await discord
			.runSlashCommand({ guildId, memberId: ids.admin, name: 'plugins', subcommand: 'enable', options: { plugin: 'videos' } })
			.waitForReply(15_000);
		expect(enabled.content).to.equal('The **videos** plugin is now on in this server.');
	});

	after(async () => {
		if (bot) expect(await bot.stop()).to.equal(0);
		await discord?.stop();
		await kaltura?.stop();
	});

	describe('the Share button of /video search', () => {
		it('GIVEN a search THEN each result shown has a Share button naming its entry', async () => {
			const reply = await search(ids.alice, 'cats');
			const buttons = shareButtonsOf(reply);
			expect(buttons.map((button) => button.custom_id)).to.deep.equal([`videos:share:${open.id}`]);
			expect(buttons[0]!.label!.length).to.be.at.most(80);
		});

		it('GIVEN Share pressed THEN a public embed is posted with the right fields, escaped, and no mention allowed', async () => {
			const before = await sharesCounted();
			const reply = await search(ids.alice, 'cats');
			const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${open.id}`, memberId: ids.alice });
			const confirmation = await press.waitForReply(15_000);
			expect(confirmation.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			const post = await press.waitForFollowUp(1, 15_000);
			expect(post.flags ?? 0).to.equal(0);
			expect(discord.channelMessages(channelId).map((message) => message.id)).to.include(post.id);
			const embed = post.embeds[0]!;
			expect(embed.title).to.equal('Cats \\*\\*bold\\*\\* \\[click\\]\\(https://evil.example\\) @\u200beveryone');
			expect(embed.url).to.equal(`https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${open.id}`);
			expect(embed.description).to.include(`[▶ Watch](https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${open.id})`);
			expect(embed.description).to.include('\\<@&123\\>').and.include('\\# not a heading');
			expect(embed.fields).to.deep.equal([
				{ name: 'Duration', value: '2:05', inline: true },
				{ name: 'Owner', value: 'jane.teacher', inline: true }
			]);
			expect(embed.thumbnail?.url).to.match(new RegExp(`/entry_id/${open.id}/`));
			expect(embed.footer?.text).to.equal('Shared by Alice @everyone');
			expect((await followUpBodyOf(press)).allowed_mentions).to.deep.equal({ parse: [] });
			expect(post.mention_everyone).to.equal(false);
			expect(await sharesCounted()).to.equal(before + 1);
		});

		it('GIVEN owners whose ids are email addresses THEN the post names the one with a name, leaves the other out, and no message carries an address', async () => {
			const since = discord.messageEvents.length;
			const reply = await search(ids.alice, 'dogs');
			const owners: Record<string, unknown> = {};
			for (const entry of [named, unnamed]) {
				const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${entry.id}`, memberId: ids.alice });
				const post = await press.waitForFollowUp(1, 15_000);
				owners[entry.id] = post.embeds[0]!.fields!.find((field) => field.name === 'Owner')?.value;
			}
			expect(owners).to.deep.equal({ [named.id]: 'Dana Scully', [unnamed.id]: undefined });
			const shown = JSON.stringify(botMessagesSince(since));
			expect(shown).to.not.include(NAMED_OWNER).and.not.include(UNNAMED_OWNER).and.not.include('@school.example');
		});

		it('GIVEN the searcher’s Share pressed by another member THEN it is read with the presser’s session, and posted as theirs', async () => {
			const reply = await search(ids.alice, 'cats');
			const since = kaltura.stats.log.length;
			const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${open.id}`, memberId: ids.bob });
			const post = await press.waitForFollowUp(1, 15_000);
			expect(post.embeds[0]!.footer?.text).to.equal('Shared by bob');
			const reads = kaltura.stats.log.slice(since).filter((call) => call.service === 'media' && call.action === 'get');
			expect(reads.map((call) => [call.ksType, call.ksUserId])).to.deep.equal([[0, `discord_${ids.bob}`]]);
			expect(kaltura.parseKs(reads[0]!.ks!).privileges).to.deep.equal({ enableentitlement: '' });
		});

		it('GIVEN Bob presses Share on a result only Alice may see THEN he alone is refused, and nothing of it is posted or shown', async () => {
			const reply = await search(ids.alice, 'exam');
			expect(shareButtonsOf(reply).map((button) => button.custom_id)).to.include(`videos:share:${secret.id}`);
			const before = await sharesCounted();
			const since = discord.messageEvents.length;
			const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${secret.id}`, memberId: ids.bob });
			const refusal = await settled(press);
			expect(refusal.content).to.equal(REFUSED);
			expect(refusal.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(press.followUps).to.deep.equal([]);
			expect(publicPostsSince(since)).to.deep.equal([]);
			const shown = JSON.stringify(botMessagesSince(since));
			expect(shown).to.not.include(SECRET_TITLE).and.not.include(SECRET_DESCRIPTION).and.not.include('exam.board');
			expect(await sharesCounted()).to.equal(before);
		});

		it('GIVEN a Share custom id crafted for an entry Bob may not see THEN he is refused in private and nothing is posted', async () => {
			const message = bait(channelId, ids.bob, `videos:share:${secret.id}`);
			const since = discord.messageEvents.length;
			const press = discord.pressButton({ messageId: message.id, customId: `videos:share:${secret.id}`, memberId: ids.bob });
			const refusal = await settled(press);
			expect(refusal.content).to.equal(REFUSED);
			expect(refusal.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(publicPostsSince(since)).to.deep.equal([]);
			expect(JSON.stringify(botMessagesSince(since)))
				.to.not.include(SECRET_TITLE)
				.and.not.include(SECRET_DESCRIPTION);
		});

		it('GIVEN an entry that does not exist THEN the refusal reads exactly as for one the member may not see', async () => {
			const message = bait(channelId, ids.bob, 'videos:share:0_zzzzzzzz');
			const refusal = await settled(discord.pressButton({ messageId: message.id, customId: 'videos:share:0_zzzzzzzz', memberId: ids.bob }));
			expect(refusal.content).to.equal(REFUSED);
		});

		it('GIVEN Alice, who may see it, shares the same entry THEN it is posted', async () => {
			const reply = await search(ids.alice, 'exam');
			const press = discord.pressButton({ messageId: reply.id, customId: `videos:share:${secret.id}`, memberId: ids.alice });
			const post = await press.waitForFollowUp(1, 15_000);
			expect(post.embeds[0]!.title).to.equal(SECRET_TITLE);
			expect(post.embeds[0]!.fields![1]).to.deep.equal({ name: 'Owner', value: 'exam.board', inline: true });
		});
	});

	describe('the "Share Kaltura video" message context menu', () => {
		const shareMessage = (memberId: string, content: string) => {
			const message = discord.addMessage({ channelId, authorId: ids.admin, content });
			return discord.runMessageContextMenu({ guildId, memberId, name: 'Share Kaltura video', targetMessageId: message.id });
		};

		it('GIVEN a message with an entry id THEN the first id’s video is posted publicly', async () => {
			const before = await sharesCounted();
			const handle = shareMessage(ids.alice, `Watch ${open.id} first, then 0_zzzzzzzz.`);
			const post = await handle.waitForFollowUp(1, 15_000);
			expect(post.flags ?? 0).to.equal(0);
			expect(post.embeds[0]!.url).to.equal(`https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${open.id}`);
			expect((await followUpBodyOf(handle)).allowed_mentions).to.deep.equal({ parse: [] });
			expect(await sharesCounted()).to.equal(before + 1);
		});

		it('GIVEN a message with a link to an entry on the partner’s host THEN that video is posted', async () => {
			const handle = shareMessage(ids.alice, `See <https://${PARTNER_ID}.mediaspace.kaltura.com/media/Cats+explained/${open.id}>!`);
			const post = await handle.waitForFollowUp(1, 15_000);
			expect(post.embeds[0]!.url).to.equal(`https://${PARTNER_ID}.mediaspace.kaltura.com/media/t/${open.id}`);
		});

		it('GIVEN a message with no entry id, or one only in a link elsewhere THEN the member is told privately and nothing is posted', async () => {
			for (const content of ['no video here', `https://videos.evil.example/media/t/${open.id}`]) {
				const since = discord.messageEvents.length;
				const reply = await settled(shareMessage(ids.alice, content));
				expect(reply.content).to.equal(NO_VIDEO);
				expect(reply.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
				expect(publicPostsSince(since)).to.deep.equal([]);
			}
		});

		it('GIVEN a server where the videos plugin is off THEN the menu and a Share button are refused privately and nothing is posted', async () => {
			const since = discord.messageEvents.length;
			const before = kaltura.stats.log.length;
			const message = discord.addMessage({ channelId: quiet.channel, authorId: quiet.member, content: `see ${open.id}` });
			const menu = await settled(
				discord.runMessageContextMenu({ guildId: quiet.id, memberId: quiet.member, name: 'Share Kaltura video', targetMessageId: message.id })
			);
			expect(menu.content).to.include('The **videos** plugin is turned off in this server');
			const button = bait(quiet.channel, quiet.member, `videos:share:${open.id}`);
			const press = await settled(discord.pressButton({ messageId: button.id, customId: `videos:share:${open.id}`, memberId: quiet.member }));
			expect(press.content).to.include('The **videos** plugin is turned off in this server');
			expect(publicPostsSince(since)).to.deep.equal([]);
			expect(kaltura.stats.log.slice(before).filter((call) => call.service === 'media')).to.deep.equal([]);
		});

		it('GIVEN a message naming an entry Bob may not see THEN he is refused in private, and nothing of it is posted or shown', async () => {
			const before = await sharesCounted();
			const since = discord.messageEvents.length;
			const reply = await settled(shareMessage(ids.bob, `the answers: ${secret.id}`));
			expect(reply.content).to.equal(REFUSED);
			expect(reply.flags! & MessageFlags.Ephemeral).to.equal(MessageFlags.Ephemeral);
			expect(publicPostsSince(since)).to.deep.equal([]);
			expect(JSON.stringify(botMessagesSince(since)))
				.to.not.include(SECRET_TITLE)
				.and.not.include(SECRET_DESCRIPTION);
			expect(await sharesCounted()).to.equal(before);
		});
	});
});
