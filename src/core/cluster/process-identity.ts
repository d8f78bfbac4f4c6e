import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this process to the others: host and pid for people reading Redis or a log, a random part so a restart is a new holder. */
export function processIdentity(): string {
	return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** The host part of a {@link processIdentity}. */
export function hostOf(identity: string): string {
	return identity.split(':')[0] ?? identity;
}
