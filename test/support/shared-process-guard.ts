// Powertools' commons module, which the product's logger loads, appends Powertools' user agent to AWS_SDK_UA_APP_ID
// once a process as it first loads. Loaded here, before any file's snapshot, that one write is not charged to whichever
// file of a worker happens to load Powertools first (session 71's CI run failed integration/learning.test.ts for it).
import '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, vi } from 'vitest';

/**
 * Runs around every test file of the projects whose files share worker processes (vitest.config.ts): what a file
 * changes for the whole process and leaves changed reaches whichever files the worker runs next, an order that
 * changes from run to run. test/unit/support/shared-process-files.test.ts refuses the spellings it can read in a
 * test file's own text; this checks, when the file ends, what it can see whatever wrote it (a helper module too):
 * the environment, fake timers and a mocked clock. A file that fails here fails in every order, not in one.
 */
let environmentBefore = new Map<string, string | undefined>();

beforeAll(() => {
  environmentBefore = new Map(Object.entries(process.env));
});

afterAll(() => {
  const left: string[] = [];
  const names = new Set([...environmentBefore.keys(), ...Object.keys(process.env)]);
  for (const name of names) {
    if (process.env[name] !== environmentBefore.get(name)) left.push(`process.env.${name} changed and not put back`);
  }
  if (vi.isFakeTimers()) left.push('fake timers still installed (vi.useRealTimers() not called)');
  // A clock set with vi.setSystemTime outlives the file through Date; the wall clock and the monotonic one agree to
  // within the time a busy machine may take between the two reads.
  const skew = Math.abs(Date.now() - (performance.timeOrigin + performance.now()));
  if (skew > 60_000) left.push(`Date is ${Math.round(skew / 1000)} s away from the process's clock (a mocked system time)`);
  if (left.length > 0) throw new Error(`This file leaves process-wide state to the next files of its worker:\n- ${left.join('\n- ')}`);
});
