import { container } from '@sapphire/framework';
import type { GuildMember } from 'discord.js';
import { type BatchItemOutcome, KalturaError } from '#sdk';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import { toFailure } from './failure.js';
import { changedFields, newUserFields, profileChange, type KalturaUserRecord, type MemberFacts, type SyncedField } from './kaltura-user-profile.js';
import { isListableUserId, listKalturaUsers, writeKalturaUsers, type UserWrite } from './kaltura-users.js';
import type { ProbeGate } from './probe-gate.js';
import { kalturaIdentityOf, memberFacts, syncKalturaUser, type KalturaIdentity, type SyncOutcome } from './sync-member.js';

/** Members per page: their users are read with one request (a multirequest of `user.list` calls). */
export const PAGE_MEMBERS = 500;
/** Writes per multirequest once writing works. */
export const WRITE_BATCH = 50;
/** Writes in a probe (see {@link ProbeGate}): no more than the failures that stop a pass. */
export const PROBE_BATCH = 25;

/** What a page needs from its pass. */
export interface PageContext {
	/** The guild's limiter: every request to Kaltura, list or batch, holds one of its slots. */
	readonly limiter: ConcurrencyLimiter;
	readonly gate: ProbeGate;
	/** Called once for every member of the page that was synced (or failed); never for one left undone. */
	readonly record: (index: number, outcome: SyncOutcome) => void;
	/** True once the pass stops sending: members not yet written are left undone (not recorded). */
	readonly abandoned: () => boolean;
}

interface PageEntry {
	readonly index: number;
	readonly member: GuildMember;
}

interface Planned {
	readonly index: number;
	readonly identity: KalturaIdentity;
	readonly facts: MemberFacts;
}

interface PlannedWrite extends Planned {
	readonly write: UserWrite;
	readonly fields?: readonly SyncedField[];
}

/**
 * Syncs one page of members: reads their Kaltura users in one request, records the members already up
 * to date, and sends what must change (new users, changed fields) in batches. A member whose user could
 * not be listed (an id `idIn` cannot carry), or whose `user.add` met a user the list did not show
 * (Kaltura's search index lags its database by a moment), is synced on its own, as the listeners do.
 * Never throws: whatever goes wrong becomes a failed outcome of the members it concerns.
 */
export async function reconcilePage(entries: readonly PageEntry[], context: PageContext): Promise<void> {
	const recorded = new Set<number>();
	const record = (index: number, outcome: SyncOutcome) => {
		recorded.add(index);
		context.record(index, outcome);
	};
	try {
		const planned: Planned[] = [];
		for (const { index, member } of entries) {
			try {
				const identity = await kalturaIdentityOf(member.guild.id, member.id);
				planned.push({ index, identity, facts: await memberFacts(member) });
			} catch (error) {
				record(index, { kind: 'failed', kalturaUserId: undefined, ...toFailure(error, `the sync of member ${member.id}`) });
			}
		}
		const listable = planned.filter(({ identity }) => isListableUserId(identity.kalturaUserId));
		let users: Map<string, KalturaUserRecord>;
		try {
			const ids = [...new Set(listable.map(({ identity }) => identity.kalturaUserId))];
			users = ids.length === 0 ? new Map() : await context.limiter.run(() => listKalturaUsers(ids));
		} catch (error) {
			const failure = toFailure(error, 'the listing of Kaltura users');
			for (const { index, identity } of listable) record(index, { kind: 'failed', kalturaUserId: identity.kalturaUserId, ...failure });
			users = new Map();
		}

		const writes: PlannedWrite[] = [];
		const alone: Planned[] = [];
		for (const item of planned) {
			if (recorded.has(item.index)) continue;
			const { identity, facts } = item;
			if (!isListableUserId(identity.kalturaUserId)) {
				alone.push(item);
				continue;
			}
			const existing = users.get(identity.kalturaUserId.toLowerCase());
			if (existing === undefined) {
				writes.push({ ...item, write: { kind: 'add', id: identity.kalturaUserId, fields: newUserFields(facts) } });
				continue;
			}
			const { patch, partnerDataUnreadable, partnerDataFull } = profileChange(existing, facts, identity.owned);
			if (partnerDataUnreadable)
				container.logger.debug(`User sync: the partnerData of linked Kaltura user ${identity.kalturaUserId} is not JSON; left as it is.`);
			if (partnerDataFull)
				container.logger.warn(
					`User sync: the partnerData of Kaltura user ${identity.kalturaUserId} is full with other keys; this server's entry was not added.`
				);
			const fields = changedFields(patch);
			if (fields.length === 0) record(item.index, { kind: 'unchanged', kalturaUserId: identity.kalturaUserId });
			else writes.push({ ...item, write: { kind: 'update', id: identity.kalturaUserId, patch }, fields });
		}

		const retryAlone = await sendWrites(writes, context, record);
		await Promise.all([...alone, ...retryAlone].map((item) => syncAlone(item, context, record)));
	} catch (error) {
		// A bug, not Kaltura: whoever is not done yet fails, and the log has the details.
		const failure = toFailure(error, 'a page of the user sync');
		for (const { index } of entries) if (!recorded.has(index)) record(index, { kind: 'failed', kalturaUserId: undefined, ...failure });
	}
}

