import { expect } from 'chai';
import { DiscordAPIError } from 'discord.js';

/** What a promise rejected with; fails the test when it resolves instead. kaltura-client rejects API errors as plain objects. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
	let value: unknown;
	try {
		value = await promise;
	} catch (error) {
		return error as Record<string, unknown>;
	}
	throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
}

/** The DiscordAPIError a discord.js call rejected with; fails the test for anything else, or a success. */
export async function discordRejectionOf(promise: Promise<unknown>): Promise<DiscordAPIError> {
	const error = await rejectionOf(promise);
	expect(error).to.be.instanceOf(DiscordAPIError);
	return error as unknown as DiscordAPIError;
}
