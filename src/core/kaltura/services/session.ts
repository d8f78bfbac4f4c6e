import kaltura from 'kaltura-client';
import { z } from 'zod';
import { kalturaRequest, type KalturaRequest } from './kaltura-request.js';

/** A KS as Kaltura hands it out. */
const ksSchema = z.string().min(1, 'expected a KS');

/** KalturaStartWidgetSessionResponse: the anonymous widget KS, the one field the bot reads. */
const widgetSessionSchema = z.object({ ks: ksSchema });
export type WidgetSession = z.output<typeof widgetSessionSchema>;

/**
 * KalturaSessionInfo, as `appToken.startSession` answers: the KS, and what Kaltura made of the request (the token
 * may replace the type, user and privileges asked for, and caps the expiry). Kaltura leaves out what is unset.
 */
const appTokenSessionSchema = z.object({
	ks: ksSchema,
	/** KalturaSessionType: 0 USER, 2 ADMIN. */
	sessionType: z.number().int().nullish(),
	userId: z.string().nullish(),
	/** Unix seconds. */
	expiry: z.number().optional(),
	privileges: z.string().nullish()
});
export type AppTokenSession = z.output<typeof appTokenSessionSchema>;

/** What a session is asked for with. */
export interface SessionStart {
	readonly userId: string;
	/** KalturaSessionType: 0 USER, 2 ADMIN. */
	readonly type: number;
	readonly expirySeconds: number;
	readonly privileges: string;
}

/**
 * Starting sessions. These run on a bare client (no session yet, or the widget KS), never through the facade:
 * they are how the facade's sessions are made.
 */
export const session = {
	/** `session.start` with the partner's admin secret. */
	start(adminSecret: string, partnerId: number, request: SessionStart): KalturaRequest<string> {
		return kalturaRequest(
			() => kaltura.services.session.start(adminSecret, request.userId, request.type, partnerId, request.expirySeconds, request.privileges),
			ksSchema
		);
	},
	/** An anonymous widget KS for the partner's default widget (`_<partnerId>`). */
	startWidget(partnerId: number, expirySeconds: number): KalturaRequest<WidgetSession> {
		return kalturaRequest(() => kaltura.services.session.startWidgetSession(`_${partnerId}`, expirySeconds), widgetSessionSchema);
	},
	/** `appToken.startSession`: sent with the widget KS the token hash was computed over. Empty user and privileges are sent as none. */
	startWithAppToken(tokenId: string, tokenHash: string, request: SessionStart): KalturaRequest<AppTokenSession> {
		return kalturaRequest(
			() =>
				kaltura.services.appToken.startSession(
					tokenId,
					tokenHash,
					request.userId === '' ? null : request.userId,
					request.type,
					request.expirySeconds,
					request.privileges === '' ? null : request.privileges
				),
			appTokenSessionSchema
		);
	}
};
