import { z } from 'zod';
import { definePlugin } from '../../src/core/plugins/manifest.js';

export default definePlugin({
	name: 'videos',
	version: '1.0.0',
	description: 'Search the Kaltura video library from Discord',
	core: '^1.0.0',
	// Off until an admin opts in: it shows the partner's catalogue to every member of the server.
	enabledByDefault: false,
	configSchema: z.strictObject({
		/** How many results `/video search` shows at most. */
		resultLimit: z.number().int().min(1).max(10).default(5),
		/** When set, search only these Kaltura categories (ids). */
		categoryIds: z.array(z.string().regex(/^\d+$/, { error: 'must be a Kaltura category id (digits)' })).max(50).default([]),
		/** Where a result links to; {partnerId} and {entryId} are filled in. */
		watchUrlTemplate: z
			.string()
			.url()
			.refine((value) => value.includes('{entryId}'), { error: 'must contain {entryId}' })
			.default('https://{partnerId}.mediaspace.kaltura.com/media/t/{entryId}')
	})
});
