import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scannerLineFilter, setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../shared/logs/dispatch.js';
import { analyzedBothWays } from '../support/fast-paths.js';
import { pureFunctionFiles } from '../support/pure-function-files.js';

// Review of units70 (session 70): 214 test files that only call functions share worker processes (project
// "functions", isolate: false), so what one file leaves in a module is what the next file in that worker starts
// with. Each row was seen failing first.
// Open: none yet (see the rows marked it.fails).

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('state that outlives a file in a shared worker', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
    setLineFilterUse(null);
  });

  // Seen failing: run after test/unit/logs/gaps-65.test.ts in one worker (`--project functions --maxWorkers=1`),
  // expression-cost's static ReDoS check failed (a redaction expression built on first use listed, the expressions
  // composed while the modules load unlisted: 2,359 listed instead of 2,494, 46 of known-superlinear's keys unseen).
  it('leaves out of the shared workers the files that list the expressions built while the modules load', () => {
    const listing = pureFunctionFiles(ROOT).filter((path) => /\blistExpressions\b/.test(readFileSync(resolve(ROOT, path), 'utf8')));
    expect(listing).toEqual([]);
  });

  // Seen failing: test/unit/logs/jenkins-timestamps.test.ts called analyzedBothWays and put nothing back, so every
  // later file in its worker read with the literal index, the 'always' memo and the line filter forced on.
  it('puts the fast paths back after reading a log both ways', async () => {
    await analyzedBothWays(Buffer.from('Run npm test\nnpm ERR! code ELIFECYCLE\n'));
    expect(scannerLineFilter(1)).toBeNull();
  });
});
