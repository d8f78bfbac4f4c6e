import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { systemErrorCode } from '../errors/error-fields.js';
import { isPlainObject, type JsonObject } from './object-path.js';
import { fillPlaceholders } from './placeholders.js';

export class ConfigFileError extends Error {
	public constructor(
		public readonly file: string,
		public readonly reason: string
	) {
		super(`${file}: ${reason}`);
		this.name = 'ConfigFileError';
	}
}

/** Reads one JSON config file and fills its `{{ENV}}` placeholders; any problem names the file. */
export async function readConfigFile(file: string, environment: Readonly<Record<string, string | undefined>>): Promise<JsonObject> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new ConfigFileError(file, `cannot be read (${systemErrorCode(error) ?? 'error'})`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new ConfigFileError(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
	}
	if (!isPlainObject(parsed)) throw new ConfigFileError(file, 'must contain a JSON object');
	const { value, missing } = fillPlaceholders(parsed, environment);
	if (missing.length > 0) {
		const names = missing.map(({ path, variable }) => `${path} uses {{${variable}}}`).join(', ');
		throw new ConfigFileError(file, `names environment variables that are not set: ${names}`);
	}
	// Filling keeps the object an object; the check says so to the type system.
	if (!isPlainObject(value)) throw new ConfigFileError(file, 'must contain a JSON object');
	return value;
}

const SNOWFLAKE = /^\d{17,20}$/;

export interface OverrideFiles {
	readonly overrides: Map<string, JsonObject>;
	readonly problems: ConfigFileError[];
}

/** Reads `<directory>/<guildId>.json`; a file that fails is reported and left out, the others still apply. */
export async function readOverrideFiles(directory: string, environment: Readonly<Record<string, string | undefined>>): Promise<OverrideFiles> {
	const overrides = new Map<string, JsonObject>();
	const problems: ConfigFileError[] = [];
	let names: string[];
	try {
		names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
	} catch (error) {
		if (systemErrorCode(error) === 'ENOENT') return { overrides, problems };
		throw error;
	}
	for (const name of names) {
		const file = join(directory, name);
		const guildId = basename(name, '.json');
		if (!SNOWFLAKE.test(guildId)) {
			problems.push(new ConfigFileError(file, 'is not named after a guild id (<guildId>.json)'));
			continue;
		}
		try {
			overrides.set(guildId, await readConfigFile(file, environment));
		} catch (error) {
			if (error instanceof ConfigFileError) problems.push(error);
			else throw error;
		}
	}
	return { overrides, problems };
}
