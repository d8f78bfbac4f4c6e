import { MessageFlags, MessageType } from 'discord-api-types/v10';
import type {
	APIAllowedMentions,
	APIAttachment,
	APIEmbed,
	APIMessage,
	APIMessageInteractionMetadata,
	APIMessageReference,
	APIMessageTopLevelComponent,
	APIUser,
	RESTPostAPIChannelMessageJSONBody
} from 'discord-api-types/v10';
import { DiscordErrors, FormErrors } from './errors.js';
import type { UploadedFile } from './http.js';
import type { DiscordState } from './state.js';

/** The message fields a create or edit body may carry (channel, webhook or interaction). */
export type MessageBody = Omit<RESTPostAPIChannelMessageJSONBody, 'content' | 'embeds' | 'components'> & {
	content?: string | null;
	embeds?: APIEmbed[] | null;
	components?: APIMessageTopLevelComponent[] | null;
	attachments?: { id: string | number; filename?: string; description?: string }[] | null;
};

const CREATE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsVoiceMessage | MessageFlags.IsComponentsV2;

/** Flags an interaction response or follow-up may set (ephemeral on top of the create flags). */
export const INTERACTION_MESSAGE_FLAGS = CREATE_FLAGS | MessageFlags.Ephemeral;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Discord's message body checks. `mode: 'create'` also rejects empty messages (50006).
 * Throws a DiscordHTTPError on violation.
 */
