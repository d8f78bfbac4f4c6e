import { expect } from 'chai';
import { z } from 'zod';
import { definePlugin } from '../../../src/core/plugins/manifest.js';
import type { PluginCore } from '../../../src/core/plugins/plugin-context.js';
import { AttachedPlugins } from '../../../src/core/plugins/plugin-instances.js';
import { SecretRedactor } from '../../../src/core/redactor.js';

const RAW_KEYS = 'first-service-key-0123,second-service-key-4567';

/** A plugin whose secret variable is parsed into something other than the string the operator wrote. */
const keyring = definePlugin({
	name: 'keyring',
	version: '1.0.0',
	description: 'Reads a list of secret keys (test)',
	core: '^1.0.0',
	enabledByDefault: false,
	environment: z.object({ KEYRING_KEYS: z.string().transform((value) => value.split(',')) }),
	secretVariables: ['KEYRING_KEYS']
});

describe('Plugin secret variables in the log redactor', () => {
	it('GIVEN a secret variable whose schema turns it into a list THEN the value as written and each key are redacted', () => {
		const redactor = new SecretRedactor();
		const core: PluginCore = {
			loggerFor: () => ({ debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }),
			environmentSource: { KEYRING_KEYS: RAW_KEYS },
			guildConfig: () => {
				throw new Error('not needed');
			},
			openStore: () => {
				throw new Error('not needed');
			},
			claimRun: () => Promise.resolve(true),
			client: undefined as never
		};
		const registry = { get: (name: string) => (name === 'keyring' ? { manifest: keyring } : undefined), list: () => [{ manifest: keyring }] };
		new AttachedPlugins(registry, core, (secret) => redactor.addSecret(secret)).attachAll();

		expect(keyring.env().KEYRING_KEYS).to.deep.equal(['first-service-key-0123', 'second-service-key-4567']);
		expect(redactor.redact(`KEYRING_KEYS=${RAW_KEYS}`)).to.equal('KEYRING_KEYS=[REDACTED]');
		expect(redactor.redact('calling with second-service-key-4567')).to.equal('calling with [REDACTED]');
	});
});
