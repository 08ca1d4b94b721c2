import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UsageError } from './args.js';

/** Console output for the CLI, injectable so tests can capture it. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: AsyncIterable<Uint8Array | string>;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  // A getter: Node sets up process.stdin on first access (a few ms), which only `guard analyze -` needs.
  get stdin() {
    return process.stdin;
  },
};

/** Checks that `path` is a readable regular file, failing with a one-line reason; returns its stats. */
export async function regularFile(path: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (!info.isFile()) throw new UsageError(`cannot read ${path}: not a regular file`);
  return info;
}

