import { container } from '@sapphire/framework';
import kaltura from 'kaltura-client';
import { KalturaError } from '../kaltura/kaltura-error.js';
import { KALTURA_USER_ID_PATTERN, type IdentityLink } from './identity.js';

export class IdentityLinkError extends Error {
	public constructor(
		public readonly code: 'invalid_kaltura_user_id' | 'kaltura_user_not_found',
		message: string
	) {
		super(message);
		this.name = 'IdentityLinkError';
	}
}

/**
 * Links a member to a Kaltura user that already exists. The command and the API both come here, so
 * neither can link a member to a user Kaltura does not know (a typo would silently create a second
 * identity later). Kaltura errors pass through as {@link KalturaError}.
 */
export async function linkToExistingKalturaUser(guildId: string, discordUserId: string, kalturaUserId: string, linkedBy: string): Promise<IdentityLink> {
	if (!KALTURA_USER_ID_PATTERN.test(kalturaUserId)) {
		throw new IdentityLinkError('invalid_kaltura_user_id', 'A Kaltura user id has 1 to 100 letters, digits or . _ @ + - (no spaces or colons).');
	}
	try {
		await container.kaltura.admin('', () => kaltura.services.user!.get!(kalturaUserId));
	} catch (error) {
		if (error instanceof KalturaError && (error.code === 'USER_NOT_FOUND' || error.code === 'INVALID_USER_ID')) {
			throw new IdentityLinkError('kaltura_user_not_found', `Kaltura has no user with the id "${kalturaUserId}".`);
		}
		throw error;
	}
	return container.identity.link(guildId, discordUserId, kalturaUserId, linkedBy);
}
