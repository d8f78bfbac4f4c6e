import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from '@sapphire/framework';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { GUILD_MANAGE_SCOPE } from '../src/core/auth/api-tokens.js';
import type { GuildRightsCheck } from '../src/core/auth/manage-server-check.js';
import { DiscordStandIn } from '../tests/harness/discord/index.js';
import { createTestBot } from '../tests/helpers/test-bot.js';
import { percentile } from './stats.js';

const ROUNDS = Number(process.env.BENCH_GUILD_API_ROUNDS ?? 10);
const REQUESTS_PER_ROUND = Number(process.env.BENCH_GUILD_API_REQUESTS ?? 200);

/** The same route with no rights check at all: what the API cost before tokens died with their rights. */
const NO_CHECK: GuildRightsCheck = { check: () => Promise.resolve({ allowed: true }) };

interface Timings {
	readonly p50: number;
	readonly p99: number;
}

function summarize(samples: number[]): Timings {
	samples.sort((a, b) => a - b);
	return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function time(run: () => Promise<Response>): Promise<number> {
	const start = process.hrtime.bigint();
	const response = await run();
	await response.arrayBuffer();
	const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
	if (response.status !== 200) throw new Error(`Expected 200, got ${response.status}`);
	return elapsed;
}

/**
 * `GET /api/v1/guilds/:guildId/plugins` with the per-request Manage Server re-check against the same
 * route with the check replaced by one that allows everything (injected on the container, as only a
 * benchmark or a test can), in the same bot, alternating in rounds so drift on a shared machine hits
 * both alike. The bot follows members (GuildMembers intent) and holds the admin in its gateway cache.
 * A third series asks for an admin the cache did not hold at first (a large guild, whose GUILD_CREATE
 * carries no members): fetched over REST once, then cached and followed through the gateway.
 */
export async function benchGuildApiRoute(): Promise<Record<string, string>> {
	const discord = await DiscordStandIn.start({ globalRateLimit: false, defaultRouteRateLimit: { limit: 1_000_000, windowMs: 1000 } });
	const guild = discord.addGuild({ name: 'bench-api' });
	const admins = discord.addRole(guild.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
	const adminId = discord.addMember(guild.id, { user: { username: 'admin' }, roles: [admins.id] }).user.id;
	const large = discord.addGuild({ name: 'bench-api-large' });
	const largeAdmins = discord.addRole(large.id, { name: 'Admins', permissions: PermissionFlagsBits.ManageGuild });
	const largeAdminId = discord.addMember(large.id, { user: { username: 'large-admin' }, roles: [largeAdmins.id] }).user.id;
	for (let index = 0; index < 60; index++) discord.addMember(large.id, { user: { username: `member-${index}` } });

	const bot = await createTestBot({
		env: {
			DISCORD_TOKEN: discord.token,
			DISCORD_API_URL: discord.restUrl,
			DISCORD_PRIVILEGED_INTENTS: 'GuildMembers',
			DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-guild-api-')),
			LOG_LEVEL: 'warn'
		}
	});
	try {
		const ready = new Promise((done) => bot.client.once('clientReady', done));
		await bot.start();
		await ready;
		if (!bot.client.guilds.cache.get(guild.id)?.members.cache.has(adminId)) throw new Error('The admin is not in the gateway cache');
		if (bot.client.guilds.cache.get(large.id)?.members.cache.has(largeAdminId)) throw new Error('The large guild’s admin should not be cached');

		const request = (guildId: string, userId: string) => {
			const token = container.apiTokens.issue({ userId, guildId, scope: [GUILD_MANAGE_SCOPE] });
			const url = `${bot.apiUrl()}/guilds/${guildId}/plugins`;
			return () => fetch(url, { headers: { authorization: `Bearer ${token}` } });
		};
		const cached = request(guild.id, adminId);
		const uncached = request(large.id, largeAdminId);
		const realCheck = container.guildRights;
		const memberFetchesBefore = discord.requestsMatching({ method: 'GET', route: '/guilds/:guild_id/members/:user_id' }).length;

		for (let index = 0; index < 200; index++) await time(cached); // warm-up: JIT, caches, connection pool
		const series = { checked: [] as number[], unchecked: [] as number[], rest: [] as number[] };
		const started = Date.now();
		for (let round = 0; round < ROUNDS; round++) {
			container.guildRights = realCheck;
			for (let index = 0; index < REQUESTS_PER_ROUND; index++) series.checked.push(await time(cached));
			for (let index = 0; index < REQUESTS_PER_ROUND; index++) series.rest.push(await time(uncached));
			container.guildRights = NO_CHECK;
			for (let index = 0; index < REQUESTS_PER_ROUND; index++) series.unchecked.push(await time(cached));
		}
		container.guildRights = realCheck;
		const seconds = (Date.now() - started) / 1000;
		const memberFetches = discord.requestsMatching({ method: 'GET', route: '/guilds/:guild_id/members/:user_id' }).length - memberFetchesBefore;

		const checked = summarize(series.checked);
		const unchecked = summarize(series.unchecked);
		const rest = summarize(series.rest);
		const ms = (value: number) => `${value.toFixed(3)} ms`;
		return {
			[`with the re-check, member in the gateway cache: p50 / p99 (${series.checked.length} sequential)`]: `${ms(checked.p50)} / ${ms(checked.p99)}`,
			[`without the re-check: p50 / p99 (${series.unchecked.length})`]: `${ms(unchecked.p50)} / ${ms(unchecked.p99)}`,
			'ratio with / without, p50 · p99': `${(checked.p50 / unchecked.p50).toFixed(3)} · ${(checked.p99 / unchecked.p99).toFixed(3)}`,
			[`with the re-check, member first fetched over REST: p50 / p99 (${series.rest.length})`]: `${ms(rest.p50)} / ${ms(rest.p99)}`,
			'REST member fetches during the run': `${memberFetches} in ${seconds.toFixed(1)} s`
		};
	} finally {
		await bot.stop();
		await discord.stop();
	}
}
