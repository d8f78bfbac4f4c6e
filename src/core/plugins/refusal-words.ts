import type { PluginRefusal } from './discovery.js';

/**
 * Names Discord's developer portal gives the privileged intents (Bot page, "Privileged Gateway
 * Intents"), which is where the operator turns them on.
 */
const PORTAL_NAMES: Readonly<Record<string, string>> = {
	GuildMembers: 'Server Members Intent',
	GuildPresences: 'Presence Intent',
	MessageContent: 'Message Content Intent'
};

/** The refusal of a plugin whose listeners need a privileged intent the operator has not granted, with the fix. */
export function missingIntentRefusal(name: string, intent: string): PluginRefusal {
	const portalName = PORTAL_NAMES[intent] ?? intent;
	return {
		name,
		kind: 'intent',
		intent,
		reason: `it needs the privileged gateway intent ${intent}: turn on "${portalName}" for the bot in the Discord developer portal (Bot page), then add ${intent} to DISCORD_PRIVILEGED_INTENTS and restart the bot`
	};
}

/** The refusal of a plugin that requires one refused itself (its own refusal says why). */
export function refusedRequirementRefusal(name: string, requirement: string): PluginRefusal {
	return { name, kind: 'requirement', requirement, reason: `it requires "${requirement}", which was refused` };
}

/**
 * Why a plugin is not loaded, for a server admin: what is missing and who can fix it. Admins cannot read
 * the bot's log or change its environment, so they are told to ask whoever runs the bot, and what for.
 */
export function refusalForAdmins(refusal: PluginRefusal, all: readonly PluginRefusal[] = []): string {
	const lead = `The "${refusal.name}" plugin is installed on this bot but not loaded`;
	switch (refusal.kind) {
		case 'intent': {
			const portalName = PORTAL_NAMES[refusal.intent ?? ''] ?? refusal.intent ?? 'a privileged intent';
			return `${lead}: it needs Discord's "${portalName}" for the bot, which the bot's operator has not turned on. Ask whoever runs the bot to turn it on in the Discord developer portal and in the bot's settings, then restart it; after that, \`/plugins enable plugin:${refusal.name}\` works here.`;
		}
		case 'requirement': {
			const installed = all.some((other) => other.name === refusal.requirement);
			return installed
				? `${lead}: it needs the "${refusal.requirement}" plugin, which is not loaded either; \`/plugins enable plugin:${refusal.requirement}\` says why.`
				: `${lead}: it needs the "${refusal.requirement}" plugin, which is not installed. Ask whoever runs the bot to install it.`;
		}
		case 'unloaded':
			return `${lead}: whoever runs the bot unloaded it for now. Ask them if you need it back.`;
		case 'incompatible':
			return `${lead}: it was written for another version of the bot. Ask whoever runs the bot to install a version of the plugin that fits.`;
		default:
			return `${lead}: its files have a problem the bot's operator has to fix (the bot's log names it). Ask whoever runs the bot.`;
	}
}
