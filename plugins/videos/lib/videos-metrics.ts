import { defineCounter } from '#sdk';

export const videosSearched = defineCounter({ name: 'videos_searched_total', help: 'Video searches that Kaltura answered' });
export const videosShared = defineCounter({ name: 'videos_shared_total', help: 'Videos members shared in a channel' });
