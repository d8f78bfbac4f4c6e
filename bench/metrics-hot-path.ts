import { EventEmitter } from 'node:events';
import { container, Events as SapphireEvents } from '@sapphire/framework';
import { Events, type BaseInteraction, type Client } from 'discord.js';
import { BotMetrics } from '../src/core/metrics/bot-metrics.js';
import { recordDiscordMetrics } from '../src/core/metrics/discord-metrics.js';
import { defineCounter, metricDefinitions } from '../src/core/metrics/instruments.js';
import { recordInteractionMetrics } from '../src/core/metrics/interaction-metrics.js';
import { measuredKalturaCall } from '../src/core/metrics/kaltura-metrics.js';
import { nanosPerCall, nanosPerCallSync } from './stats.js';

const ROUNDS = 15;
const ITERATIONS = 5_000;

/**
 * What a chat input command looks like to the metrics listeners: only what they read (its kind, name and options). The
 * listeners see it as discord.js hands it to them; a real one would need a client, a guild and a gateway payload.
 */
function chatInputInteraction(): BaseInteraction {
	const fake = {
		commandName: 'about',
		isChatInputCommand: () => true,
		isContextMenuCommand: () => false,
		isAutocomplete: () => false,
		isButton: () => false,
		isAnySelectMenu: () => false,
		isModalSubmit: () => false,
		options: { getSubcommandGroup: () => null, getSubcommand: () => null }
	};
	return fake as unknown as BaseInteraction;
}

/** The parts of a discord.js client the recorders listen on. */
function listenedClient(): { client: Client; rest: EventEmitter; gateway: EventEmitter } {
	const rest = new EventEmitter();
	const gateway = new EventEmitter();
	const client = Object.assign(gateway, { rest, ws: { shards: new Map() }, guilds: { cache: new Map() } });
	return { client: client as unknown as Client, rest, gateway };
}

/**
 * The recording hot path timed in this process, one bot registry recording: what each interaction, Discord REST answer,
 * webhook and Kaltura call costs the thread that handles it. No network and no other process, so unlike the A/B pairs these
 * figures hardly move from run to run; they say what the instruments cost, the pairs say whether anyone could notice.
 */
export async function metricsHotPathNanos(): Promise<Record<'interaction' | 'restResponse' | 'webhook' | 'kalturaCall', number>> {
	const previous: unknown = Reflect.get(container, 'metrics');
	const metrics = new BotMetrics(metricDefinitions);
	container.metrics = metrics;
	try {
		const { client, rest, gateway } = listenedClient();
		recordDiscordMetrics(client);
		recordInteractionMetrics(client);
		// The notifications plugin's counter, as its route records each webhook.
		const webhooks = defineCounter({
			name: 'webhooks_total',
			help: 'Kaltura notifications received, by event type ("unknown" when unreadable) and outcome (stored, duplicate, stale, unprocessable, refused)',
			labelNames: ['type', 'outcome']
		});
		const request = { method: 'POST', route: '/interactions/1234567890123456789/:token/callback' };
		const response = { status: 204, headers: new Headers() };
		const answered = Promise.resolve('answer');
		// A few interactions used in turn: a fresh one per call would time the allocator and the collector, not the recording.
		const pool = Array.from({ length: 64 }, chatInputInteraction);
		let next = 0;
		const interaction = () => {
			const created = pool[next++ % pool.length];
			gateway.emit(Events.InteractionCreate, created);
			gateway.emit(SapphireEvents.ChatInputCommandSuccess, { interaction: created });
		};
		const rounds = { on: { interaction: [] as number[], restResponse: [] as number[], webhook: [] as number[], kalturaCall: [] as number[] } };
		const off = { interaction: [] as number[], restResponse: [] as number[], webhook: [] as number[], kalturaCall: [] as number[] };
		// On and off alternate round by round; each figure is the best round (the one the machine disturbed least), on minus off:
		// what recording adds to the listeners and the instruments' check that a bot without the plugin runs too.
		for (let round = 0; round < ROUNDS; round++) {
			for (const recording of [true, false]) {
				if (recording) metrics.enable();
				else metrics.disable();
				const into = recording ? rounds.on : off;
				into.interaction.push(nanosPerCallSync(interaction, ITERATIONS, 1));
				into.restResponse.push(nanosPerCallSync(() => rest.emit('response', request, response), ITERATIONS, 1));
				into.webhook.push(nanosPerCallSync(() => webhooks.inc({ type: 'entry_added', outcome: 'stored' }), ITERATIONS, 1));
				into.kalturaCall.push(await nanosPerCall(() => measuredKalturaCall('media.get', () => answered), ITERATIONS, 1));
			}
		}
		const added = (name: keyof typeof off) => Math.max(0, Math.min(...rounds.on[name]) - Math.min(...off[name]));
		return {
			interaction: added('interaction'),
			restResponse: added('restResponse'),
			webhook: added('webhook'),
			kalturaCall: added('kalturaCall')
		};
	} finally {
		metrics.disable();
		Reflect.set(container, 'metrics', previous);
	}
}
