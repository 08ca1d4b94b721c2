/**
 * Minimal argument parser shared by the `guard` subcommands: `--flag`, `--key value`, `--key=value` and
 * positionals. Unknown options are rejected so a typo fails loudly instead of being ignored.
 */

/** Raised for bad command-line usage; `main` prints the message on one line and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The usage error for a missing or unknown subcommand of `command`, naming the valid ones. */
export function subcommandError(command: string, sub: string | undefined, valid: readonly string[]): UsageError {
  const list = valid.length > 1 ? `${valid.slice(0, -1).join(', ')} or ${valid.at(-1)}` : (valid[0] ?? '');
  return new UsageError(sub === undefined ? `${command} needs a subcommand: ${list}` : `unknown ${command} subcommand "${sub}": use ${list}`);
}

export interface OptionSpec {
  /** Options that take a value. */
  values?: readonly string[];
  /** Boolean flags. */
  flags?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

/** Parses `argv` (without the subcommand name) against `spec`. */
export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--?/, '');
    if (spec.flags?.includes(name)) {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
    } else if (spec.values?.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positionals, values, flags };
}

/** Reads a positive integer option, or `fallback` when absent. */
export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`option --${name} must be a non-negative integer, got "${raw}"`);
  return n;
}
