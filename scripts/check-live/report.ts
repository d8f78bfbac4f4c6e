import type { SecretRedactor } from '../../src/core/redactor.js';

/** How a step went: `warn` worked but leaves the operator something to do; `skipped` could not run (no input, or an earlier step failed). */
export type StepStatus = 'ok' | 'warn' | 'failed' | 'skipped';

/** One row of the live check's table. */
export interface StepResult {
	/** A stable id (`kaltura.session`, `discord.message`, `cleanup.schedule-event`...), for scripts and tests. */
	readonly id: string;
	readonly service: 'Setup' | 'Kaltura' | 'Discord';
	/** What was tried, in a few words. */
	readonly step: string;
	readonly status: StepStatus;
	/** What happened: what was found or created, or what the service answered. */
	readonly detail: string;
	/** What the operator should do; set on every `failed` row, and on `warn` and `skipped` rows that need something. */
	readonly fix?: string;
}

/** 1 when any step failed (a failed clean-up included), else 0: warnings and skipped steps do not fail the check. */
export function exitCodeOf(results: readonly StepResult[]): number {
	return results.some((result) => result.status === 'failed') ? 1 : 0;
}

const STATUS_LABEL: Readonly<Record<StepStatus, string>> = { ok: 'ok', warn: 'WARN', failed: 'FAILED', skipped: 'skipped' };

/**
 * The table the operator reads: one line per step (status, service, step, what happened), and under each row
 * that needs something a `fix:` line. Everything passes through the redactor last, so no configured secret and
 * nothing shaped like a KS or a token can be printed, whatever a service answered.
 */
export function formatReport(heading: string, results: readonly StepResult[], redactor: SecretRedactor): string {
	const statusWidth = Math.max(6, ...results.map((result) => STATUS_LABEL[result.status].length));
	const serviceWidth = Math.max(7, ...results.map((result) => result.service.length));
	const stepWidth = Math.max(4, ...results.map((result) => result.step.length));
	const row = (status: string, service: string, step: string, detail: string) =>
		`  ${status.padEnd(statusWidth)}  ${service.padEnd(serviceWidth)}  ${step.padEnd(stepWidth)}  ${detail}`.trimEnd();
	const indent = ' '.repeat(2 + statusWidth + 2 + serviceWidth + 2);
	const lines = [heading, '', row('status', 'service', 'step', 'result')];
	for (const result of results) {
		lines.push(row(STATUS_LABEL[result.status], result.service, result.step, result.detail));
		if (result.fix !== undefined) lines.push(`${indent}fix: ${result.fix}`);
	}
	lines.push('', summaryOf(results));
	return redactor.redact(lines.join('\n'));
}

/** `9 ok, 1 warning, 1 failed, 1 skipped.` */
export function summaryOf(results: readonly StepResult[]): string {
	const count = (status: StepStatus) => results.filter((result) => result.status === status).length;
	const parts = [`${count('ok')} ok`];
	if (count('warn') > 0) parts.push(`${count('warn')} ${count('warn') === 1 ? 'warning' : 'warnings'}`);
	parts.push(`${count('failed')} failed`);
	if (count('skipped') > 0) parts.push(`${count('skipped')} skipped`);
	const verdict = exitCodeOf(results) === 0 ? 'The live check passed.' : 'The live check FAILED: see the fixes above.';
	return `${parts.join(', ')}. ${verdict}`;
}

/** The rows as JSON (`--json`), redacted the same way. */
export function formatJson(results: readonly StepResult[], redactor: SecretRedactor): string {
	return redactor.redact(JSON.stringify({ passed: exitCodeOf(results) === 0, results }, null, 2));
}
