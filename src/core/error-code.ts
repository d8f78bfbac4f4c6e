/**
 * The `code` Node puts on system and loader errors (`ENOENT`, `ERR_MODULE_NOT_FOUND`), or undefined
 * for anything else thrown: callers branch on a missing file or module without trusting what was thrown.
 */
export function errorCode(error: unknown): string | undefined {
	return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A thrown value's message: an Error's own, anything else as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
