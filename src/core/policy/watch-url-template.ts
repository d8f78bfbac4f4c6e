import { z } from 'zod';
import { checkedLink, linkTemplateProblem } from './link-url.js';
import type { OperatorPolicy } from './operator-policy.js';

/** Any partner id will do to check a template's shape; the host is checked against the real one at write and at use. */
const SHAPE_CHECK_PARTNER_ID = 1;

/**
 * A setting naming where a Kaltura entry is watched (the videos plugin's results, the meetings plugin's live
 * streams): `{partnerId}` and `{entryId}` are filled in. Only its shape is checked here (https, no user name or
 * port, see link-url.ts); the host list needs the environment and is checked by the plugin's runtime check and
 * again whenever a link is built.
 */
export const watchUrlTemplateSchema = z
	.string()
	.refine((value) => value.includes('{entryId}'), { error: 'must contain {entryId}' })
	.superRefine((template, context) => {
		const problem = linkTemplateProblem(template, SHAPE_CHECK_PARTNER_ID);
		if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
	})
	.default('https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}');

/**
 * The watch link of one entry from a template setting (`setting` names it in a refusal), checked against the
 * operator's link policy as every link is before it is shown: throws LinkPolicyError (link-url.ts) when refused.
 */
export function watchLinkFrom(
	template: string,
	partnerId: string | number,
	entryId: string,
	setting: string,
	policy: Pick<OperatorPolicy, 'linkHosts'>
): string {
	const url = template.replaceAll('{partnerId}', String(partnerId)).replaceAll('{entryId}', encodeURIComponent(entryId));
	return checkedLink(url, setting, policy);
}
