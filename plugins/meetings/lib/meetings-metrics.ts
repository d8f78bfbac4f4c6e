import { defineCounter } from '#sdk';

export const meetingsStarted = defineCounter({
	name: 'meetings_started_total',
	help: 'Meetings started, by meeting type',
	labelNames: ['type']
});
export const meetingJoins = defineCounter({ name: 'meeting_joins_total', help: 'Join links handed to members' });
