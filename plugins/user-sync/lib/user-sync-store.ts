import type Keyv from 'keyv';
import type { LastPass, PassCheckpoint } from './pass-types.js';

/**
 * The plugin's own records, in its Keyv namespace: the checkpoint of a running pass, when each guild's
 * last pass ended, and since when a guild has been waiting for its first scheduled pass. Values read
 * back are checked, so a record written by another version is ignored rather than trusted.
 */
export class UserSyncStore {
	public constructor(private readonly keyv: Keyv<unknown>) {}

	public async checkpoint(guildId: string): Promise<PassCheckpoint | undefined> {
		const value = await this.keyv.get(`checkpoint.${guildId}`);
		return isCheckpoint(value) ? value : undefined;
	}

	public async saveCheckpoint(guildId: string, checkpoint: PassCheckpoint): Promise<void> {
		await this.keyv.set(`checkpoint.${guildId}`, checkpoint);
	}

	public async clearCheckpoint(guildId: string): Promise<void> {
		await this.keyv.delete(`checkpoint.${guildId}`);
	}

	public async lastPass(guildId: string): Promise<LastPass | undefined> {
		const value = (await this.keyv.get(`last-pass.${guildId}`)) as Partial<LastPass> | undefined;
		return typeof value?.finishedAt === 'number' ? (value as LastPass) : undefined;
	}

	public async saveLastPass(guildId: string, lastPass: LastPass): Promise<void> {
		await this.keyv.set(`last-pass.${guildId}`, lastPass);
	}

	/** When the schedule first saw this guild with the plugin on; set now if never. */
	public async watchingSince(guildId: string, now: number): Promise<number> {
		const value = await this.keyv.get(`watching-since.${guildId}`);
		if (typeof value === 'number') return value;
		await this.keyv.set(`watching-since.${guildId}`, now);
		return now;
	}
}

function isCheckpoint(value: unknown): value is PassCheckpoint {
	if (typeof value !== 'object' || value === null) return false;
	const candidate = value as Partial<PassCheckpoint>;
	return (
		candidate.version === 1 &&
		typeof candidate.doneThrough === 'string' &&
		typeof candidate.completed === 'number' &&
		typeof candidate.startedAt === 'number' &&
		typeof candidate.savedAt === 'number' &&
		typeof candidate.counts === 'object' &&
		candidate.counts !== null &&
		Array.isArray(candidate.failures)
	);
}
