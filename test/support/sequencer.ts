import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that spend most of their time waiting in real time, not computing: each waits out a real one-minute
 * approval in the local runtime (the shortest `approvalTimeoutMinutes` a policy may set), a child process killed and
 * restarted, or a dashboard's refresh timer in a browser. Session 46, a quiet 2-core machine: the first five took
 * 63–114 s each, ~540 s of worker time together, nearly all of it asleep. Session 51: their approval waits begin 40 s
 * into the minute (ONE_MINUTE_APPROVAL_WAIT in ./harness.ts), and the five took 22–86 s each, 271 s together (446 s
 * before, the same five alone).
 */
export const REAL_TIME_FILES: readonly string[] = [
  'test/attack/alarms-40.test.ts',
  'test/attack/alarms-42.test.ts',
  'test/attack/alarms-42b.test.ts',
  'test/integration/guard-command-after-restart.test.ts',
  'test/attack/pass-15-stale-approval.test.ts',
  'test/integration/approval-taken-mid-request-crash.test.ts',
  'test/e2e/dashboard-paging.test.ts',
];

function isRealTime(spec: TestSpecification): boolean {
  const path = spec.moduleId.replaceAll('\\', '/');
  return REAL_TIME_FILES.some((file) => path.endsWith(`/${file}`));
}

/**
 * Vitest's order (failed first, then longest first when a previous run's timings are cached, else largest first),
 * with the files that wait in real time spread evenly over the first three quarters of the run instead. Vitest
 * hands the next file to whichever worker is free, so long files given out together hold workers together: in a
 * clean checkout (CI's, no cache) these small files came last and made the run's tail (the last minute spent on one
 * approval wait), and with a cache they came first and held every worker asleep at once. Spread out, about two
 * wait at a time while the other workers (the config runs two more than the cores) keep the cores busy.
 */
export class SpreadRealTimeSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return spreadOut(await super.sort(files), isRealTime);
  }
}

/**
 * `sorted` with the items `waits` picks moved to even intervals over the first three quarters of the others, in their
 * order, the first of them first; those that do not fit (fewer others than spreading needs) go last.
 */
export function spreadOut<T>(sorted: readonly T[], waits: (item: T) => boolean): T[] {
  const waiting = sorted.filter(waits);
  const rest = sorted.filter((item) => !waits(item));
  if (waiting.length === 0) return [...sorted];
  const every = Math.max(1, Math.floor((rest.length * 3) / 4 / waiting.length));
  const ordered: T[] = [];
  rest.forEach((item, index) => {
    if (index % every === 0 && index / every < waiting.length) ordered.push(waiting[index / every] as T);
    ordered.push(item);
  });
  for (let k = Math.ceil(rest.length / every); k < waiting.length; k++) ordered.push(waiting[k] as T);
  return ordered;
}