export function validateMessageBody(
	body: unknown,
	files: readonly UploadedFile[],
	mode: 'create' | 'edit',
	path: readonly (string | number)[] = []
): MessageBody {
	if (body !== undefined && body !== null && !isObject(body)) {
		throw DiscordErrors.invalidFormBody({ _errors: [{ code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' }] });
	}
	const message = (body ?? {}) as MessageBody;
	const errors = new FormErrors();
	const flags = typeof message.flags === 'number' ? message.flags : 0;
	const componentsV2 = (flags & MessageFlags.IsComponentsV2) !== 0;

	if (message.content !== undefined && message.content !== null) {
		if (typeof message.content !== 'string') errors.add([...path, 'content'], 'BASE_TYPE_STRING', 'Must be a string.');
		else if ([...message.content].length > 2000) {
			errors.add([...path, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
		} else if (componentsV2 && message.content.length > 0) {
			errors.add(
				[...path, 'content'],
				'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
				"The 'content' field cannot be used when using MessageFlags.IS_COMPONENTS_V2"
			);
		}
	}
	if (Array.isArray(message.embeds)) {
		if (message.embeds.length > 10) errors.add([...path, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
		if (componentsV2 && message.embeds.length > 0) {
			errors.add(
				[...path, 'embeds'],
				'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
				"The 'embeds' field cannot be used when using MessageFlags.IS_COMPONENTS_V2"
			);
		}
		message.embeds.forEach((embed, index) => validateEmbed(embed, [...path, 'embeds', index], errors));
		validateEmbedTotal(message.embeds, [...path, 'embeds'], errors);
	}
	if (Array.isArray(message.components) && !componentsV2 && message.components.length > 5) {
		errors.add([...path, 'components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
	}
	if (Array.isArray(message.components)) validateButtonLabels(message.components, [...path, 'components'], errors);
	errors.throwIfAny();

	if (mode === 'create') {
		const hasContent = typeof message.content === 'string' && message.content.length > 0;
		const hasEmbeds = Array.isArray(message.embeds) && message.embeds.length > 0;
		const hasComponents = Array.isArray(message.components) && message.components.length > 0;
		const hasStickers = Array.isArray(message.sticker_ids) && message.sticker_ids.length > 0;
		const hasPoll = message.poll !== undefined && message.poll !== null;
		if (!hasContent && !hasEmbeds && !hasComponents && !hasStickers && !hasPoll && files.length === 0) {
			throw DiscordErrors.cannotSendEmptyMessage();
		}
	}
	return message;
}

/** Characters as Discord counts them (code points: a surrogate pair is one). */
const characters = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

function maxLength(value: unknown, max: number, path: (string | number)[], errors: FormErrors): void {
	if (characters(value) > max) errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
}

/**
 * Discord's embed limits (discord-api-docs developers/resources/message.mdx, "Embed Limits"): title 256,
 * description 4096, 25 fields, field name 256, field value 1024, footer text 2048, author name 256. Each
 * violation is reported at its own path, as Discord's 50035 Invalid Form Body does.
 */
function validateEmbed(embed: unknown, path: (string | number)[], errors: FormErrors): void {
	if (!isObject(embed)) return;
	maxLength(embed.title, 256, [...path, 'title'], errors);
	maxLength(embed.description, 4096, [...path, 'description'], errors);
	if (isObject(embed.footer)) maxLength(embed.footer.text, 2048, [...path, 'footer', 'text'], errors);
	if (isObject(embed.author)) maxLength(embed.author.name, 256, [...path, 'author', 'name'], errors);
	if (Array.isArray(embed.fields)) {
		if (embed.fields.length > 25) errors.add([...path, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
		embed.fields.forEach((field: unknown, index: number) => {
			if (!isObject(field)) return;
			maxLength(field.name, 256, [...path, 'fields', index, 'name'], errors);
			maxLength(field.value, 1024, [...path, 'fields', index, 'value'], errors);
		});
	}
}

/**
 * "The combined sum of characters in all title, description, field.name, field.value, footer.text, and
 * author.name fields across all embeds attached to a message must not exceed 6000 characters" (same page).
 * Discord answers it with MAX_EMBED_SIZE_EXCEEDED "Embed size exceeds maximum size of 6000" under the embed
 * (`In embeds.0: …` as discord.py prints it); here it is reported under the embed whose text crosses the sum.
 */
function validateEmbedTotal(embeds: unknown[], path: (string | number)[], errors: FormErrors): void {
	let total = 0;
	for (const [index, embed] of embeds.entries()) {
		if (!isObject(embed)) continue;
		total += characters(embed.title) + characters(embed.description);
		if (isObject(embed.footer)) total += characters(embed.footer.text);
		if (isObject(embed.author)) total += characters(embed.author.name);
		if (Array.isArray(embed.fields))
			for (const field of embed.fields as unknown[]) if (isObject(field)) total += characters(field.name) + characters(field.value);
		if (total > 6000) {
			errors.add([...path, index], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
			return;
		}
	}
}

/** A button's label is at most 80 characters (discord-api-docs developers/components/reference.mdx, Button). */
function validateButtonLabels(rows: unknown[], path: (string | number)[], errors: FormErrors): void {
	rows.forEach((row, rowIndex) => {
		if (!isObject(row) || !Array.isArray(row.components)) return;
		(row.components as unknown[]).forEach((component, index) => {
			if (isObject(component) && component.type === 2)
				maxLength(component.label, 80, [...path, rowIndex, 'components', index, 'label'], errors);
		});
	});
}

export interface CreateMessageInput {
	channelId: string;
	author: APIUser;
	body: MessageBody;
	files?: readonly UploadedFile[];
	type?: MessageType;
	/** Extra flags to set (ephemeral, loading). */
	extraFlags?: number;
	/** Flags the body may set. Default: the flags a normal message may carry. */
	allowedFlags?: number;
	webhookId?: string;
	applicationId?: string;
	interactionMetadata?: APIMessageInteractionMetadata;
	messageReference?: APIMessageReference;
}

/** Builds a complete APIMessage (not stored). */
export function buildMessage(state: DiscordState, baseUrl: string, input: CreateMessageInput): APIMessage {
	const { body } = input;
	const id = state.nextId();
	const guildId = state.guildIdOfChannel(input.channelId);
	const content = typeof body.content === 'string' ? body.content : '';
	const mentions = resolveMentions(state, guildId, content, body.allowed_mentions);
	const flags = ((body.flags ?? 0) & (input.allowedFlags ?? CREATE_FLAGS)) | (input.extraFlags ?? 0);
	const message: APIMessage = {
		id,
		channel_id: input.channelId,
		author: input.author,
		content,
		timestamp: new Date().toISOString(),
		edited_timestamp: null,
		tts: body.tts === true,
		mention_everyone: mentions.everyone,
		mentions: mentions.users,
		mention_roles: mentions.roles,
		attachments: buildAttachments(state, baseUrl, input.channelId, body.attachments ?? undefined, input.files ?? []),
		embeds: normalizeEmbeds(body.embeds),
		pinned: false,
		type: input.type ?? MessageType.Default,
		flags,
		components: body.components ?? []
	};
	if (body.nonce !== undefined) message.nonce = body.nonce;
	if (body.poll !== undefined && body.poll !== null) {
		message.poll = { ...(body.poll as object), results: { is_finalized: false, answer_counts: [] } } as unknown as NonNullable<
			APIMessage['poll']
		>;
	}
	if (input.webhookId !== undefined) message.webhook_id = input.webhookId;
	if (input.applicationId !== undefined) message.application_id = input.applicationId;
	if (input.interactionMetadata !== undefined) message.interaction_metadata = input.interactionMetadata;
	if (input.messageReference !== undefined) {
		message.message_reference = input.messageReference;
		const referenced =
			input.messageReference.message_id !== undefined
				? state.findMessage(input.messageReference.message_id, input.messageReference.channel_id ?? input.channelId)
				: undefined;
		message.referenced_message = referenced ? referenced.message : null;
	}
	return message;
}

/** Applies an edit body to a copy of `message` (the fields present replace the old ones). */
export function applyMessageEdit(
	state: DiscordState,
	baseUrl: string,
	message: APIMessage,
	body: MessageBody,
	files: readonly UploadedFile[],
	options: { clearFlags?: number } = {}
): APIMessage {
	const next: APIMessage = structuredClone(message);
	const guildId = state.guildIdOfChannel(message.channel_id);
	if (body.content !== undefined) {
		next.content = body.content ?? '';
		const mentions = resolveMentions(state, guildId, next.content, body.allowed_mentions);
		next.mentions = mentions.users;
		next.mention_roles = mentions.roles;
		next.mention_everyone = mentions.everyone;
	}
	if (body.embeds !== undefined) next.embeds = normalizeEmbeds(body.embeds);
	if (body.components !== undefined) next.components = body.components ?? [];
	if (body.attachments !== undefined || files.length > 0) {
		const kept = (body.attachments ?? [])
			.map((a) => next.attachments.find((existing) => existing.id === String(a.id)))
			.filter((a): a is APIAttachment => a !== undefined);
		const added = buildAttachments(
			state,
			baseUrl,
			message.channel_id,
			(body.attachments ?? []).filter((a) => !next.attachments.some((existing) => existing.id === String(a.id))),
			files
		);
		next.attachments = body.attachments === undefined ? [...next.attachments, ...added] : [...kept, ...added];
	}
	if (typeof body.flags === 'number') {
		const editable = MessageFlags.SuppressEmbeds;
		next.flags = ((next.flags ?? 0) & ~editable) | (body.flags & editable);
	}
	if (options.clearFlags) next.flags = (next.flags ?? 0) & ~options.clearFlags;
	next.edited_timestamp = new Date().toISOString();
	return next;
}

function normalizeEmbeds(embeds: APIEmbed[] | null | undefined): APIEmbed[] {
	return (embeds ?? []).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

function buildAttachments(
	state: DiscordState,
	baseUrl: string,
	channelId: string,
	declared: { id: string | number; filename?: string; description?: string }[] | undefined,
	files: readonly UploadedFile[]
): APIAttachment[] {
	return files.map((file, index) => {
		const fieldIndex = /^files\[(\d+)\]$/.exec(file.field)?.[1];
		const declaration = declared?.find((a) => String(a.id) === (fieldIndex ?? String(index)));
		const id = state.nextId();
		const filename = declaration?.filename ?? file.filename;
		const url = `${baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
		state.attachmentFiles.set(id, file);
		const attachment: APIAttachment = {
			id,
			filename,
			size: file.data.length,
			url,
			proxy_url: url,
			content_type: file.contentType
		};
		if (declaration?.description !== undefined) attachment.description = declaration.description;
		return attachment;
	});
}

function resolveMentions(
	state: DiscordState,
	guildId: string | undefined,
	content: string,
	allowed: APIAllowedMentions | undefined
): { users: APIUser[]; roles: string[]; everyone: boolean } {
	const parse = new Set<string>(allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone']);
	const allowedUsers = new Set(allowed?.users ?? []);
	const allowedRoles = new Set(allowed?.roles ?? []);
	const users: APIUser[] = [];
	for (const match of content.matchAll(/<@!?(\d{16,20})>/g)) {
		const id = match[1]!;
		const user = state.users.get(id);
		if (user && (parse.has('users') || allowedUsers.has(id)) && !users.some((u) => u.id === id)) users.push(user);
	}
	const roles: string[] = [];
	if (guildId !== undefined) {
		const guildRoles = state.guilds.get(guildId)?.roles;
		for (const match of content.matchAll(/<@&(\d{16,20})>/g)) {
			const id = match[1]!;
			if (guildRoles?.has(id) && (parse.has('roles') || allowedRoles.has(id)) && !roles.includes(id)) roles.push(id);
		}
	}
	const everyone = parse.has('everyone') && /@(everyone|here)\b/.test(content);
	return { users, roles, everyone };
}
