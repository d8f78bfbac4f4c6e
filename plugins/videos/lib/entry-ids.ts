/**
 * Kaltura entry ids as Kaltura makes them: the data centre's id, `_`, and eight characters of base 36
 * (kaltura/server alpha/lib/model/entry.php `calculateId`: `$dc["id"] . '_' . kString::generateStringId()`;
 * infra/general/kString.class.php `generateStringId`: `substr(base_convert(md5(...), 16, 36), 1, 8)`, digits and
 * lower-case letters). `0_abcd1234`, `1_x9y8z7w6`.
 */
const ENTRY_ID_SOURCE = String.raw`\d{1,2}_[0-9a-z]{8}`;

const WHOLE_ENTRY_ID = new RegExp(`^${ENTRY_ID_SOURCE}$`);

/** An id standing on its own in text: not part of a longer word, path or address. */
const BARE_ENTRY_ID = new RegExp(`(?<![\\w./:@-])${ENTRY_ID_SOURCE}(?![\\w@-])`, 'g');

/** An id as a whole part of a link's path or query (`/media/t/1_abcd1234`, `/entry_id/1_abcd1234/`, `?entryId=1_abcd1234`). */
const ENTRY_ID_IN_LINK = new RegExp(`(?<=[/=])${ENTRY_ID_SOURCE}(?=$|[/?&#.;,])`);

/** Web links as members paste them; what ends a sentence (`.`, `)`, `>`) is not part of the link. */
const LINK = /https?:\/\/[^\s<>]+/gi;
const LINK_TRAILER = /[.,;:!?)\]>'"]+$/;

export function isEntryId(text: string): boolean {
	return WHOLE_ENTRY_ID.test(text);
}

/**
 * The first Kaltura entry a message names, reading it in order: an id on its own, or an id in a link to one of
 * the partner's hosts (`isPartnerLink` decides). An id in a link elsewhere is not taken: it is someone else's page.
 */
export function firstEntryIdIn(content: string, isPartnerLink: (url: string) => boolean): string | undefined {
	const found: { at: number; id: string }[] = [];
	const outsideLinks = content.replaceAll(LINK, (link, at: number) => {
		const url = link.replace(LINK_TRAILER, '');
		const id = isPartnerLink(url) ? entryIdInLink(url) : undefined;
		if (id !== undefined) found.push({ at, id });
		// Blanked out, so an id inside a link is never read again as one standing on its own.
		return ' '.repeat(link.length);
	});
	for (const match of outsideLinks.matchAll(BARE_ENTRY_ID)) found.push({ at: match.index, id: match[0] });
	return found.sort((a, b) => a.at - b.at)[0]?.id;
}

/** The entry id in a link's path or query, if it holds one. */
function entryIdInLink(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	return ENTRY_ID_IN_LINK.exec(`${parsed.pathname}${parsed.search}`)?.[0];
}
