import { describe, it } from 'vitest';
import { expectTopFailure, type TopFailureRow } from '../support/top-failure.js';

// Session 57's review of branch sweep57b's rule changes: output of other tools and programs in the shapes the new
// rules read, each expected to be read as it was before the change or better.

/** A Python script's uncaught exception (CPython 3.12), under a shell harness's verdicts. */
const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/home/runner/work/app/app/check.py", line 3, in <module>',
  '    main()',
  'ValueError: bad config',
];

const ROWS: TopFailureRow[] = [
  {
    // A script's own `[OK]`/`[FAILED]` verdicts are not Nim's unittest: Nim's report under a verdict is its
    // check's or exception's lines four spaces in. Taken as Nim's, the verdict took the traceback above it.
    name: "a shell harness's `[FAILED] step` under a Python traceback, an `[OK]` verdict above both",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: ['[OK] lint', ...TRACEBACK, '[FAILED] unit tests'],
  },
  {
    // The harness's summary at the end says that a step failed, not why: the traceback above says why.
    name: "a shell harness's summary (`[OK] lint`, `[FAILED] unit tests`) below the traceback it ran into",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: [...TRACEBACK, '==== summary ====', '[OK] lint', '[FAILED] unit tests'],
  },
  {
    // A note four spaces in under the traceback is no check of Nim's (its file and position, a value's `was`, an
    // exception's `Unhandled exception:`).
    name: "a shell harness's `[FAILED] step` under a traceback and the script's indented hint",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: ['[OK] lint', ...TRACEBACK, '    see docs/config.md for the keys', '[FAILED] unit tests'],
  },
];

describe('sweep 57 (sweep57b): the extractor on output the new rules must leave alone', () => {
  it.each(ROWS)('$name', expectTopFailure);
});
