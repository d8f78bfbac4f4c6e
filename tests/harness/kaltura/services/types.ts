import type { Access } from '../auth.js';
import type { ParsedKs } from '../ks.js';
import type { Params } from '../params.js';
import type { KalturaState } from '../state.js';

export interface CallContext {
	state: KalturaState;
	/** the partner the call acts on (KS partner, else the request's partnerId, else the main partner) */
	partnerId: number;
	/** the validated KS of this call, if any */
	ks: ParsedKs | undefined;
	/** lowercase wire service id, e.g. "schedule_scheduleevent" */
	service: string;
	/** lowercase action, e.g. "list" */
	action: string;
	warnings: { push(msg: string): void };
}

export interface ActionDef {
	access: Access;
	/** allowed with a widget (anonymous) KS even though access is 'user' */
	widget?: boolean;
	handler: (p: Params, ctx: CallContext) => unknown;
}

/** lowercase action name → definition */
export type ServiceDef = Record<string, ActionDef>;

/** ADMIN KS, or a USER KS whose user is `userId`. */
export function ksUserId(ctx: CallContext): string {
	return ctx.ks?.userId ?? '';
}

export function isAdmin(ctx: CallContext): boolean {
	return ctx.ks?.type === 2;
}
