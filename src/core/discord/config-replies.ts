import { createHash } from 'node:crypto';
import { AttachmentBuilder, ButtonBuilder, ButtonStyle, ActionRowBuilder, type InteractionReplyOptions } from 'discord.js';
import { configChanges, type ValueChange } from '../audit/config-changes.js';
import type { ConfigValidationError } from '../config/guild-config-schema.js';
import { getAtPath, isPlainObject, parsePath, type JsonObject } from '../config/object-path.js';
import { codeBlock, truncate } from './replies.js';
import { inlineCode, joinWholeItems } from './markdown.js';

/** Discord's limit on a message's content. */
const MESSAGE_LIMIT = 2_000;
/** Room for JSON in a code block under a heading line; longer JSON goes as a file, never cut. */
const INLINE_JSON_LIMIT = 1_800;

/**
 * A config value as a private reply: inline JSON when it fits in one message, else the whole of it as a
 * `.json` attachment, saying so. Nothing is cut: an admin must be able to see every key.
 */
export function configValueReply(heading: string, json: string, fileName: string): Omit<InteractionReplyOptions, 'flags'> {
	if (json.length <= INLINE_JSON_LIMIT) return { content: `${heading}:\n${codeBlock('json', json)}` };
	const file = new AttachmentBuilder(Buffer.from(json, 'utf8'), { name: fileName, description: heading });
	return {
		content: `${heading}: ${json.length.toLocaleString('en-US')} characters, more than a message holds, so the whole of it is attached as \`${fileName}\` (nothing left out).`,
		files: [file]
	};
}

/** What an admin reads when `/config view` or `/config reset` names a key that is not a setting, with the keys that are. */
export function unknownKeyReply(key: string, config: JsonObject): string {
	const keys = key.split('.');
	// The deepest part of the key that exists: its keys are what the admin probably meant.
	let depth = keys.length - 1;
	while (depth > 0 && !isPlainObject(getAtPath(config, keys.slice(0, depth)))) depth--;
	const parent = keys.slice(0, depth).join('.');
	const holder = depth === 0 ? config : getAtPath(config, keys.slice(0, depth));
	const siblings = isPlainObject(holder) ? Object.keys(holder).sort() : [];
	const where = parent === '' ? 'Top-level sections' : `Settings under ${inlineCode(parent)}`;
	const { text, count } = joinWholeItems(
		siblings.map((name) => inlineCode(name)),
		', ',
		1_500
	);
	const more = count < siblings.length ? ` and ${siblings.length - count} more` : '';
	return `There is no setting ${inlineCode(key)}. ${where}: ${text || 'none'}${more}.`;
}

/**
 * A refused write, for an admin: what is wrong, the same for every command that writes config. Each
 * issue names its key, unless the command chose the key itself (`/roles map` writes a key nobody typed).
 */
export function configRefusalReply(error: ConfigValidationError, options: { readonly keys?: boolean } = {}): string {
	const withKeys = options.keys ?? true;
	const reasons = error.issues.map((issue) => (withKeys && issue.path ? `${inlineCode(issue.path)}: ${issue.message}` : issue.message));
	if (reasons.length === 1) return truncate(`Nothing was changed: ${reasons[0]}.`, MESSAGE_LIMIT);
	return truncate(`Nothing was changed:\n${reasons.map((reason) => `• ${reason}`).join('\n')}`, MESSAGE_LIMIT);
}

/** A value as inline code for a reply; absent values read "not set". */
export function shownValue(value: unknown, redact: (text: string) => string, limit = 200): string {
	if (value === undefined || value === null) return 'not set';
	return inlineCode(truncate(redact(JSON.stringify(value)), limit)) || 'not set';
}

/** Bulleted `key`: before → after lines, as many whole lines as fit, saying how many did not. */
export function changeLines(changes: Readonly<Record<string, ValueChange>>, redact: (text: string) => string, limit: number): string {
	const lines = Object.entries(changes).map(
		([key, change]) => `• ${inlineCode(key)}: ${shownValue(change.before, redact)} → ${shownValue(change.after, redact)}`
	);
	const { text, count } = joinWholeItems(lines, '\n', limit);
	return count < lines.length ? `${text}\n…and ${lines.length - count} more (all of them are in the audit log).` : text;
}

const RESET_ALL = 'config:reset-all:';

/**
 * A fingerprint of a guild's runtime settings, carried by the confirmation button: a press resets only
 * what the admin was shown, not settings someone changed since.
 */
export function settingsFingerprint(override: JsonObject): string {
	return createHash('sha256').update(JSON.stringify(override)).digest('hex').slice(0, 16);
}

export const resetAllButtonId = (fingerprint: string) => `${RESET_ALL}${fingerprint}`;

export function parseResetAllButtonId(customId: string): string | undefined {
	if (!customId.startsWith(RESET_ALL)) return undefined;
	const rest = customId.slice(RESET_ALL.length);
	return /^[0-9a-f]{16}$/.test(rest) ? rest : undefined;
}

export function resetAllConfirmation(
	fingerprint: string,
	changes: Readonly<Record<string, ValueChange>>,
	redact: (text: string) => string
): Omit<InteractionReplyOptions, 'flags'> {
	const count = Object.keys(changes).length;
	const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder()
			.setCustomId(resetAllButtonId(fingerprint))
			.setLabel(`Reset ${count} ${count === 1 ? 'setting' : 'settings'}`)
			.setStyle(ButtonStyle.Danger)
	);
	const intro = `Reset every setting this server changed (${count}) back to the bot’s defaults? Plugin switches and role mappings made here go too; this cannot be undone.`;
	return { content: truncate(`${intro}\n${changeLines(changes, redact, MESSAGE_LIMIT - intro.length - 10)}`, MESSAGE_LIMIT), components: [row] };
}

/** Each runtime value of a server, with the value it has without it (`resolved`: the file override or default; null when none). */
export function resetChanges(override: JsonObject, resolved: JsonObject): Record<string, ValueChange> {
	const changes: Record<string, ValueChange> = {};
	for (const [key, change] of Object.entries(configChanges(override, {}))) {
		changes[key] = { before: change.before, after: getAtPath(resolved, parsePath(key)) ?? null };
	}
	return changes;
}
