/**
 * `GET /p/{partnerId}/sp/{partnerId}00/playManifest/entryId/{entryId}/format/url/protocol/{http|https}[/ks/{ks}]/a.mp4`:
 * the entry's video, as kaltura/server alpha/apps/kaltura/modules/extwidget/actions/playManifestAction.class.php
 * (`initEntry`, `execute`) and alpha/apps/kaltura/lib/KSecureEntryHelper.class.php check a request for it:
 *
 * - a KS given (path pair or query `ks`) is cracked first (kCurrentContext::initKsPartnerUser): a string that does
 *   not decrypt is INVALID_KS (7). The entry is then read without the entitlement filter (entryPeer::retrieveByPKNoFilter,
 *   within the KS's partner): a KS request is not refused for entitlement, only by access control below;
 * - without a KS the entry's partner is the context (initPartnerByEntryId) and the entitlement check applies
 *   (kEntitlementUtils::isEntryEntitled, entitlement.ts): an entry that is not public is ENTRY_NOT_FOUND (1);
 * - a missing or deleted entry is ENTRY_NOT_FOUND (1); one that is not READY has no ready flavor, FLAVOR_NOT_FOUND (6);
 * - an entry of another partner than the KS's is not found (the entry criteria carry the KS's partner,
 *   myPartnerUtils::addPartnerToCriteria); KSecureEntryHelper::validateKs: an expired KS is KS_EXPIRED (31) "This URL
 *   is expired";
 * - validateForPlay: unless the KS is ADMIN or carries `sview:<entryId>` / `sview:*`, an entry in moderation (PENDING 1,
 *   REJECTED 3, not the KS user's own) is ENTRY_MODERATION_ERROR (13); then access control: a profile that requires a KS
 *   (a kAuthenticatedCondition, alpha/lib/model/data/kAuthenticatedCondition.php, met by an ADMIN KS or `sview` for the
 *   entry) blocks anything else with ACCESS_CONTROL_RESTRICTED (3). The stand-in's state lists such profiles in
 *   `accessControlRequiringKs`.
 *
 * Refusals: KExternalErrors::dieError (infra/general/KExternalErrors.class.php) answers with `X-Kaltura: error-<code>`
 * and `X-Kaltura-App: exiting on error <code> - <description>` and no body; playManifestAction::execute first sets the
 * response code to 404 (setResponseErrorCode(HTTP_STATUS_NOT_FOUND)), so every refusal of a play manifest is a 404.
 *
 * Serving: Kaltura answers format `url` with a redirect (response format `redirect`, serveVodEntry) to the chosen
 * flavor's URL on its delivery host, which serves the MP4. The stand-in serves the file itself, with Range support
 * (206, as the delivery hosts do, so players can seek): the file `playbackFiles` names for the entry, else
 * tests/fixtures/video/test-video.mp4.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { isEntryEntitled } from './entitlement.js';
import { KsParseError, parseKs, peekKsPartnerId, type ParsedKs } from './ks.js';
import type { Obj } from './params.js';
import type { KalturaState } from './state.js';

export const DEFAULT_PLAYBACK_FILE = fileURLToPath(new URL('../../fixtures/video/test-video.mp4', import.meta.url));

/** KExternalErrors codes and descriptions the play manifest answers with. */
const REFUSALS = {
	ENTRY_NOT_FOUND: [1, 'requested entry not found'],
	ACCESS_CONTROL_RESTRICTED: [3, 'entry restricted due to access-control'],
	FLAVOR_NOT_FOUND: [6, 'requested flavor was not found'],
	INVALID_KS: [7, 'ks is not valid'],
	ENTRY_MODERATION_ERROR: [13, 'entry is restricted due to invalid moderation status'],
	KS_EXPIRED: [31, 'The given KS has expired, This URL is expired']
} as const;
type Refusal = keyof typeof REFUSALS;

class PlayRefused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal);
	}
}

const PATH = /^\/p\/(\d+)\/sp\/(\d+)\/playManifest((?:\/[^/]+)*)$/i;

/** Whether the path is a play manifest's. */
export function isPlayManifestPath(pathname: string): boolean {
	return PATH.test(pathname);
}

