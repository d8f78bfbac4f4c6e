import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const WEB_ROOT = import.meta.dirname;
const PROJECT_ROOT = resolve(WEB_ROOT, '..', '..', '..');

/**
 * The watch-together Activity, built into dist/activity/ and served by the bot at /activity/. Everything is
 * bundled (no CDN): Discord's Activity sandbox only reaches the app's own origin and its URL mappings.
 */
export default defineConfig({
	root: WEB_ROOT,
	// Relative, so the same build works at the bot's /activity/ and at the root of Discord's proxy (whose "/" URL
	// mapping points at the bot's /activity).
	base: './',
	publicDir: false,
	logLevel: 'warn',
	build: {
		outDir: resolve(PROJECT_ROOT, 'dist', 'activity'),
		emptyOutDir: true,
		target: 'es2022',
		sourcemap: true,
		assetsDir: 'assets'
	}
});
