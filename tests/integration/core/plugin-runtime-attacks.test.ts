import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { DiscordStandIn } from '../../harness/discord/index.js';
import { createTestBot, startTestBot, type TestBot } from '../../helpers/test-bot.js';

const OPERATOR_TOKEN = 'operator-secret-for-the-runtime-attack-tests';

interface ErrorBody {
	error: { code: string; message: string };
}

/** Writes files (path relative to `root` -> text), creating their folders. */
function writeTree(root: string, files: Readonly<Record<string, string>>): void {
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
}

/** A manifest as a bare object: the core accepts one and gives it a handle (no import of the bot needed). */
const manifest = (fields: string) => `export default { version: '1.0.0', description: 'Runtime attack fixture', core: '^1.0.0', ${fields} };\n`;

/** What the attack-slow package's hooks did, in order (its plugin.js pushes to it through globalThis). */
const slowEvents: string[] = [];

const packageJson = (name: string) => `${JSON.stringify({ name, version: '1.0.0', type: 'module' })}\n`;

/**
 * A package's listener; its constructor throws once `BROKEN` is written into it, so its module imports fine
 * and only Sapphire's construction of the piece fails.
 */
const LISTENER = `import { Listener } from '@sapphire/framework';
export class AttackBaseListener extends Listener {
	constructor(context) {
		super(context, { event: 'attackBaseNeverEmitted' });
		if (globalThis.attackBaseBroken) throw new Error('every version is broken now');
		// BROKEN
	}
	run() {}
}
`;

/**
 * Attacks on the operator's runtime switch that its own suite does not try: names that are paths, names that must
 * be encoded in a URL, methods the routes do not answer, and a reload whose new pieces fail while Sapphire builds them.
 */
