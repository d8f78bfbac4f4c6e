import { expect } from 'chai';
import { EnvironmentError, parseEnvironment } from '../../src/core/env.js';

/** What parseEnvironment reports for `source`, by variable; fails the test when it accepts it instead. */
export function problemsOf(source: Record<string, string>): Record<string, string> {
	try {
		parseEnvironment(source);
	} catch (error) {
		if (!(error instanceof EnvironmentError)) throw error;
		return Object.fromEntries(error.problems.map(({ variable, problem }) => [variable, problem]));
	}
	expect.fail('parseEnvironment accepted an invalid environment');
}
