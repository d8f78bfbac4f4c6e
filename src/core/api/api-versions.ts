/**
 * The API's versions and their lifecycle. A route belongs to one version (`/api/v<N>/...`); a new
 * version's routes sit beside the old ones, and once a version is deprecated every response of its
 * routes carries `Deprecation`, `Sunset` and a `Link` to its successor (RFC 9745, RFC 8594).
 */
export type ApiVersionPolicy =
	| { readonly status: 'current' }
	| { readonly status: 'deprecated'; readonly deprecatedAt: Date; readonly sunsetAt: Date; readonly successor: number };

export type ApiVersion = 1;

export const API_VERSIONS: Readonly<Record<ApiVersion, ApiVersionPolicy>> = {
	1: { status: 'current' }
};

export function deprecationHeaders(version: ApiVersion, path: string): Record<string, string> {
	const policy: ApiVersionPolicy = API_VERSIONS[version];
	if (policy.status !== 'deprecated') return {};
	return {
		Deprecation: `@${Math.floor(policy.deprecatedAt.getTime() / 1000)}`,
		Sunset: policy.sunsetAt.toUTCString(),
		Link: `</api/v${policy.successor}/${path}>; rel="successor-version"`
	};
}
