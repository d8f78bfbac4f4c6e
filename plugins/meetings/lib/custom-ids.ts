/**
 * Custom ids of the plugin's buttons. Every handler whose `parse` says yes runs, so each id starts
 * with the plugin's name and says exactly what it is for.
 */
const JOIN = 'meetings:join:';
const END = 'meetings:end:';
const PAGE = 'meetings:page:';

export const joinButtonId = (meetingId: string) => `${JOIN}${meetingId}`;
export const endConfirmButtonId = (meetingId: string) => `${END}${meetingId}`;
export const listPageButtonId = (pageIndex: number) => `${PAGE}${pageIndex}`;

function idAfter(prefix: string, customId: string): string | undefined {
	if (!customId.startsWith(prefix)) return undefined;
	const rest = customId.slice(prefix.length);
	return /^\d{1,15}$/.test(rest) ? rest : undefined;
}

export const parseJoinButtonId = (customId: string) => idAfter(JOIN, customId);
export const parseEndConfirmButtonId = (customId: string) => idAfter(END, customId);
export function parseListPageButtonId(customId: string): number | undefined {
	const page = idAfter(PAGE, customId);
	return page === undefined ? undefined : Number(page);
}
