import { ComponentType, InteractionType, Locale } from 'discord-api-types/v10';
import type { APIMessage, APIModalSubmissionComponent, APIModalSubmitInteraction } from 'discord-api-types/v10';
import type { InteractionHandle, InteractionRecord } from '../interactions.js';
import { ComponentActors } from './components.js';
import type { ResolvedActor, SubmitModalInput } from './inputs.js';

/**
 * Builds INTERACTION_CREATE payloads the way Discord does for a member acting in the
 * client, registers them, dispatches them, and returns the handle.
 */
export class Actors extends ComponentActors {
	// ------------------------------------------------------------------------- modals

	public submitModal(input: SubmitModalInput): InteractionHandle {
		const state = this.context.state;
		const source = input.messageId ? state.findMessage(input.messageId)?.message : undefined;
		if (input.messageId && !source) throw new Error(`Discord stand-in: unknown message ${input.messageId}`);
		const actor = this.resolveActor({ ...input, channelId: input.channelId ?? source?.channel_id });
		const components: APIModalSubmissionComponent[] = Object.entries(input.fields).map(([customId, value]) =>
			Array.isArray(value)
				? ({
						type: ComponentType.Label,
						component: { type: ComponentType.StringSelect, custom_id: customId, values: value }
					} as APIModalSubmissionComponent)
				: { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: customId, value }] }
		);
		return this.dispatchModal(input.customId, components, actor, source);
	}

	/** `handle.submitModal()`: answers the modal a previous interaction opened. */
	public submitModalFor(record: InteractionRecord, fields: Record<string, string | string[]>): InteractionHandle {
		const modal = record.modal!;
		const actor: ResolvedActor = {
			user: record.user,
			guildId: record.guildId,
			channelId: record.channelId,
			locale: (record.payload as { locale?: Locale }).locale ?? Locale.EnglishUS
		};
		const take = (customId: string, required: boolean | undefined, label: string): string | string[] => {
			const value = fields[customId];
			if ((value === undefined || value === '') && required !== false) {
				throw new Error(`Discord stand-in: modal "${modal.custom_id}" requires a value for "${label || customId}"`);
			}
			return value ?? '';
		};
		const known = new Set<string>();
		const components: APIModalSubmissionComponent[] = [];
		for (const component of modal.components) {
			if (component.type === ComponentType.ActionRow) {
				components.push({
					type: ComponentType.ActionRow,
					components: component.components.map((input) => {
						known.add(input.custom_id);
						const value = take(input.custom_id, input.required, input.label ?? '');
						return { type: ComponentType.TextInput, custom_id: input.custom_id, value: Array.isArray(value) ? value.join(',') : value };
					})
				});
			} else if (component.type === ComponentType.Label) {
				const inner = component.component as { type: ComponentType; custom_id: string; required?: boolean };
				known.add(inner.custom_id);
				const value = take(inner.custom_id, inner.required, component.label);
				const submitted =
					inner.type === ComponentType.TextInput
						? { type: ComponentType.TextInput, custom_id: inner.custom_id, value: Array.isArray(value) ? value.join(',') : value }
						: { type: inner.type, custom_id: inner.custom_id, values: Array.isArray(value) ? value : [value] };
				components.push({
					type: ComponentType.Label,
					...(component.id !== undefined ? { id: component.id } : {}),
					component: submitted
				} as APIModalSubmissionComponent);
			} else if (component.type === ComponentType.TextDisplay) {
				components.push({
					type: ComponentType.TextDisplay,
					...(component.id !== undefined ? { id: component.id } : {})
				} as APIModalSubmissionComponent);
			}
		}
		const unknown = Object.keys(fields).filter((k) => !known.has(k));
		if (unknown.length > 0) {
			throw new Error(`Discord stand-in: modal "${modal.custom_id}" has no input(s) ${unknown.join(', ')} (has: ${[...known].join(', ')})`);
		}
		const source = record.sourceMessageId ? this.context.state.findMessage(record.sourceMessageId)?.message : undefined;
		return this.dispatchModal(modal.custom_id, components, actor, source, record);
	}

	private dispatchModal(
		customId: string,
		components: APIModalSubmissionComponent[],
		actor: ResolvedActor,
		source: APIMessage | undefined,
		trigger?: InteractionRecord
	): InteractionHandle {
		const payload = {
			...this.base(InteractionType.ModalSubmit, actor),
			data: { custom_id: customId, components },
			...(source ? { message: source } : {})
		} as APIModalSubmitInteraction;
		return this.dispatch(payload, actor, source?.id ?? null, trigger);
	}
}
