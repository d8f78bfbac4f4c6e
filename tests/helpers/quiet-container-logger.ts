import { container } from '@sapphire/framework';

type ContainerLogger = typeof container.logger;

/**
 * For the enclosing `describe`: Sapphire's container gets a quiet logger of its own (one left by an earlier
 * test's bot may be closed, and writing to it warns), restored afterwards. `warn` may be replaced to read
 * what the code under test warns about.
 */
export function useQuietContainerLogger(overrides: { warn?: (message: string) => void } = {}): void {
	let saved: ContainerLogger | undefined;
	before(() => {
		saved = (container as { logger?: ContainerLogger }).logger;
		const quiet = () => undefined;
		// Only the methods the code under test calls; the rest of ILogger is never reached.
		container.logger = {
			debug: quiet,
			info: quiet,
			warn: overrides.warn ?? quiet,
			error: quiet,
			trace: quiet,
			fatal: quiet,
			write: quiet,
			has: () => false
		} as unknown as ContainerLogger;
	});
	after(() => {
		if (saved === undefined) Reflect.deleteProperty(container, 'logger');
		else container.logger = saved;
	});
}
