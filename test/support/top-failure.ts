import { expect } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

/** A log and what the extractor must make of it: the review tables of the extractor's rule changes (test/attack). */
export interface TopFailureRow {
  name: string;
  /** The log's lines. */
  log: string[];
  /** The top failure's rule and most telling line. */
  rule: string;
  head: string;
  /** A rule that must not report anything in this log. */
  absent?: string;
  /** The line (1-based) the top failure's block must start on: nothing above it is that failure's. */
  startLine?: number;
  /** The line (1-based) the top failure's block must end on: nothing below it is that failure's. */
  endLine?: number;
}

/** Analyses the row's log and checks its top failure against the row. */
export async function expectTopFailure({ log, rule, head, absent, startLine, endLine }: TopFailureRow): Promise<void> {
  // Act
  const analysis = await analyzeLog(log.join('\n'));
  // Assert
  const top = analysis.failures[0];
  expect([top?.rule, top?.lines[0]?.text.trim()]).toEqual([rule, head]);
  if (startLine !== undefined) expect(top?.startLine).toBe(startLine);
  if (endLine !== undefined) expect(top?.endLine).toBe(endLine);
  if (absent !== undefined) expect(analysis.failures.map((f) => f.rule)).not.toContain(absent);
}
