export { control, probe, waitForProbe, type ActivityProbe, type ProbedControlResult, type ProbedRoom } from './activity-probe.js';
export { chromiumInstalled, launchChromium } from './browser.js';
export { activityFrameUrl, DiscordClient, type ActivityLaunch, type DiscordClientOptions } from './discord-client.js';
export { FrameHost, participantOf, type ClientUser, type FrameHostBackend } from './frame-host.js';
export { RpcError } from './rpc.js';
export { clientUserOf, standInBackend } from './stand-in-backend.js';
export { SCENE_JWT_SECRET, WatchTogetherScene } from './watch-together-scene.js';
