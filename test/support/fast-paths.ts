import { SCANNER_TRIGGERS, setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../shared/logs/dispatch.js';
import { analyzeLog, LogScanner, type LogAnalysis } from '../../shared/logs/index.js';
import { LineFilter } from '../../shared/logs/line-filter.js';
import { forEachLine, type LineGate } from '../../shared/logs/reader.js';

/**
 * `bytes` analysed in 512-byte chunks (a first chunk is never filtered) twice: reading every line with every rule,
 * then with the literal index, the digit-shape memo and the line filter forced on from the first line. It puts them
 * back itself ({@link restoreFastPaths}), whatever the caller does: the files that call it share worker processes
 * (test/support/pure-function-files.ts), and one that did not put them back (jenkins-timestamps) left every later
 * file of its worker reading with them forced on.
 */
export async function analyzedBothWays(bytes: Buffer): Promise<{ everyLine: LogAnalysis; fast: LogAnalysis }> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += 512) yield bytes.subarray(at, at + 512);
  }
  // Switched off, not left as the last test put them: an index built by an earlier call stays built, and a
  // reference read with it would compare the fast paths with themselves.
  try {
    setIndexUse(false);
    setShapeMemoUse(false);
    setLineFilterUse(false);
    const everyLine = await analyzeLog(chunks());
    setIndexUse(true);
    setShapeMemoUse('always');
    setLineFilterUse(true);
    return { everyLine, fast: await analyzeLog(chunks()) };
  } finally {
    restoreFastPaths();
  }
}

/** Puts back what {@link analyzedBothWays} forced on (it does so itself): the index on, the line filter by log size, the memo on. */
export function restoreFastPaths(): void {
  setIndexUse(null);
  setShapeMemoUse(true);
  setLineFilterUse(null);
}

/** Each failure, analysed both ways (see {@link analyzedBothWays}). */
export async function failuresBothWays(bytes: Buffer): Promise<{ everyLine: unknown[]; fast: unknown[] }> {
  // Everything a failure says but the analysis's timing: its lines, picked lines, tally and repeats as well.
  const found = (analysis: LogAnalysis): unknown[] => analysis.failures;
  const { everyLine, fast } = await analyzedBothWays(bytes);
  return { everyLine: found(everyLine), fast: found(fast) };
}

/**
 * `bytes` read in chunks of `chunkBytes` by a scanner with the line filter on (the reader reads its first chunk
 * whole): the scanner, to be finished, and how many lines it took unread while it was not idle.
 */
export async function takenWhileBusy(bytes: Buffer, chunkBytes: number): Promise<{ scanner: LogScanner; taken: number }> {
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
  }
  const scanner = new LogScanner();
  let taken = 0;
  const gate: LineGate = {
    filter: () => new LineFilter(SCANNER_TRIGGERS),
    skip: (line, chunk, start, end) => {
      const busy = !scanner.idle();
      const took = scanner.skip(line, chunk, start, end);
      if (busy && took) taken++;
      return took;
    },
    release: (memory) => scanner.release(memory),
  };
  await forEachLine(chunks(), (line, text, raw) => scanner.push(line, text, raw), Number.POSITIVE_INFINITY, gate);
  return { scanner, taken };
}
