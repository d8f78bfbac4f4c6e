// Members acting in the client, split by interaction kind under actors/ (one class layer per kind; Actors is the last).
export type {
	ActorContext,
	ActorInput,
	AttachmentInput,
	AutocompleteInput,
	MessageContextMenuInput,
	OptionInput,
	OptionValueInput,
	PressButtonInput,
	SelectMenuInput,
	SlashCommandInput,
	SubmitModalInput,
	UserContextMenuInput
} from './actors/inputs.js';
export { Actors } from './actors/modals.js';
