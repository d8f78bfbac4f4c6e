import { container } from '@sapphire/framework';
import { expect } from 'chai';
import { isSearchable, type SearchableAuditLog } from '../../src/core/audit/audit-log.js';

/** The running bot's audit log, which a test reads back; fails the test if the bot runs on one it cannot read. */
export function searchableAuditLog(): SearchableAuditLog {
	const audit = container.audit;
	expect(isSearchable(audit), 'the bot runs on a readable audit log').to.equal(true);
	return audit as SearchableAuditLog;
}