describe('Plugin runtime switch under attack', function () {
	this.timeout(60_000);

	let discord: DiscordStandIn;
	let bot: TestBot;
	let packages: string;
	let outside: string;
	let guildId: string;

	before(async () => {
		// <tmp>/escape holds a plugin named "escape"; <tmp>/escape/root is the bot's plugin root, so "escape" lies outside it.
		outside = join(mkdtempSync(join(tmpdir(), 'kaltura-discord-attack-')), 'escape');
		writeTree(outside, {
			'plugin.ts': manifest("name: 'escape', enabledByDefault: false"),
			'root/.gitkeep': '',
			'config/default_config.json': '{ "plugins": {} }\n'
		});
		packages = mkdtempSync(join(tmpdir(), 'kaltura-discord-attack-packages-'));
		writeTree(join(packages, 'node_modules'), {
			'@attack/scoped/package.json': packageJson('@attack/scoped'),
			'@attack/scoped/plugin.js': manifest("name: 'scoped', enabledByDefault: true"),
			'attack-base/package.json': packageJson('attack-base'),
			'attack-base/plugin.js': manifest("name: 'attack-base', enabledByDefault: true, start() { return {}; }"),
			'attack-base/listeners/base.js': LISTENER,
			'attack-slow/package.json': packageJson('attack-slow'),
			'attack-slow/plugin.js': manifest(
				"name: 'attack-slow', enabledByDefault: true, async start() { await globalThis.attackSlowGate; globalThis.attackSlowEvents.push('start'); return {}; }, stop() { globalThis.attackSlowEvents.push('stop'); }"
			),
			// A plugin that brought its own copy of a Sapphire package: here one whose container is not the bot's.
			'attack-container/package.json': packageJson('attack-container'),
			'attack-container/node_modules/@sapphire/pieces/package.json': `${JSON.stringify({ name: '@sapphire/pieces', version: '4.0.0', type: 'module', exports: './index.js' })}\n`,
			'attack-container/node_modules/@sapphire/pieces/index.js': 'export const container = { copy: "the plugin’s own" };\n',
			'attack-container/plugin.js': `import { container } from '@sapphire/pieces';\nglobalThis.attackContainer = container;\n${manifest("name: 'attack-container', enabledByDefault: true")}`,
			'attack-fan/package.json': packageJson('attack-fan'),
			'attack-fan/plugin.js': manifest(
				"name: 'attack-fan', enabledByDefault: true, requires: { 'attack-base': '^1.0.0' }, start() { return {}; }"
			)
		});
		Reflect.set(globalThis, 'attackSlowEvents', slowEvents);
		discord = await DiscordStandIn.start();
		guildId = discord.addGuild({ name: 'Attacks' }).id;
		bot = await startTestBot({
			env: {
				DISCORD_TOKEN: discord.token,
				DISCORD_API_URL: discord.restUrl,
				PLUGIN_PACKAGES: 'attack-slow,@attack/scoped,attack-base,attack-fan,attack-container,attack-collide',
				PLUGIN_PACKAGES_DIR: packages,
				OPERATOR_API_TOKEN: OPERATOR_TOKEN
			},
			pluginRoots: [join(outside, 'root')],
			configDirectory: join(outside, 'config')
		});
	});

	after(async () => {
		await bot?.stop();
		await discord?.stop();
	});

	const operator = (path: string, method = 'POST') =>
		fetch(`${bot.apiUrl()}/operator/plugins${path}`, { method, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });

	/** A POST with its path sent as written: fetch (WHATWG URL) would resolve `..` and `.` before sending. */
	const rawPost = (path: string) =>
		new Promise<{ status: number; body: ErrorBody }>((done, fail) => {
			const { hostname, port, pathname } = new URL(`${bot.apiUrl()}/operator/plugins`);
			const outgoing = request(
				{ hostname, port, method: 'POST', path: `${pathname}${path}`, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } },
				(incoming) => {
					let text = '';
					incoming.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
					incoming.on('end', () => done({ status: incoming.statusCode ?? 0, body: JSON.parse(text) as ErrorBody }));
				}
			);
			outgoing.on('error', fail);
			outgoing.end();
		});

	it('GIVEN a package that installed its own copy of a Sapphire package THEN it gets the bot’s (one container, one Piece class)', () => {
		expect(bot.plugins.has('attack-container')).to.equal(true);
		expect(Reflect.get(globalThis, 'attackContainer')).to.equal(container);
	});

	it('GIVEN a plugin name that is a path (.., ., encoded slashes) THEN nothing outside the plugin roots is loaded or recorded', async () => {
		for (const name of ['..', '.', '..%2Fescape', '%2E%2E', 'escape%2F..%2F..%2Fescape']) {
			const { status, body } = await rawPost(`/${name}/load`);
			expect(status, name).to.equal(404);
			expect(body.error.code, name).to.equal('unknown_plugin');
		}
		expect(bot.plugins.has('escape')).to.equal(false);
		// No refusal is filed under a name that is no plugin: admins' /plugins lists would show it.
		expect(bot.plugins.refusals().map((refusal) => refusal.name)).to.not.include.members(['..', '.']);
	});

	it('GIVEN a plugin the operator unloaded THEN a merge patch cannot switch it on either (as `set` cannot)', async () => {
		expect((await operator('/scoped/unload')).status).to.equal(200);
		const refusal = await bot.guildConfig.patch(guildId, { plugins: { scoped: { enabled: false } } }).then(
			() => undefined,
			(error: unknown) => error
		);
		expect(refusal, 'the patch was refused').to.be.instanceOf(Error).with.property('message').that.includes('whoever runs the bot unloaded it');
		expect((await bot.guildConfig.runtimeOverride(guildId)).plugins).to.equal(undefined);
	});

	it('GIVEN a scoped package name as `npm run plugins` sends it (encodeURIComponent) THEN it is found', async () => {
		const response = await operator(`/${encodeURIComponent('@attack/scoped')}/load`);
		expect(response.status).to.equal(200);
		expect(((await response.json()) as { name: string }).name).to.equal('@attack/scoped');
		expect(bot.plugins.has('scoped')).to.equal(true);
	});

	it('GIVEN unloads while plugins are still starting (a start on ready) THEN services are stopped once their start ends, and the rest start', async () => {
		await bot.pluginLifecycle.stop('attack-slow');
		let open: () => void = () => undefined;
		Reflect.set(globalThis, 'attackSlowGate', new Promise<void>((done) => (open = done)));
		// What the bot does on every ready (a reconnect included): not part of the operator's queue of switches.
		const starting = bot.pluginLifecycle.startAll();
		// A plugin after it in the order goes while the start waits: the start of the others must go on without it.
		const order = bot.plugins.list().map(({ manifest }) => manifest.name);
		expect(order.indexOf('attack-slow'), order.join(', ')).to.be.lessThan(order.indexOf('scoped'));
		expect((await operator('/scoped/unload')).status).to.equal(200);
		const unloading = operator('/attack-slow/unload');
		// Long enough for the unload to reach the plugin while its start hook still waits.
		await new Promise((done) => setTimeout(done, 300));
		open();
		expect((await unloading).status).to.equal(200);
		await starting;
		expect(bot.plugins.has('attack-slow')).to.equal(false);
		expect(slowEvents).to.deep.equal(['start', 'stop', 'start', 'stop']);
	});

	it('GIVEN a package installed later whose piece names are another plugin’s THEN loading it is refused and the other keeps its pieces', async () => {
		// Plugin "attack" with listeners/base-base.js names its piece attack-base-base, as plugin "attack-base" names listeners/base.js.
		writeTree(join(packages, 'node_modules', 'attack-collide'), {
			'package.json': packageJson('attack-collide'),
			'plugin.js': manifest("name: 'attack', enabledByDefault: true"),
			'listeners/base-base.js': LISTENER.replace('AttackBaseListener', 'AttackListener')
		});
		const response = await operator('/attack-collide/load');
		expect(response.status).to.equal(422);
		expect(((await response.json()) as ErrorBody).error.message).to.include('attack-base-base');
		expect(bot.plugins.has('attack')).to.equal(false);
		expect(bot.plugins.ownerOf('listeners', 'attack-base-base')).to.equal('attack-base');
		expect(bot.client.stores.get('listeners').get('attack-base-base')?.constructor.name).to.equal('AttackBaseListener');
	});

	it('GIVEN a package installed after start-up was looked for THEN the packages loaded before still get the bot’s modules', async () => {
		Reflect.deleteProperty(globalThis, 'attackContainer');
		expect((await operator('/attack-container/reload')).status).to.equal(200);
		expect(Reflect.get(globalThis, 'attackContainer')).to.equal(container);
	});

	it('GIVEN a reload whose new piece throws while Sapphire builds it THEN the running version stays, and so do the plugins requiring it', async () => {
		expect(bot.pluginLifecycle.isRunning('attack-fan')).to.equal(true);
		const listenerFile = join(packages, 'node_modules', 'attack-base', 'listeners', 'base.js');
		writeFileSync(listenerFile, readFileSync(listenerFile, 'utf8').replace('// BROKEN', 'throw new Error("constructor broken on purpose");'));
		const response = await operator('/attack-base/reload');
		expect(response.status).to.equal(422);
		expect(((await response.json()) as ErrorBody).error.message).to.include('constructor broken on purpose');
		// Never a plugin loaded without the plugin it requires: either both run, or neither is loaded.
		expect(bot.plugins.has('attack-base'), 'attack-base loaded').to.equal(true);
		expect(bot.plugins.has('attack-fan'), 'attack-fan loaded').to.equal(true);
		expect(bot.pluginLifecycle.isRunning('attack-base'), 'attack-base running').to.equal(true);
		expect(bot.pluginLifecycle.isRunning('attack-fan'), 'attack-fan running').to.equal(true);
		expect(bot.client.stores.get('listeners').has('attack-base-base')).to.equal(true);
		expect(bot.plugins.refusals().map((refusal) => refusal.name)).to.not.include('attack-base');
	});

	it('GIVEN a reload where neither the new nor the running version can be built THEN the plugins requiring it are unloaded too, saying why', async () => {
		Reflect.set(globalThis, 'attackBaseBroken', true);
		try {
			const response = await operator('/attack-base/reload');
			expect(response.status).to.equal(422);
			expect(((await response.json()) as ErrorBody).error.message).to.include('could not be put back');
		} finally {
			Reflect.deleteProperty(globalThis, 'attackBaseBroken');
		}
		expect(bot.plugins.has('attack-base')).to.equal(false);
		expect(bot.plugins.has('attack-fan')).to.equal(false);
		expect(bot.pluginLifecycle.isRunning('attack-fan')).to.equal(false);
		expect(bot.plugins.refusals().find((refusal) => refusal.name === 'attack-fan')).to.include({
			kind: 'requirement',
			requirement: 'attack-base'
		});
		expect(bot.client.stores.get('listeners').has('attack-base-base')).to.equal(false);
	});
});

describe('Plugin runtime switch without OPERATOR_API_TOKEN, asked with other methods', () => {
	let bot: TestBot;

	before(async () => {
		bot = await createTestBot();
		await bot.prepare();
	});

	after(async () => {
		await bot?.stop();
	});

	it('GIVEN a method the operator routes do not answer, or a CORS preflight THEN the answer is that of a path that does not exist', async () => {
		const answer = async (path: string, method: string) => {
			const response = await fetch(`${bot.apiUrl()}${path}`, { method });
			return { status: response.status, body: await response.text(), allow: response.headers.get('access-control-allow-methods') };
		};
		for (const method of ['DELETE', 'OPTIONS', 'PUT']) {
			const expected = await answer('/nope', method);
			for (const path of ['/operator/plugins', '/operator/plugins/greeter/unload'])
				expect(await answer(path, method), `${method} ${path}`).to.deep.equal(expected);
		}
	});
});
