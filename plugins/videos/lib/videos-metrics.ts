import { defineCounter } from '#sdk';

export const videosSearched = defineCounter({ name: 'videos_searched_total', help: 'Video searches that Kaltura answered' });
