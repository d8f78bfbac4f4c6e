import { Precondition } from '@sapphire/framework';
import type { ChatInputCommandInteraction, ContextMenuCommandInteraction } from 'discord.js';
import { GUILD_NOT_ALLOWED_MESSAGE, isGuildAllowed, operatorPolicy } from '../core/policy/operator-policy.js';

/**
 * Global precondition: in a server outside the operator's ALLOWED_GUILD_IDS no command runs, the
 * core's included, so a server that adds the bot uninvited cannot create anything on the partner's
 * Kaltura account. Before the plugin switch: the answer is the same whatever is enabled there.
 */
export class GuildAllowedPrecondition extends Precondition {
	public constructor(context: Precondition.LoaderContext) {
		// After Sapphire's own `Enabled` (10), before `plugin-enabled` (20).
		super(context, { position: 15 });
	}

	public override chatInputRun(interaction: ChatInputCommandInteraction) {
		return this.check(interaction.guildId);
	}

	public override contextMenuRun(interaction: ContextMenuCommandInteraction) {
		return this.check(interaction.guildId);
	}

	private check(guildId: string | null) {
		if (guildId === null || isGuildAllowed(operatorPolicy(), guildId)) return this.ok();
		return this.error({ identifier: 'guildNotAllowed', message: GUILD_NOT_ALLOWED_MESSAGE, context: { guildId } });
	}
}