/** Sends the writes in batches as the gate allows; hands back the members to sync on their own. */
async function sendWrites(
	writes: readonly PlannedWrite[],
	context: PageContext,
	record: (index: number, outcome: SyncOutcome) => void
): Promise<Planned[]> {
	const alone: Planned[] = [];
	const sent: Promise<void>[] = [];
	let offset = 0;
	while (offset < writes.length && !context.abandoned()) {
		const probe = await context.gate.enter();
		const batch = writes.slice(offset, offset + (probe ? PROBE_BATCH : WRITE_BATCH));
		const release = await context.limiter.acquire();
		if (context.abandoned()) {
			release();
			context.gate.leave(probe, undefined);
			break;
		}
		offset += batch.length;
		const done = sendBatch(batch, record, alone).then(
			(wrote) => context.gate.leave(probe, wrote),
			() => context.gate.leave(probe, false)
		);
		sent.push(done.finally(release));
		// A probe is waited for here too, so that this page's next batch knows whether writing works.
		if (probe) await done;
	}
	await Promise.all(sent);
	return alone;
}

/** One batch; true when any write in it succeeded. */
async function sendBatch(batch: readonly PlannedWrite[], record: (index: number, outcome: SyncOutcome) => void, alone: Planned[]): Promise<boolean> {
	let outcomes: BatchItemOutcome<KalturaUserRecord>[];
	try {
		outcomes = await writeKalturaUsers(batch.map(({ write }) => write));
	} catch (error) {
		// The batch failed whole (no answer, or every write refused alike): each of its members failed with it.
		if (!(error instanceof KalturaError)) {
			const failure = toFailure(error, 'a batch of Kaltura user writes');
			for (const { index, identity } of batch) record(index, { kind: 'failed', kalturaUserId: identity.kalturaUserId, ...failure });
			return false;
		}
		outcomes = batch.map(() => ({ ok: false, error }));
	}
	let wrote = false;
	batch.forEach((item, position) => {
		// The facade answers one outcome per write; a write without one counts as failed rather than as done.
		const outcome = outcomes[position] ?? { ok: false, error: new KalturaError('BAD_RESPONSE', 'Kaltura gave no answer for this write.', false) };
		const kalturaUserId = item.identity.kalturaUserId;
		if (outcome.ok) {
			wrote = true;
			record(
				item.index,
				item.write.kind === 'add' ? { kind: 'created', kalturaUserId } : { kind: 'updated', kalturaUserId, fields: item.fields ?? [] }
			);
		} else if (shouldSyncAlone(item.write, outcome.error)) {
			alone.push(item);
		} else {
			record(item.index, { kind: 'failed', kalturaUserId, ...toFailure(outcome.error, `the sync of ${kalturaUserId}`) });
		}
	});
	return wrote;
}

/**
 * A user that exists though the list did not show it (`DUPLICATE_USER_BY_ID`), or one that vanished
 * between the list and the update (`INVALID_USER_ID`), is read and written on its own; so is a write the
 * rate limit refused while others in its batch went through (a single request waits the limit out).
 */
function shouldSyncAlone(write: UserWrite, error: KalturaError): boolean {
	if (error.code === 'ACTION_BLOCKED') return true;
	return write.kind === 'add' ? error.code === 'DUPLICATE_USER_BY_ID' : error.code === 'INVALID_USER_ID' || error.code === 'USER_NOT_FOUND';
}

async function syncAlone(item: Planned, context: PageContext, record: (index: number, outcome: SyncOutcome) => void): Promise<void> {
	if (context.abandoned()) return;
	record(item.index, await context.limiter.run(() => syncKalturaUser(item.identity, item.facts)));
}
