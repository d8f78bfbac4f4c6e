import { container } from '@sapphire/framework';
import type { AuditSource } from '../audit/audit-log.js';
import { ConfigValidationError, type ConfigIssue } from '../config/guild-config-schema.js';
import type { OperatorPolicy } from './operator-policy.js';

/**
 * A plugin's bounds on what a server's admin may write into its config section at run time (with
 * /config, the plugin's commands or the API). It sees only the runtime layer of the section, never the
 * operator's files, so `config/default_config.json` and `config/overrides/*.json` are not bound by it.
 * Issue paths are relative to the section.
 */
export type RuntimeConfigCheck = (section: unknown, policy: OperatorPolicy) => readonly ConfigIssue[];

/** A runtime config write the operator's policy refuses; a {@link ConfigValidationError}, so every caller reports key and reason. */
export class ConfigPolicyError extends ConfigValidationError {
	public constructor(issues: readonly ConfigIssue[]) {
		super(issues);
		this.name = 'ConfigPolicyError';
	}
}

/**
 * The issues a write brings in: those of the new runtime layer that the previous one did not have, so a
 * value stored before the operator tightened the policy does not block unrelated changes (it is bounded
 * where it is used instead).
 */
export function newPolicyIssues(
	checks: ReadonlyMap<string, (section: unknown) => readonly ConfigIssue[]>,
	before: Readonly<Record<string, unknown>>,
	after: Readonly<Record<string, unknown>>
): ConfigIssue[] {
	const issues: ConfigIssue[] = [];
	for (const [section, check] of checks) {
		if (after[section] === undefined) continue;
		const known = new Set((before[section] === undefined ? [] : check(before[section])).map(describe));
		for (const issue of check(after[section])) {
			const full = { path: issue.path === '' ? section : `${section}.${issue.path}`, message: issue.message };
			if (!known.has(describe(issue))) issues.push(full);
		}
	}
	return issues;
}

function describe(issue: ConfigIssue): string {
	return `${issue.path}\u0000${issue.message}`;
}

/** The loaded plugins' checks, bound to the operator's policy, by config section. */
export function runtimeConfigChecks(
	manifests: readonly { readonly name: string; readonly runtimeConfigCheck?: RuntimeConfigCheck }[],
	policy: OperatorPolicy
): Map<string, (section: unknown) => readonly ConfigIssue[]> {
	const checks = new Map<string, (section: unknown) => readonly ConfigIssue[]>();
	for (const { name, runtimeConfigCheck } of manifests) {
		if (runtimeConfigCheck !== undefined) checks.set(name, (section) => runtimeConfigCheck(section, policy));
	}
	return checks;
}

/** Records a refused runtime write in the audit log (`policy.refused`), with each key and reason. */
export async function auditConfigRefusal(
	error: ConfigPolicyError,
	actor: { readonly guildId: string; readonly actorId: string; readonly source: AuditSource }
): Promise<void> {
	await container.audit.record({
		...actor,
		action: 'policy.refused',
		target: error.issues.map((issue) => issue.path).join(', '),
		outcome: 'refused',
		detail: error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
	});
}
