// Interactions, split under interactions/: records, the test's handle, bookkeeping, callbacks and webhooks.
export {
	describeInteraction,
	newInteractionToken,
	type CallbackRecord,
	type InteractionContext,
	type InteractionRecord,
	type InteractionTimingOptions,
	type RejectedCallback,
	type SubmitModalFromHandleInput
} from './interactions/records.js';
export { InteractionHandle } from './interactions/handle.js';
export { InteractionService } from './interactions/webhooks.js';
