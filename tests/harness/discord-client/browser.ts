import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/ci/checks.sh installs it); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumInstalled(): boolean {
	return existsSync(CHROMIUM_PATH);
}

/**
 * Headless Chromium as the Activity tests drive it: no sandbox (tests run as root in containers); video may start
 * without a click, as it does in Discord's client once a member has launched the Activity; and no Local Network Access
 * checks: here the host page comes from the browser's request routing (an address space Chromium calls public) while
 * the bot listens on 127.0.0.1, so Chromium would block the room socket, which in Discord goes to a public host anyway.
 */
export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio', '--disable-features=LocalNetworkAccessChecks']
	});
}
