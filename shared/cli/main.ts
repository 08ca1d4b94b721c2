/**
 * `guard` — the Pipeline Guard command line. Dispatches to the subcommands in `commands/index.ts`.
 * Errors print a one-line reason on stderr: usage errors exit 2, anything else exits 1.
 */
import { pathToFileURL } from 'node:url';
import { userMessage } from '../errors.js';
import { UsageError } from './args.js';
import { COMMANDS, type Command } from './commands/index.js';
import { processIO, type CliIO } from './io.js';

function help(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: guard <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "guard <command> --help" for a command\'s options.',
  ].join('\n');
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO, commands: readonly Command[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`guard: unknown command "${name}" (try guard --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`guard ${name}: ${error.message}`);
      return 2;
    }
    // Loaded on failure only: it brings zod (for the runtime file's schema), which `guard analyze` need not load.
    const { explainReachError, NothingToReachError } = await import('./local-runtime.js');
    io.err(`guard ${name}: ${explainReachError(error) ?? userMessage(error, [NothingToReachError]).split('\n')[0]}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
