/**
 * `npm run kaltura:webhooks -- --url https://bot.example/api/v1/webhooks/kaltura [--hash sha256] [--dry-run]`
 * `npm run kaltura:webhooks -- --admin-templates`
 *
 * Clones the partner's Kaltura HTTP notification templates from partner 0 and points them at the bot (see
 * set-up-webhooks.ts), with the bot's own environment (`.env` is read like `npm start` does). Exit code 0 when done, 1 on
 * any problem, with one message saying what.
 *
 * `--admin-templates` needs no environment: it prints, one per line, the `eventNotificationTemplate.add` request bodies
 * with which Kaltura's administrator adds the bot's own templates to partner 0 from an Admin Console (partner -2)
 * session; no partner may add them itself.
 *
 * The templates are signed with the hash the bot accepts, KALTURA_WEBHOOK_HASH. `--hash` stays for scripts that
 * pass it, but only as a check: a different value is refused, since templates signing with another hash would have
 * every notification refused by the bot (and retried by Kaltura).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { kalturaFacadeFromEnvironment, parseEnvironment } from '#sdk';
import notifications from '../plugin.js';
import {
	adminConsoleDefinition,
	checkWebhookUrl,
	formatSummary,
	HASH_ALGORITHMS,
	SetUpError,
	setUpKalturaWebhooks,
	WEBHOOK_TEMPLATES,
	type HashAlgorithm,
	type OwnTemplate
} from './set-up-webhooks.js';

const USAGE = [
	'Usage: npm run kaltura:webhooks -- --url https://<bot>/api/v1/webhooks/kaltura [--hash sha1|sha256|sha512 (must be KALTURA_WEBHOOK_HASH, its default)] [--dry-run]',
	'       npm run kaltura:webhooks -- --admin-templates   (the add requests for Kaltura’s administrator, partner -2)'
].join('\n');

/** One JSON request body per line, for `POST /api_v3/service/eventnotification_eventnotificationtemplate/action/add` with an Admin Console KS added. */
function adminTemplateRequests(): string {
	return WEBHOOK_TEMPLATES.filter((spec): spec is OwnTemplate => spec.source === 'own')
		.map((spec) => JSON.stringify({ format: 1, eventNotificationTemplate: adminConsoleDefinition(spec) }))
		.join('\n');
}

/** What went wrong, in the words of the error thrown (parseArgs, the URL check and the environment throw Errors). */
function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function isHashAlgorithm(value: string): value is HashAlgorithm {
	return Object.hasOwn(HASH_ALGORITHMS, value);
}

async function main(argv: readonly string[]): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({
			args: [...argv],
			options: {
				url: { type: 'string' },
				hash: { type: 'string' },
				'dry-run': { type: 'boolean', default: false },
				'admin-templates': { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h' }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (error) {
		process.stderr.write(`${messageOf(error)}\n${USAGE}\n`);
		return 1;
	}
	if (values.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	if (values['admin-templates']) {
		process.stdout.write(`${adminTemplateRequests()}\n`);
		return 0;
	}
	if (values.url === undefined) {
		process.stderr.write(`--url is required.\n${USAGE}\n`);
		return 1;
	}
	try {
		checkWebhookUrl(values.url);
	} catch (error) {
		process.stderr.write(`${messageOf(error)}\n`);
		return 1;
	}
	const requestedHash = values.hash?.toLowerCase();
	if (requestedHash !== undefined && !isHashAlgorithm(requestedHash)) {
		process.stderr.write(`--hash must be sha1, sha256 or sha512; got “${values.hash}”.\n`);
		return 1;
	}

	if (existsSync('.env')) process.loadEnvFile('.env');
	let env;
	let hash: HashAlgorithm;
	try {
		env = parseEnvironment();
		hash = notifications.parseEnvironment().KALTURA_WEBHOOK_HASH;
	} catch (error) {
		process.stderr.write(`The bot's environment is not usable:\n${messageOf(error)}\n`);
		return 1;
	}
	if (requestedHash !== undefined && requestedHash !== hash) {
		process.stderr.write(
			`--hash ${requestedHash} differs from the bot's KALTURA_WEBHOOK_HASH (${hash}): the bot would refuse every notification signed so. Drop --hash, or set KALTURA_WEBHOOK_HASH=${requestedHash} for the bot too.\n`
		);
		return 1;
	}
	if (env.KALTURA_ADMIN_SECRET === undefined) {
		process.stderr.write(
			'Warning: KALTURA_ADMIN_SECRET is not set, so the bot cannot check the signatures and answers every notification 503 until it is.\n'
		);
	}
	const facade = kalturaFacadeFromEnvironment(env);
	try {
		const summary = await setUpKalturaWebhooks(facade, { url: values.url, hash, dryRun: values['dry-run'] });
		process.stdout.write(`${formatSummary(summary)}\n`);
		return 0;
	} catch (error) {
		const message = error instanceof SetUpError ? error.message : `Kaltura refused the set-up: ${messageOf(error)}`;
		process.stderr.write(`${message}\n`);
		return 1;
	}
}

process.exitCode = await main(process.argv.slice(2));
