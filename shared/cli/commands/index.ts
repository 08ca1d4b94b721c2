import { ANALYZE_META, EXPERIMENTS_META, EXTRACT_META, INCIDENTS_META, KB_META } from './meta.js';
import type { Command } from './types.js';

export type { Command } from './types.js';

/**
 * A command whose module is imported when it runs, not when the CLI starts: `guard analyze` on a one-line log
 * then loads the log engine only (the AWS SDK, zod schemas and stores of `kb`/`experiments` cost ~1 s under tsx).
 */
function lazy(meta: { readonly name: string; readonly summary: string; readonly usage: string }, load: () => Promise<Command>): Command {
  return { ...meta, run: async (argv, io) => (await load()).run(argv, io) };
}

/** The `guard` command table. Add a subcommand by appending its {@link Command} here (and its text to `meta.ts`). */
export const COMMANDS: readonly Command[] = [
  lazy(ANALYZE_META, async () => (await import('./analyze.js')).analyzeCommand),
  lazy(EXTRACT_META, async () => (await import('./extract.js')).extractCommand),
  lazy(KB_META, async () => (await import('./kb.js')).kbCommand),
  lazy(EXPERIMENTS_META, async () => (await import('./experiments.js')).experimentsCommand),
  lazy(INCIDENTS_META, async () => (await import('./incidents.js')).incidentsCommand),
];
