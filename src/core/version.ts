/**
 * The version of the contract between the core and feature plugins (manifest shape, container
 * services, base pieces). Plugins declare the range they support; bump the major on a breaking change.
 */
export const CORE_API_VERSION = '1.4.0';

/** The bot's own release, shown by /about and the health route. */
export const BOT_VERSION = '0.1.0';
