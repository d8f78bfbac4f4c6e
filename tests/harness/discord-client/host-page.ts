/**
 * The page the Discord client puts around an activity: one iframe, and a message listener that hands everything the
 * activity's frame posts to the test (a browser binding) and posts the test's answers back into the frame.
 *
 * The page must be served at the activity's own origin: the SDK drops messages from any origin but its own, Discord's
 * and a few development ones (embedded-app-sdk src/Discord.ts `getAllowedOrigins`). The listener is in place before
 * the frame's `src` is set, since the SDK sends its handshake once, as soon as it is constructed.
 */
export function hostPageHtml(activityUrl: string): string {
	const url = JSON.stringify(activityUrl);
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Discord</title>
<style>html,body{margin:0;height:100%;background:#313338}iframe{border:0;width:100%;height:100%;display:block}</style></head>
<body>
<iframe id="activity" allow="autoplay; encrypted-media; fullscreen" title="Activity"></iframe>
<script>
const frame = document.getElementById('activity');
const activityUrl = new URL(${url});
window.addEventListener('message', (event) => {
	if (event.source !== frame.contentWindow || event.origin !== activityUrl.origin) return;
	window.__discordClientReceive({ type: 'message', data: event.data });
});
window.__discordClientPost = (message) => frame.contentWindow.postMessage(message, activityUrl.origin);
window.__discordClientReceive({ type: 'loaded' }).then(() => { frame.src = activityUrl.href; });
</script>
</body>
</html>`;
}
