import { checkedLink, LinkPolicyError, operatorPolicy, type OperatorPolicy } from '#sdk';

/**
 * Whether a link points at one of the partner's hosts: the ones the operator lets the bot link to
 * (KALTURA_LINK_HOSTS), the same check every link the bot shows goes through, so the hosts the bot
 * recognises an entry link on are exactly the ones it would link to itself.
 */
export function isPartnerLink(url: string, policy: Pick<OperatorPolicy, 'linkHosts'> = operatorPolicy()): boolean {
	try {
		checkedLink(url, 'KALTURA_LINK_HOSTS', policy);
		return true;
	} catch (error) {
		if (error instanceof LinkPolicyError) return false;
		throw error;
	}
}
