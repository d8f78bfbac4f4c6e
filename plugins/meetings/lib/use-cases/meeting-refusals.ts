import { UserFacingError, userFacingFailure } from '#sdk';
import { MeetingGoneError } from '../find-meetings.js';
import { END_REFUSED, START_REFUSED } from '../meeting-permissions.js';
import { MEETING_ENDED, NO_SUCH_MEETING } from '../meeting-replies.js';

/**
 * Every refusal of the meeting use cases, each with the member's sentence, the API's status and code, and the
 * API's sentence where it differs (the API has no `/meeting list` to point at).
 */

const NOT_A_MEMBER_API = 'The token’s user is not a member of this guild.';

/** Never made, deleted on Kaltura, or another guild's: one answer, so one server learns nothing of another's meetings. */
export const noSuchMeeting = () =>
	new UserFacingError('not_found', NO_SUCH_MEETING, {
		status: 404,
		apiMessage: 'This guild has no meeting with that id (it may have been deleted on Kaltura).'
	});

export const meetingEnded = () => new UserFacingError('meeting_ended', MEETING_ENDED, { status: 409, apiMessage: 'That meeting has already ended.' });

export const noMeetingToJoin = () => new UserFacingError('not_found', 'No meeting is active or upcoming in this server.', { status: 404 });

export const notAMemberToJoin = () =>
	new UserFacingError('forbidden', 'Only members of this server can join its meetings.', { status: 403, apiMessage: NOT_A_MEMBER_API });

/** The member is gone, or may not start meetings here (meetings.whoCanStart). */
export const startRefused = () => new UserFacingError('forbidden', START_REFUSED, { status: 403, apiMessage: NOT_A_MEMBER_API });

export const endRefused = () => new UserFacingError('forbidden', END_REFUSED, { status: 403 });

export const invalidMeeting = (reason: string) => new UserFacingError('invalid_meeting', reason, { status: 400 });

/**
 * Runs one meeting action; what members are meant to read of its failures is thrown as a {@link UserFacingError}:
 * Kaltura's (busy, not allowed, ...) and the link policy's as "<what> did not work: <why>", and a meeting deleted
 * on Kaltura between being found and being acted on as if it had never been found.
 */
export async function meetingAction<T>(what: string, action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (error) {
		throw error instanceof MeetingGoneError ? noSuchMeeting() : userFacingFailure(error, what);
	}
}
