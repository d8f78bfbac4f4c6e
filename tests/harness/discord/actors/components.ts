import { ComponentType, InteractionType } from 'discord-api-types/v10';
import type { APIInteractionDataResolved, APIMessage, APIMessageComponentInteraction } from 'discord-api-types/v10';
import type { InteractionHandle } from '../interactions.js';
import { CommandActors } from './commands.js';
import type { PressButtonInput, ResolvedActor, SelectMenuInput } from './inputs.js';

/** Message components: buttons and select menus. */
export class ComponentActors extends CommandActors {
	// ------------------------------------------------------------------------- components

	public pressButton(input: PressButtonInput): InteractionHandle {
		const { message, component, actor } = this.componentTarget(input);
		if (component.type !== ComponentType.Button) {
			throw new Error(`Discord stand-in: "${input.customId}" is a component of type ${String(component.type)}, not a button; use selectMenu()`);
		}
		const data = { custom_id: input.customId, component_type: ComponentType.Button } as APIMessageComponentInteraction['data'];
		const payload = { ...this.base(InteractionType.MessageComponent, actor), data, message } as APIMessageComponentInteraction;
		return this.dispatch(payload, actor, message.id);
	}

	public selectMenu(input: SelectMenuInput): InteractionHandle {
		const { message, component, actor } = this.componentTarget(input);
		const type = component.type as number;
		const selectTypes = [
			ComponentType.StringSelect,
			ComponentType.UserSelect,
			ComponentType.RoleSelect,
			ComponentType.MentionableSelect,
			ComponentType.ChannelSelect
		] as number[];
		if (!selectTypes.includes(type)) {
			throw new Error(`Discord stand-in: "${input.customId}" is a component of type ${type}, not a select menu`);
		}
		const min = typeof component.min_values === 'number' ? component.min_values : 1;
		const max = typeof component.max_values === 'number' ? component.max_values : 1;
		if (input.values.length < min || input.values.length > max) {
			throw new Error(`Discord stand-in: select "${input.customId}" takes ${min}..${max} values, got ${input.values.length}`);
		}
		if (type === ComponentType.StringSelect && Array.isArray(component.options)) {
			const allowed = (component.options as { value: string }[]).map((o) => o.value);
			const wrong = input.values.filter((v) => !allowed.includes(v));
			if (wrong.length > 0) throw new Error(`Discord stand-in: select "${input.customId}" has no option(s) ${wrong.join(', ')}`);
		}
		const resolved: APIInteractionDataResolved = {};
		if (type !== ComponentType.StringSelect) {
			for (const value of input.values) this.resolveMentionable(value, type, actor, resolved);
		}
		const data = {
			custom_id: input.customId,
			component_type: type,
			values: input.values,
			...(Object.keys(resolved).length > 0 ? { resolved } : {})
		} as unknown as APIMessageComponentInteraction['data'];
		const payload = { ...this.base(InteractionType.MessageComponent, actor), data, message } as APIMessageComponentInteraction;
		return this.dispatch(payload, actor, message.id);
	}

	private componentTarget(input: PressButtonInput): {
		message: APIMessage;
		component: Record<string, unknown>;
		actor: ResolvedActor;
	} {
		const state = this.context.state;
		const found = state.findMessage(input.messageId);
		if (!found) throw new Error(`Discord stand-in: unknown message ${input.messageId}`);
		const message = found.message;
		const all: Record<string, unknown>[] = [];
		collectComponents(message.components ?? [], all);
		const component = all.find((c) => c.custom_id === input.customId);
		if (!component) {
			const ids = all.map((c) => c.custom_id).filter((id) => typeof id === 'string');
			throw new Error(`Discord stand-in: message ${message.id} has no component "${input.customId}" (has: ${ids.join(', ') || 'none'})`);
		}
		if (component.disabled === true) throw new Error(`Discord stand-in: component "${input.customId}" is disabled`);
		const actor = this.resolveActor({
			...(input.memberId !== undefined ? { memberId: input.memberId } : {}),
			...(input.userId !== undefined ? { userId: input.userId } : {}),
			...(input.locale !== undefined ? { locale: input.locale } : {}),
			channelId: message.channel_id
		});
		return { message, component, actor };
	}
}

function collectComponents(components: readonly unknown[], into: Record<string, unknown>[]): void {
	for (const component of components) {
		if (typeof component !== 'object' || component === null) continue;
		const c = component as Record<string, unknown>;
		into.push(c);
		if (Array.isArray(c.components)) collectComponents(c.components, into);
		if (c.accessory) collectComponents([c.accessory], into);
		if (c.component) collectComponents([c.component], into);
	}
}
