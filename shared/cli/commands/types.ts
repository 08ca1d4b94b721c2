import type { CliIO } from '../io.js';

/**
 * One `guard` subcommand. New subcommands (e.g. `kb …`) add an entry to the table in `commands/index.ts`.
 */
export interface Command {
  readonly name: string;
  /** One line for `guard --help`. */
  readonly summary: string;
  readonly usage: string;
  /** Runs with the arguments after the subcommand name; resolves to the process exit code. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
