import { InteractionResponseType } from 'discord-api-types/v10';
import type { APIInteraction, APIMessage, APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import {
	describeInteraction,
	MESSAGE_CALLBACKS,
	type CallbackRecord,
	type InteractionRecord,
	type RejectedCallback,
	type SubmitModalFromHandleInput
} from './records.js';
import type { InteractionRegistry } from './registry.js';

/**
 * What a test gets back from `runSlashCommand` & co: the dispatched payload and,
 * as they happen, the bot's callback, edits of @original and follow-ups.
 */
export class InteractionHandle {
	public constructor(
		private readonly record: InteractionRecord,
		private readonly service: InteractionRegistry
	) {}

	public get id(): string {
		return this.record.id;
	}

	public get token(): string {
		return this.record.token;
	}

	/** The INTERACTION_CREATE payload that was dispatched. */
	public get payload(): APIInteraction {
		return this.record.payload;
	}

	public get callback(): CallbackRecord | undefined {
		return this.record.callback ?? undefined;
	}

	/** Callbacks the stand-in refused (40060 second acknowledgement, 10062 too late, …). */
	public get rejections(): readonly RejectedCallback[] {
		return this.record.rejections;
	}

	/** Snapshots of @original after each edit, oldest first. */
	public get edits(): readonly APIMessage[] {
		return this.record.edits;
	}

	/** Follow-up messages (current state), oldest first. */
	public get followUps(): readonly APIMessage[] {
		return this.record.followUpIds
			.map((id) => this.service.context.state.findMessage(id)?.message)
			.filter((m): m is APIMessage => m !== undefined);
	}

	/** The current @original message, if any. */
	public original(): APIMessage | undefined {
		if (!this.record.originalId || this.record.originalDeleted) return undefined;
		return this.service.context.state.findMessage(this.record.originalId)?.message;
	}

	/**
	 * Whether the first-response deadline passed without a callback. On Discord the user then sees "This
	 * interaction failed" (an autocomplete shows no choices), and a late callback gets 10062 Unknown interaction.
	 */
	public get expired(): boolean {
		return this.service.checkExpired(this.record);
	}

	/**
	 * Resolves with the bot's acknowledgement. Rejects as soon as the first-response deadline passes without
	 * one, saying so (rather than waiting out the timeout).
	 */
	public waitForCallback(timeoutMs = this.defaultTimeout()): Promise<CallbackRecord> {
		return this.service.context.notifier.waitFor(
			() => {
				if (this.record.callback) return this.record.callback;
				if (this.service.checkExpired(this.record)) {
					const window = this.service.context.timing.responseWindowMs;
					throw new Error(
						`Discord stand-in: ${this.describe()} got no response within ${window} ms; Discord shows "This interaction failed" and answers later callbacks with 10062 Unknown interaction\n${this.diagnose()}`
					);
				}
				return undefined;
			},
			`the bot to acknowledge ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/**
	 * Resolves with what the user sees as the answer: the message of a type 4 reply, the
	 * updated message of a type 7, or — after a defer — @original once it was edited.
	 */
	public async waitForReply(timeoutMs = this.defaultTimeout()): Promise<APIMessage> {
		const started = Date.now();
		const callback = await this.waitForCallback(timeoutMs);
		if (callback.type === InteractionResponseType.ChannelMessageWithSource || callback.type === InteractionResponseType.UpdateMessage) {
			return callback.message!;
		}
		if (!MESSAGE_CALLBACKS.has(callback.type)) {
			throw new Error(`Discord stand-in: ${this.describe()} was answered with callback type ${callback.type}, which carries no message`);
		}
		const remaining = Math.max(1, timeoutMs - (Date.now() - started));
		return this.waitForEdit(1, remaining);
	}

	/** Resolves with @original after its `count`-th edit. */
	public waitForEdit(count = 1, timeoutMs = this.service.context.timing.waitTimeoutMs): Promise<APIMessage> {
		return this.service.context.notifier.waitFor(
			() => this.record.edits[count - 1],
			`edit #${count} of the original response to ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/** Resolves with the `count`-th follow-up message. */
	public waitForFollowUp(count = 1, timeoutMs = this.service.context.timing.waitTimeoutMs): Promise<APIMessage> {
		return this.service.context.notifier.waitFor(
			() => this.record.followUps[count - 1],
			`follow-up #${count} to ${this.describe()}`,
			timeoutMs,
			() => this.diagnose()
		);
	}

	/** The modal the bot opened with callback type 9. */
	public get modal(): APIModalInteractionResponseCallbackData | undefined {
		return this.record.modal ?? undefined;
	}

	/** Submits the modal this interaction opened (callback type 9), as the same user. */
	public submitModal(input: SubmitModalFromHandleInput): InteractionHandle {
		if (!this.record.modal) {
			throw new Error(`Discord stand-in: ${this.describe()} did not open a modal (callback: ${this.record.callback?.type ?? 'none'})`);
		}
		return this.service.submitModalFor(this.record, input);
	}

	private defaultTimeout(): number {
		const { responseWindowMs, waitTimeoutMs } = this.service.context.timing;
		return Math.min(waitTimeoutMs, responseWindowMs + 1000);
	}

	private describe(): string {
		return describeInteraction(this.record);
	}

	private diagnose(): string {
		const r = this.record;
		const parts = [
			`  callback: ${r.callback ? `type ${r.callback.type}` : 'none'}`,
			`  edits: ${r.edits.length}, follow-ups: ${r.followUps.length}`
		];
		if (r.rejections.length > 0) {
			parts.push(`  refused callbacks: ${r.rejections.map((x) => `${x.status}/${x.code} ${x.message}`).join('; ')}`);
		}
		return parts.join('\n');
	}
}
