import kaltura from 'kaltura-client';
import { z } from 'zod';
import { type AdminScope, KalturaError, type KalturaRequest, KalturaResponseError } from '#sdk';

/**
 * The fields of a KalturaUser a share may show of an entry's owner (kaltura/server api_v3/lib/types/KalturaUser.php:
 * `fullName` is kuser's full name, first and last joined; `screenName` defaults to the user id). Kaltura leaves unset
 * fields out of its JSON.
 */
const ownerSchema = z.object({
	id: z.string(),
	fullName: z.string().optional(),
	firstName: z.string().optional(),
	lastName: z.string().optional(),
	screenName: z.string().optional()
});
type Owner = z.output<typeof ownerSchema>;

/** How long a looked-up name is kept: a renamed owner shows under the new name within minutes, and shares do not each cost a call. */
export const OWNER_NAME_TTL_MS = 10 * 60 * 1000;
/** Owners kept at most; the oldest looked-up is dropped first. */
const OWNER_NAME_CACHE_SIZE = 1000;

/** Something with an `@` between two non-empty parts: an email address, which a public post must not carry. */
const LOOKS_LIKE_EMAIL = /\S@\S/;

/** `user.get` of one user, its answer checked. */
function userGet(userId: string): KalturaRequest<Owner> {
	return {
		build: () => kaltura.services.user.get(userId),
		parse(answer) {
			const result = ownerSchema.safeParse(answer);
			if (result.success) return result.data;
			throw new KalturaResponseError(
				'user.get',
				result.error.issues.map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`)
			);
		}
	};
}

/**
 * The name a public post may give the user: the full name, else first and last name, else the screen name; never one
 * that looks like an email address or is the user id itself when that does (Kaltura's screen name defaults to the id).
 */
export function publicNameOf(owner: Owner): string | undefined {
	const joined = [owner.firstName, owner.lastName]
		.map((part) => part?.trim() ?? '')
		.filter((part) => part !== '')
		.join(' ');
	return [owner.fullName, joined, owner.screenName].map((name) => name?.trim() ?? '').find((name) => name !== '' && !LOOKS_LIKE_EMAIL.test(name));
}

/** What the lookup needs of the Kaltura facade: its partner, and an admin call. */
export interface OwnerLookup {
	readonly partnerId: number;
	admin<T>(scope: AdminScope, request: KalturaRequest<T>): Promise<T>;
}

interface Cached {
	readonly name: string | undefined;
	readonly expiresAt: number;
}

/** Owners' public names per partner and user, for {@link OWNER_NAME_TTL_MS}. */
export class OwnerNames {
	readonly #cache = new Map<string, Cached>();

	public constructor(private readonly now: () => number = Date.now) {}

	/**
	 * The owner's public name, or undefined when they have none fit to show or Kaltura cannot say (a share goes out
	 * without the owner rather than fail). Another user's record is an admin read (a USER session reads only its own,
	 * kaltura/server api_v3/services/UserService.php getAction), so the bot's admin session limited to `user.get`.
	 */
	public async of(facade: OwnerLookup, userId: string): Promise<string | undefined> {
		if (userId.trim() === '') return undefined;
		const key = `${facade.partnerId}:${userId}`;
		const cached = this.#cache.get(key);
		if (cached !== undefined && cached.expiresAt > this.now()) return cached.name;
		let name: string | undefined;
		try {
			name = publicNameOf(
				await facade.admin(
					{ actions: ['user.get'], why: 'shows the name of a shared video’s owner; a USER session reads only its own user' },
					userGet(userId)
				)
			);
		} catch (error) {
			// Kaltura's answer (no such user, say) is kept like a name; a failure that may pass (a timeout, an outage) is
			// not, so the next share asks again.
			if (!(error instanceof KalturaError) || error.transient) return undefined;
			name = undefined;
		}
		this.#cache.delete(key);
		this.#cache.set(key, { name, expiresAt: this.now() + OWNER_NAME_TTL_MS });
		if (this.#cache.size > OWNER_NAME_CACHE_SIZE) {
			const oldest = this.#cache.keys().next();
			if (oldest.done !== true) this.#cache.delete(oldest.value);
		}
		return name;
	}
}

/** The plugin's cache of owners' names. */
export const ownerNames = new OwnerNames();
