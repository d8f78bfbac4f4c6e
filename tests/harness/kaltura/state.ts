/**
 * In-memory Kaltura partner state plus seed helpers for tests. Objects are stored in wire shape
 * (plain JSON with `objectType`), so services can return clones of them directly.
 */
// Split under state/: shapes, then one class layer per kind of object (KalturaState is the last).
export {
	coerceNumeric,
	ENTRY_INT_FIELDS,
	EVENT_OBJECT_TYPE,
	EVENT_TYPE,
	fitPartnerData,
	PARTNER_DATA_MAX_CHARS,
	stripUndefined,
	type DomainEvent,
	type PartnerConfig,
	type RoleDef,
	type TemplateCondition
} from './state/shapes.js';
export { KalturaState } from './state/kaltura-state.js';
