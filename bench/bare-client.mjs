// The baseline of the interaction benchmark: a bare discord.js client (no Sapphire, no plugins, no
// config, no TypeScript loader) that registers `/about` and answers it with a private embed, as the
// bot does. Plain JavaScript so that it runs on plain Node, like the bot's compiled build.
import process from 'node:process';
import { Client, EmbedBuilder, GatewayIntentBits, MessageFlags } from 'discord.js';

const client = new Client({ intents: [GatewayIntentBits.Guilds], shards: 'auto', rest: { api: process.env.DISCORD_API_URL } });

client.on('interactionCreate', async (interaction) => {
	if (!interaction.isChatInputCommand() || interaction.commandName !== 'about') return;
	const embed = new EmbedBuilder().setTitle('Kaltura for Discord').addFields({ name: 'Version', value: 'bare client' });
	await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral });
});

client.once('clientReady', async (ready) => {
	await ready.application.commands.set([{ name: 'about', description: 'Show the version' }]);
	process.stdout.write('READY\n');
});

process.once('SIGTERM', () => void client.destroy().then(() => process.exit(0)));
await client.login(process.env.DISCORD_TOKEN);
