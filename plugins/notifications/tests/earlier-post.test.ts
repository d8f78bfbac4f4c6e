import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';
import { DeliveryWorker } from '../lib/delivery-worker.js';
import { deliveryIdIn, findEarlierPost, snowflakeAt, withDeliveryId, type ChannelMessage, type ChannelReader } from '../lib/earlier-post.js';
import { SqliteNotificationStore } from '../lib/store/sqlite-notification-store.js';
import { useQuietContainerLogger } from '../../../tests/helpers/quiet-container-logger.js';

const BOT = '900000000000000001';
const OTHER_BOT = '900000000000000002';

/** A channel of these messages, and a reader that answers as Discord does: the oldest `limit` after `after`, newest first. */
function channelOf(messages: ChannelMessage[]) {
	const reads: { after: string; limit: number }[] = [];
	const reader: ChannelReader = {
		messagesAfter: (_channelId, after, limit) => {
			reads.push({ after, limit });
			const newer = messages.filter((message) => BigInt(message.id) > BigInt(after)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
			return Promise.resolve(newer.slice(0, limit).reverse());
		},
		selfId: () => BOT
	};
	return { reader, reads };
}

const message = (at: number, authorId: string, footer?: string): ChannelMessage =>
	({
		id: String(BigInt(snowflakeAt(at)) + 1n),
		author: { id: authorId },
		embeds: footer === undefined ? [] : [{ footer: { text: footer } }]
	}) as unknown as ChannelMessage;

describe('notifications: the delivery id in a message, and finding an earlier post by it', () => {
	it('GIVEN a body with an embed THEN the first embed’s footer carries the delivery id, and it can be read back', () => {
		const body = withDeliveryId({ content: '<@&1>', embeds: [{ title: 'New video ready' }, { title: 'second' }] }, { id: 42 });
		expect(body.embeds).to.deep.equal([{ title: 'New video ready', footer: { text: 'Kaltura · kdn-42' } }, { title: 'second' }]);
		expect(deliveryIdIn(body as unknown as ChannelMessage)).to.equal('kdn-42');
		expect(withDeliveryId({ content: 'no embed' }, { id: 1 })).to.deep.equal({ content: 'no embed' });
	});

	it('GIVEN a body marked by an earlier delivery (a follow-up edit) THEN its id is replaced, not added', () => {
		const once = withDeliveryId({ embeds: [{ title: 'Live stream started' }] }, { id: 7 });
		expect((withDeliveryId(once, { id: 9 }).embeds as { footer: { text: string } }[])[0]!.footer.text).to.equal('Kaltura · kdn-9');
	});

	it('GIVEN a moment THEN its snowflake is below every message created from then on', () => {
		const at = Date.UTC(2026, 0, 1);
		expect(BigInt(snowflakeAt(at)) >> 22n).to.equal(BigInt(at) - 1_420_070_400_000n);
		expect(snowflakeAt(0)).to.equal('0');
	});

	it('GIVEN the bot’s post with the id after the first claim THEN it is found; another author’s with the same footer is not', async () => {
		const claimedAt = Date.UTC(2026, 5, 1, 12);
		const { reader, reads } = channelOf([
			message(claimedAt - 3_600_000, BOT, 'Kaltura · kdn-5'),
			message(claimedAt + 1_000, OTHER_BOT, 'Kaltura · kdn-5'),
			message(claimedAt + 2_000, BOT, 'Kaltura · kdn-5')
		]);
		const result = await findEarlierPost(reader, { id: 5, channel_id: 'c', first_claimed_at: claimedAt });
		expect(result.found?.author.id).to.equal(BOT);
		expect(reads).to.deep.equal([{ after: snowflakeAt(claimedAt - 60_000), limit: 100 }]);
	});

	it('GIVEN the post further on than one page THEN the pages are read forward until it is found', async () => {
		const claimedAt = Date.UTC(2026, 5, 1, 12);
		const chatter = Array.from({ length: 250 }, (_, index) => message(claimedAt + index * 1_000, OTHER_BOT));
		const { reader, reads } = channelOf([...chatter, message(claimedAt + 300_000, BOT, 'Kaltura · kdn-5')]);
		const result = await findEarlierPost(reader, { id: 5, channel_id: 'c', first_claimed_at: claimedAt });
		expect(result.found).to.not.equal(undefined);
		expect(reads).to.have.length(3);
	});

	it('GIVEN no such post THEN not found, complete at the channel’s end, incomplete when the pages ran out first', async () => {
		const claimedAt = Date.UTC(2026, 5, 1, 12);
		const chatter = Array.from({ length: 250 }, (_, index) => message(claimedAt + index * 1_000, OTHER_BOT));
		expect(await findEarlierPost(channelOf(chatter).reader, { id: 5, channel_id: 'c', first_claimed_at: claimedAt })).to.deep.equal({
			found: undefined,
			complete: true
		});
		expect(
			await findEarlierPost(channelOf(chatter).reader, { id: 5, channel_id: 'c', first_claimed_at: claimedAt }, { maxPages: 2 })
		).to.deep.equal({ found: undefined, complete: false });
	});
});

describe('notifications: a post whose nonce points at an earlier post deleted since', () => {
	useQuietContainerLogger();

	it('GIVEN Discord answers the post 10008 Unknown Message THEN the row is done (failed, with why) and the subscription stays on', async () => {
		const store = new SqliteNotificationStore(':memory:');
		await store.subscribe({ guildId: 'g1', channelId: 'c1', events: ['entry.ready'], categoryId: null, roleId: null });
		await store.insertIfNew(
			{
				key: 'job:1',
				type: 'entry.ready',
				eventType: 3,
				eventObjectType: '1',
				objectId: '0_a',
				partnerId: 1,
				receivedAt: Date.now(),
				payload: '{}'
			},
			[{ guildId: 'g1', channelId: 'c1', body: { embeds: [{ title: 'x' }] } }]
		);
		const unknownMessage = new DiscordAPIError({ code: 10_008, message: 'Unknown Message' }, 10_008, 404, 'POST', '/channels/c1/messages', {
			body: undefined
		});
		const worker = new DeliveryWorker(
			() => Promise.resolve(store),
			{ post: () => Promise.reject(unknownMessage), edit: () => Promise.reject(new Error('unexpected edit')) },
			{ pollMs: 10_000, tokenRefused: () => false }
		);
		worker.wake();
		await new Promise((done) => setTimeout(done, 50));
		await worker.stop();
		const [row] = await store.allDeliveries();
		expect(row).to.include({ status: 'failed', attempts: 1 });
		expect(row!.last_error).to.match(/^posted earlier and deleted since/);
		expect((await store.subscriptionsOf('g1'))[0]).to.include({ enabled: true });
		await store.close();
	});
});
