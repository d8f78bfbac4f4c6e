import type Keyv from 'keyv';
import { z } from 'zod';
import type { LastPass, PassCheckpoint } from './pass-types.js';

const countsSchema = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), failed: z.number() });

/** A checkpoint as this version writes it; anything else (another version's, a damaged record) reads as none. */
const checkpointSchema = z.object({
	version: z.literal(1),
	trigger: z.enum(['command', 'schedule', 'startup']),
	startedAt: z.number(),
	savedAt: z.number(),
	doneThrough: z.string(),
	completed: z.number(),
	counts: countsSchema,
	failures: z.array(z.object({ discordUserId: z.string(), code: z.string(), message: z.string() }))
}) satisfies z.ZodType<PassCheckpoint>;

const lastPassSchema = z.object({ finishedAt: z.number(), counts: countsSchema, total: z.number() }) satisfies z.ZodType<LastPass>;

/**
 * The plugin's own records, in its Keyv namespace: the checkpoint of a running pass, when each guild's
 * last pass ended, and since when a guild has been waiting for its first scheduled pass. Values read
 * back are checked, so a record written by another version is ignored rather than trusted.
 */
export class UserSyncStore {
	public constructor(private readonly keyv: Keyv<unknown>) {}

	public async checkpoint(guildId: string): Promise<PassCheckpoint | undefined> {
		const parsed = checkpointSchema.safeParse(await this.keyv.get(`checkpoint.${guildId}`));
		return parsed.success ? parsed.data : undefined;
	}

	public async saveCheckpoint(guildId: string, checkpoint: PassCheckpoint): Promise<void> {
		await this.keyv.set(`checkpoint.${guildId}`, checkpoint);
	}

	public async clearCheckpoint(guildId: string): Promise<void> {
		await this.keyv.delete(`checkpoint.${guildId}`);
	}

	public async lastPass(guildId: string): Promise<LastPass | undefined> {
		const parsed = lastPassSchema.safeParse(await this.keyv.get(`last-pass.${guildId}`));
		return parsed.success ? parsed.data : undefined;
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
