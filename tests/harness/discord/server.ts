// The stand-in itself, split under server/: options, wiring, serving HTTP, and the API tests use.
export type { DiscordStandInOptions, MessageInput, MessageWaitFilter, StandInTiming } from './server/options.js';
export { DiscordStandIn } from './server/stand-in.js';