/** The `/name/value` pairs after `playManifest` (a lone last segment is the file name players like to see, `a.mp4`), then the query. */
function requestParameters(url: URL): Map<string, string> {
	const rest = (PATH.exec(url.pathname.replace(/\/{2,}/g, '/'))?.[3] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
	const params = new Map<string, string>();
	for (let i = 0; i + 1 < rest.length; i += 2) params.set(rest[i] as string, rest[i + 1] as string);
	for (const [name, value] of url.searchParams) if (!params.has(name)) params.set(name, value);
	return params;
}

function crackKs(state: KalturaState, ks: string): ParsedKs {
	const partner = state.partner(peekKsPartnerId(ks) ?? Number.NaN);
	if (partner === undefined) throw new PlayRefused('INVALID_KS');
	try {
		return parseKs(ks, partner.adminSecret);
	} catch (error) {
		if (error instanceof KsParseError) throw new PlayRefused('INVALID_KS');
		throw error;
	}
}

function hasViewPrivilege(ks: ParsedKs, entryId: string): boolean {
	const view = ks.privileges.sview;
	return view !== undefined && view.split('/').some((id) => id === '*' || id === entryId);
}

/** The entry the request may play, or the refusal Kaltura gives. */
export function entryToPlay(state: KalturaState, params: Map<string, string>): Obj {
	const entryId = params.get('entryId') ?? params.get('e') ?? '';
	const ksString = params.get('ks') ?? '';
	const ks = ksString === '' ? undefined : crackKs(state, ksString);
	const entry = state.getEntry(entryId);
	if (entry === undefined) throw new PlayRefused('ENTRY_NOT_FOUND');
	if (ks !== undefined && ks.partnerId !== entry.partnerId) throw new PlayRefused('ENTRY_NOT_FOUND');
	if (ks === undefined && !isEntryEntitled(state, undefined, entry)) throw new PlayRefused('ENTRY_NOT_FOUND');
	if (ks !== undefined && !(ks.expiry > state.now())) throw new PlayRefused('KS_EXPIRED');
	const trusted = ks !== undefined && (ks.type === 2 || hasViewPrivilege(ks, entryId));
	const owner = ks !== undefined && ks.userId !== '' && ks.userId.toLowerCase() === String(entry.userId ?? '').toLowerCase();
	if (!trusted && [1, 3].includes(Number(entry.moderationStatus)) && !owner) throw new PlayRefused('ENTRY_MODERATION_ERROR');
	if (!trusted && state.accessControlRequiringKs.has(Number(entry.accessControlId))) throw new PlayRefused('ACCESS_CONTROL_RESTRICTED');
	if (Number(entry.status) !== 2) throw new PlayRefused('FLAVOR_NOT_FOUND');
	return entry;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` of a file of `size` bytes; undefined for a header this does not serve (then the whole file). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
	if (match === null) return undefined;
	const [, from = '', to = ''] = match;
	if (from === '' && to === '') return undefined;
	if (from === '') {
		const suffix = Number(to);
		return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
	}
	const start = Number(from);
	if (start >= size) return 'unsatisfiable';
	return { start, end: to === '' ? size - 1 : Math.min(Number(to), size - 1) };
}

/** Answers a play manifest request: the refusal, or the file (whole, or the range asked for). */
export function servePlayManifest(state: KalturaState, req: IncomingMessage, res: ServerResponse, url: URL): void {
	let entry: Obj;
	try {
		entry = entryToPlay(state, requestParameters(url));
	} catch (error) {
		if (!(error instanceof PlayRefused)) throw error;
		const [code, description] = REFUSALS[error.refusal];
		res.writeHead(404, { 'X-Kaltura': `error-${code}`, 'X-Kaltura-App': `exiting on error ${code} - ${description}`, 'Content-Length': '0' });
		res.end();
		return;
	}
	const file = state.playbackFiles.get(String(entry.id)) ?? DEFAULT_PLAYBACK_FILE;
	const size = statSync(file).size;
	const headers = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes' };
	const range = byteRange(req.headers.range, size);
	if (range === 'unsatisfiable') {
		res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
		res.end();
		return;
	}
	const { start, end } = range ?? { start: 0, end: size - 1 };
	res.writeHead(range === undefined ? 200 : 206, {
		...headers,
		'Content-Length': String(end - start + 1),
		...(range === undefined ? {} : { 'Content-Range': `bytes ${start}-${end}/${size}` })
	});
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	createReadStream(file, { start, end }).pipe(res);
}
