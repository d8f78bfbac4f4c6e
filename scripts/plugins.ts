/**
 * `npm run plugins -- list | load <name> | unload <name> | reload <name>`
 *
 * Switches a plugin in a running bot, for the whole process, through its operator API
 * (`/api/v1/operator/plugins`): no restart, and the application commands are sent to Discord only when
 * their set changed. Reads OPERATOR_API_TOKEN (and API_HOST / API_PORT) from the environment or `.env`,
 * as `npm start` does; BOT_API_URL names another bot's API (such as `http://bot.internal:4000/api/v1`).
 * Exit code 0 on success, 1 when the bot refused or could not be reached, 2 for a usage error.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

const USAGE = 'Usage: npm run plugins -- list | load <name> | unload <name> | reload <name>';
const ACTIONS = ['load', 'unload', 'reload'] as const;

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const switchBody = z.object({ name: z.string(), action: z.string(), version: z.string(), commands: z.string() });
const listBody = z.object({
	loaded: z.array(z.object({ name: z.string(), version: z.string(), package: z.string().optional(), running: z.boolean() })),
	notLoaded: z.array(z.object({ name: z.string(), kind: z.string(), reason: z.string() }))
});

const COMMAND_WORDS: Readonly<Record<string, string>> = {
	unchanged: 'application commands unchanged, nothing sent to Discord',
	registered: 'application commands registered with Discord again',
	'not-connected': 'the bot is not connected to Discord yet; commands are registered when it is',
	failed: 'registering the application commands failed (see the bot log); the previous registration stays'
};

function apiBase(environment: NodeJS.ProcessEnv): string {
	const explicit = environment.BOT_API_URL;
	if (explicit !== undefined && explicit !== '') return explicit.replace(/\/+$/, '');
	const host = environment.API_HOST || '127.0.0.1';
	return `http://${host.includes(':') ? `[${host}]` : host}:${environment.API_PORT || '4000'}/api/v1`;
}

async function main(argv: readonly string[], environment: NodeJS.ProcessEnv): Promise<number> {
	const [action, name, ...rest] = argv;
	const isSwitch = ACTIONS.some((known) => known === action);
	if (rest.length > 0 || (action === 'list' ? name !== undefined : !isSwitch || name === undefined)) {
		process.stderr.write(`${USAGE}\n`);
		return 2;
	}
	const token = environment.OPERATOR_API_TOKEN;
	if (token === undefined || token === '') {
		process.stderr.write('OPERATOR_API_TOKEN is not set: set it (in .env too) to the value the bot runs with.\n');
		return 2;
	}

	const url =
		action === 'list'
			? `${apiBase(environment)}/operator/plugins`
			: `${apiBase(environment)}/operator/plugins/${encodeURIComponent(name ?? '')}/${action}`;
	let response: Response;
	try {
		response = await fetch(url, { method: action === 'list' ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}` } });
	} catch (error) {
		process.stderr.write(
			`The bot's API at ${apiBase(environment)} could not be reached: ${error instanceof Error ? error.message : String(error)}\n`
		);
		return 1;
	}
	const body: unknown = await response.json().catch(() => undefined);
	if (!response.ok) {
		const parsed = errorBody.safeParse(body);
		const detail = parsed.success ? parsed.data.error.message : `HTTP ${response.status}`;
		process.stderr.write(`${detail}\n`);
		// A bot without OPERATOR_API_TOKEN answers its operator routes as paths that do not exist.
		if (response.status === 404 && parsed.success && parsed.data.error.message === 'No API route matches this path.') {
			process.stderr.write('The bot answers no operator routes: is OPERATOR_API_TOKEN set where the bot runs?\n');
		}
		return 1;
	}
	if (action === 'list') {
		const { loaded, notLoaded } = listBody.parse(body);
		for (const plugin of loaded) {
			process.stdout.write(
				`${plugin.name} v${plugin.version}${plugin.package ? ` (${plugin.package})` : ''}: loaded${plugin.running ? ', running' : ''}\n`
			);
		}
		for (const plugin of notLoaded) process.stdout.write(`${plugin.name}: not loaded (${plugin.reason})\n`);
		return 0;
	}
	const outcome = switchBody.parse(body);
	process.stdout.write(`${outcome.name} v${outcome.version}: ${outcome.action} done; ${COMMAND_WORDS[outcome.commands] ?? outcome.commands}.\n`);
	return 0;
}

if (existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await main(process.argv.slice(2), process.env);
