// @ts-check
/**
 * The modules that guard security and correctness: what each mutates and the test files that exercise it.
 * A `file:from-to` entry mutates those lines only (the outbox's claim logic within its store).
 */
/** @type {Record<string, { mutate: string[]; tests: string[] }>} */
export const MUTATION_MODULES = {
	signature: {
		mutate: ['plugins/notifications/lib/kaltura-signature.ts'],
		tests: ['plugins/notifications/tests/kaltura-signature.test.ts']
	},
	ks: {
		mutate: ['src/core/kaltura/ks-v2.ts'],
		tests: ['tests/unit/core/ks-v2.test.ts']
	},
	redaction: {
		mutate: ['src/core/redactor.ts'],
		tests: ['tests/unit/core/redactor.test.ts', 'tests/unit/core/logger.test.ts']
	},
	'config-schema': {
		mutate: ['src/core/config/guild-config-schema.ts'],
		tests: ['tests/unit/core/guild-config-schema.test.ts']
	},
	preconditions: {
		mutate: ['src/preconditions/*.ts'],
		tests: ['tests/integration/core/command-preconditions.test.ts']
	},
	tokens: {
		mutate: ['src/core/auth/api-tokens.ts', 'src/core/auth/token-revocations.ts'],
		tests: ['tests/unit/core/api-tokens.test.ts', 'tests/unit/core/api-token-claims.test.ts', 'tests/unit/core/token-revocations.test.ts']
	},
	'outbox-claims': {
		// The claim statements, the claim transaction, and claimHead / finish / leases.
		mutate: [
			'plugins/notifications/lib/store/sqlite-notification-store.ts:119-133',
			'plugins/notifications/lib/store/sqlite-notification-store.ts:150-157',
			'plugins/notifications/lib/store/sqlite-notification-store.ts:247-274'
		],
		tests: [
			'plugins/notifications/tests/claims.test.ts',
			'plugins/notifications/tests/outbox-claim-edges.test.ts',
			'plugins/notifications/tests/store-contract.test.ts'
		]
	},
	'token-rights': {
		mutate: ['src/core/auth/manage-server-check.ts'],
		tests: [
			'tests/unit/core/manage-server-check.test.ts',
			'tests/integration/core/api-token-rights.test.ts',
			'tests/integration/core/api-token-timeout.test.ts'
		]
	},
	identity: {
		mutate: ['src/core/auth/identity.ts', 'src/core/auth/link-identity.ts'],
		tests: [
			'tests/unit/core/identity-case.test.ts',
			'tests/unit/core/link-identity.test.ts',
			'tests/integration/core/config-and-link-boundaries.test.ts'
		]
	}
};
