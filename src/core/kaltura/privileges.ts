/**
 * Parses a privileges string the way Kaltura does (`ks::parsePrivileges`: `,` between privileges, the
 * first `:` before the value) into name and value; `*` alone is Kaltura's `all:*`.
 */
export function privilegeMap(privileges: string): Map<string, string> {
	const map = new Map<string, string>();
	for (const raw of privileges.split(',')) {
		const privilege = raw.trim() === '*' ? 'all:*' : raw.trim();
		if (privilege === '') continue;
		const separator = privilege.indexOf(':');
		map.set(separator === -1 ? privilege : privilege.slice(0, separator), separator === -1 ? '' : privilege.slice(separator + 1));
	}
	return map;
}
