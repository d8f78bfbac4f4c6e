import { ApplicationCommandType, ApplicationIntegrationType } from 'discord-api-types/v10';
import type { APIApplicationCommand } from 'discord-api-types/v10';
import { MAX_COMMANDS_PER_TYPE, validateCommand, validateCommandList } from '../command-validation.js';
import type { RestContext } from '../context.js';
import { DiscordErrors, FormErrors } from '../errors.js';
import type { HarnessRequest, RouteDefinition } from '../http.js';
import { requireBotGuild, type CommandScope } from '../state.js';

type Body = Record<string, unknown>;

/** Global and guild application commands: list, get, create (upsert), bulk overwrite, edit, delete. */
export function commandRoutes(ctx: RestContext): RouteDefinition[] {
	const scopeOf = (request: HarnessRequest): CommandScope => {
		if (request.params.application_id !== ctx.state.applicationId) throw DiscordErrors.missingAccess();
		const guildId = request.params.guild_id;
		if (guildId === undefined) return {};
		requireBotGuild(ctx.state, guildId);
		return { guildId };
	};

	const list = (request: HarnessRequest) => {
		const commands = ctx.state.commandMap(scopeOf(request));
		return { status: 200, body: [...commands.values()] };
	};

	const get = (request: HarnessRequest) => {
		const command = ctx.state.commandMap(scopeOf(request)).get(request.params.command_id ?? '');
		if (!command) throw DiscordErrors.unknownApplicationCommand();
		return { status: 200, body: command };
	};

	const create = (request: HarnessRequest) => {
		const scope = scopeOf(request);
		const errors = new FormErrors();
		validateCommand(request.body, [], errors);
		errors.throwIfAny();
		const body = request.body as Body;
		const commands = ctx.state.commandMap(scope);
		const type = typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput;
		const existing = [...commands.values()].find((c) => c.name === body.name && c.type === type);
		if (!existing) {
			const sameType = [...commands.values()].filter((c) => c.type === type).length;
			const max = MAX_COMMANDS_PER_TYPE[type] ?? 100;
			if (sameType >= max) throw DiscordErrors.maxApplicationCommands(max);
		}
		// Creating a command with an existing name (and type) overwrites it: 200 instead of 201.
		const command = toCommand(ctx, body, scope, existing);
		commands.set(command.id, command);
		ctx.state.changed();
		return { status: existing ? 200 : 201, body: command };
	};

	const bulkOverwrite = (request: HarnessRequest) => {
		const scope = scopeOf(request);
		const errors = new FormErrors();
		validateCommandList(request.body, errors);
		errors.throwIfAny();
		const commands = ctx.state.commandMap(scope);
		const previous = [...commands.values()];
		const next = (request.body as Body[]).map((body) => {
			const type = typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput;
			const existing =
				(typeof body.id === 'string' ? commands.get(body.id) : undefined) ?? previous.find((c) => c.name === body.name && c.type === type);
			return toCommand(ctx, body, scope, existing);
		});
		commands.clear();
		for (const command of next) commands.set(command.id, command);
		ctx.state.changed();
		return { status: 200, body: next };
	};

	const edit = (request: HarnessRequest) => {
		const scope = scopeOf(request);
		const commands = ctx.state.commandMap(scope);
		const existing = commands.get(request.params.command_id ?? '');
		if (!existing) throw DiscordErrors.unknownApplicationCommand();
		const patch = (request.body ?? {}) as Body;
		const merged: Body = { ...withoutServerFields(existing), ...patch, type: existing.type };
		const errors = new FormErrors();
		validateCommand(merged, [], errors);
		errors.throwIfAny();
		const duplicate = [...commands.values()].find((c) => c.id !== existing.id && c.name === merged.name && c.type === existing.type);
		if (duplicate) {
			const duplicateErrors = new FormErrors();
			duplicateErrors.add(['name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
			duplicateErrors.throwIfAny();
		}
		const command = toCommand(ctx, merged, scope, existing);
		commands.set(command.id, command);
		ctx.state.changed();
		return { status: 200, body: command };
	};

	const remove = (request: HarnessRequest) => {
		const commands = ctx.state.commandMap(scopeOf(request));
		if (!commands.delete(request.params.command_id ?? '')) throw DiscordErrors.unknownApplicationCommand();
		ctx.state.changed();
		return { status: 204 };
	};

	const routes: RouteDefinition[] = [];
	for (const base of ['/applications/:application_id/commands', '/applications/:application_id/guilds/:guild_id/commands']) {
		routes.push(
			{ method: 'GET', route: base, auth: true, handler: list },
			{ method: 'POST', route: base, auth: true, handler: create },
			{ method: 'PUT', route: base, auth: true, handler: bulkOverwrite },
			{ method: 'GET', route: `${base}/:command_id`, auth: true, handler: get },
			{ method: 'PATCH', route: `${base}/:command_id`, auth: true, handler: edit },
			{ method: 'DELETE', route: `${base}/:command_id`, auth: true, handler: remove }
		);
	}
	return routes;
}

function withoutServerFields(command: APIApplicationCommand): Body {
	const { id: _id, application_id: _app, version: _version, guild_id: _guild, ...rest } = command;
	return rest as Body;
}

/** The stored command: what was sent, with Discord's server-side fields and defaults. */
function toCommand(ctx: RestContext, body: Body, scope: CommandScope, existing: APIApplicationCommand | undefined): APIApplicationCommand {
	const type = (typeof body.type === 'number' ? body.type : ApplicationCommandType.ChatInput) as ApplicationCommandType;
	const command: APIApplicationCommand = {
		id: existing?.id ?? ctx.state.nextId(),
		application_id: ctx.state.applicationId,
		version: existing?.version ?? ctx.state.nextId(),
		type,
		name: body.name as string,
		name_localizations: (body.name_localizations as APIApplicationCommand['name_localizations']) ?? null,
		description: typeof body.description === 'string' ? body.description : '',
		description_localizations: (body.description_localizations as APIApplicationCommand['description_localizations']) ?? null,
		default_member_permissions: (body.default_member_permissions as string | null | undefined) ?? null,
		nsfw: body.nsfw === true,
		integration_types: (body.integration_types as ApplicationIntegrationType[] | undefined) ?? [ApplicationIntegrationType.GuildInstall],
		contexts: (body.contexts as APIApplicationCommand['contexts']) ?? null
	};
	if (Array.isArray(body.options) && body.options.length > 0) command.options = body.options as APIApplicationCommand['options'];
	if (scope.guildId !== undefined) command.guild_id = scope.guildId;
	else command.dm_permission = body.dm_permission !== false;
	if (existing && JSON.stringify(withoutServerFields(existing)) !== JSON.stringify(withoutServerFields(command))) {
		command.version = ctx.state.nextId();
	}
	return command;
}
