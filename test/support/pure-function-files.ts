import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The test files that only call functions: vitest.config.ts runs them in shared worker processes (project
 * "functions"), where a file's module graph (the analyzer's rule tables, the patch check, zod's schemas) is loaded
 * once per worker instead of once per file. None may set process-wide state it does not put back: no module mock,
 * no fake timers, no stubbed global or environment (test/unit/support/shared-process-files.test.ts reads them).
 * Among them the attack files that call the steps on a scratch store or fakes, without the local runtime.
 */
const FOLDERS = ['test/unit/logs', 'test/unit/analysis', 'test/unit/remediation', 'test/attack'] as const;

/**
 * Files of those folders that need a process of their own: a module mock (distinct-errors, the two redact-gated), the
 * environment changed (cli), a spy counting what the product does, whose count a cache warmed by an earlier file
 * would change (stored, injection-reads), and the static ReDoS check (expression-cost), which lists the expressions
 * built while the modules load: in a worker where an earlier file loaded them it saw 2,359 of the 2,494 and failed
 * (session 70's review). The attack files are chosen by what their text shows instead ({@link leavesProcessWideState}):
 * the attack files that start the local runtime share the integration tests' workers ({@link localRuntimeFiles}).
 */
const OWN_PROCESS = new Set([
  'test/unit/logs/cli.test.ts',
  'test/unit/logs/distinct-errors.test.ts',
  'test/unit/logs/expression-cost.test.ts',
  'test/unit/logs/redact-gated.test.ts',
  'test/unit/logs/redact-gated-includes.test.ts',
  'test/unit/logs/stored.test.ts',
  'test/unit/analysis/injection-reads.test.ts',
]);

/**
 * Files of the shared project's folders whose own work is seconds of CPU (the whole-corpus comparisons, the patch
 * check's heaviest attack files; session 71, the whole suite on a quiet machine, in-file CPU in brackets): their
 * start (~0.5 s) is small next to it, and in a shared worker their time depended on what ran before them. Session 70's
 * CI runs read attack-51-patch at 12-65 s and line-filter at 25-95 s, and the official run failed on line-filter's
 * 120 s limit; session 71, one worker running the project's files in turn, attack-51-patch took 25.0 s of CPU against
 * 5.8 s (attack-53-patch 10.6 against 4.0). In a process of their own they take the same time in every order.
 */
const HEAVY_IN_CPU = new Set([
  'test/unit/logs/line-filter.test.ts', // 49.0 s
  'test/unit/logs/literals.test.ts', // 32.8 s
  'test/unit/logs/gha-layouts.test.ts', // 17.4 s
  'test/attack/attack-52-patch.test.ts', // 8.8 s
  'test/unit/logs/whole-literals.test.ts', // 6.9 s
  'test/attack/attack-65-safety.test.ts', // 6.7 s
  'test/attack/attack-51-patch.test.ts', // 5.8 s
  'test/unit/logs/marked-line.test.ts', // 5.1 s
  'test/attack/attack-53-patch.test.ts', // 4.0 s
  'test/attack/attack-62-final.test.ts', // 3.8 s
  'test/attack/attack-70-safety.test.ts', // 3.0 s (session 72, quiet)
  'test/unit/logs/toolchains.test.ts', // 3.1 s
  'test/unit/logs/gha-real-tools.test.ts', // 2.8 s
  'test/unit/logs/fingerprint.test.ts', // 2.5 s
]);

/**
 * What outlives a test file in its process unless the file puts it back: a module mock, a stubbed global or variable,
 * fake timers, a clock set (`vi.setSystemTime` mocks `Date` without fake timers too).
 */
export const PROCESS_WIDE = /\bvi\.(?:mock|doMock|stubEnv|stubGlobal|useFakeTimers|setSystemTime)\(/;

/**
 * The environment written or deleted in the test's own code (a patch's text holding `process.env.X = …` is quoted,
 * behind a `'` or a `+`): by assignment (`=`, `??=`, `||=`, `&&=`, after a statement's start, a bracket, an arrow or
 * a comma), `delete`, `Object.assign`, `Reflect`'s and `Object`'s property writes, or a name bound to it at a line's
 * start (a patch's text quotes one behind a `"`). A patch's `+=` is left alone: the patch check's tests quote
 * `process.env.NODE_OPTIONS += …` after a `;`. The stack's and the local runtime's tests may set a variable and put
 * it back; the files that only call functions have no reason to.
 */
export const ENVIRONMENT_WRITTEN =
  /(?:^|[;{(),]|=>)\s*process\.env(?:\.\w+|\[[^\]\n]+\])\s*(?:\?\?|\|\||&&)?=(?!=)|\bdelete\s+process\.env\b|\b(?:Object\.(?:assign|defineProperty|defineProperties)|Reflect\.(?:set|defineProperty|deleteProperty))\(\s*process\.env\b|^\s*(?:const|let|var)\s+\w+\s*=\s*process\.env\s*;/m;

/**
 * An AWS SDK client class mocked (aws-sdk-client-mock's `mockClient(Class)`): it replaces the class's `send` for every
 * client of the process until restored. In a shared worker of the unit files, a file's mocked DynamoDBDocumentClient
 * answered the next files' stores (session 71: the approvals index and the command answers read `undefined`).
 */
export const SDK_CLIENT_MOCKED = /\bmockClient\(/;

/**
 * A spy on a module's export or a global: it stays in place for the next file of the worker until restored, and a
 * spy that counts what the product does counts what a cache warmed by an earlier file left undone (stored,
 * injection-reads: left out above).
 */
export const SPIED = /\bvi\.spyOn\(/;

/**
 * A cost test's fit of how a reading's CPU time grows with its input (test/support/growth.ts): it reads its process's
 * CPU time, which in a shared worker includes the collector's work on what the earlier files left, growing with the
 * text read. In session 70's first run of the shared project one such row (pass-14-blank-runs, Ruby's `eval` before
 * blanks: ~1 s alone) took 38.7 s and read as superlinear. These files keep a process of their own.
 */
export const MEASURES_CPU_GROWTH = /from '[./]*support\/growth\.js'/;

/** A client mock put back when the file ends: `afterAll(() => bedrock.restore())`. */
export const SDK_CLIENT_RESTORED = /\bafterAll\(\(\) => \w+\.restore\(\)\)/;

/**
 * A test file that starts the local runtime through the test harness (test/support/harness.ts); its scratch store
 * alone (`scratchStoreForFile`, `startScratchStore`) is not the runtime.
 */
export const STARTS_LOCAL_RUNTIME = /\b(?:useLocalRuntime|useLocalRuntimePerTest|startHarness)\(/;

/**
 * What a test file's own text shows that outlives it in a shared worker unless put back (the patterns above): a
 * module mock, a stubbed global, fake timers or a set clock, the environment written, a spy, an SDK client mocked and
 * not restored when the file ends. shared-process-guard.ts checks at each file's end what it can see of the same.
 */
export function leavesProcessWideState(text: string): boolean {
  return PROCESS_WIDE.test(text) || ENVIRONMENT_WRITTEN.test(text) || SPIED.test(text) || (SDK_CLIENT_MOCKED.test(text) && !SDK_CLIENT_RESTORED.test(text));
}

/**
 * Whether an attack file shares the workers of project "functions": it neither starts the local runtime (those
 * share the integration tests' workers: {@link localRuntimeFiles}) nor leaves process-wide state. The attack files
 * were chosen by a name pattern until session 72, which left 36 files of product steps, stores and adapters (~0.5 s
 * of work each, ~1 s to start and import) in processes of their own.
 */
function sharesFunctionWorkers(text: string): boolean {
  return !STARTS_LOCAL_RUNTIME.test(text) && !leavesProcessWideState(text);
}

/** The test files directly in `folder` (relative to `root`), as paths relative to `root` with `/` separators. */
function testFilesIn(root: string, folder: string): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => `${folder}/${name}`);
}

/** The files, relative to `root` (the repository) with `/` separators, in name order. */
export function pureFunctionFiles(root: string): string[] {
  return FOLDERS.flatMap((folder) =>
    testFilesIn(root, folder)
      .filter((path) => {
        if (OWN_PROCESS.has(path) || HEAVY_IN_CPU.has(path)) return false;
        const text = readFileSync(join(root, path), 'utf8');
        return !MEASURES_CPU_GROWTH.test(text) && (folder !== 'test/attack' || sharesFunctionWorkers(text));
      })
      .sort(),
  );
}

/**
 * The attack files that start the local runtime (through the harness) and leave no process-wide state: vitest.config.ts
 * runs them with the integration tests (project "integration"), whose workers already paid a process's first local
 * runtime (~2.1 s of CPU; the next ~0.26 s). A fit of a file's own CPU time's growth ({@link MEASURES_CPU_GROWTH})
 * keeps a process of its own. Relative to `root` with `/` separators, in name order.
 */
export function localRuntimeFiles(root: string): string[] {
  return testFilesIn(root, 'test/attack')
    .filter((path) => {
      const text = readFileSync(join(root, path), 'utf8');
      return STARTS_LOCAL_RUNTIME.test(text) && !leavesProcessWideState(text) && !MEASURES_CPU_GROWTH.test(text);
    })
    .sort();
}

/**
 * The unit tests of the pipeline's steps, its state machine, stores, adapters, GitHub client, notifications and the
 * rest of the product under test/unit: vitest.config.ts runs them in shared worker processes too (project "units").
 * Each loaded much of the product (the steps, the stores, the AWS SDK clients, zod's schemas, the analyzer) in a
 * process of its own for ~0.3 s of CPU of work of its own: session 71's whole-suite measurement, 131 of these files,
 * 66 s of CPU to start and import, 28 s of tests. The same checks as the files above hold (the guard test reads them).
 * test/unit/runtime's files compose the functions as a cold start does, and the composition root keeps what it built
 * for the process: its secret reader (built once, with the first configuration that names a secret's ARN; none of the
 * shared files names one to a reader), the stores served in-process and the local adapters in use (each registration
 * ended by the test that made it).
 */
const UNIT_FOLDERS = [
  'test/unit',
  'test/unit/adapters',
  'test/unit/api',
  'test/unit/baselines',
  'test/unit/cli',
  'test/unit/dashboard',
  'test/unit/domain',
  'test/unit/experiments',
  'test/unit/github',
  'test/unit/ingest',
  'test/unit/knowledge',
  'test/unit/notify',
  'test/unit/reconcile',
  'test/unit/runtime',
  'test/unit/scripts',
  'test/unit/statemachine',
  'test/unit/steps',
  'test/unit/stores',
] as const;

/**
 * Files of those folders that keep a process of their own: a module mock (gate-access, sign-in, request-limiter,
 * comment-commands), the clock set (client.hold), a spy (ssm-automation, octokit-stand-ins, holder-asking), an AWS
 * SDK client class mocked ({@link SDK_CLIENT_MOCKED}: alarm-tags, aws-adapters, lambda-async, escalation-message,
 * incident-resolution-condition), a fit of its own CPU time's growth ({@link MEASURES_CPU_GROWTH}: comment-text), and
 * the ones whose own work is seconds of CPU next to their start's ~0.3 s (stats, fix-record, expression-cache): last
 * session a file heavy in CPU ran 2-3x slower in a shared worker than alone, its heap beside what the earlier files
 * left. Of test/unit/runtime: module mocks or fake timers (handler-timeouts, local-step-timeout, invocation-deadline,
 * github-credential-rotation, queue-consumer, reconciler-timer), spies (local-adapters, local-workflow-timeout) and
 * the environment written (secret-settings).
 */
const UNIT_OWN_PROCESS = new Set([
  'test/unit/adapters/alarm-tags.test.ts',
  'test/unit/adapters/aws-adapters.test.ts',
  'test/unit/adapters/lambda-async.test.ts',
  'test/unit/adapters/ssm-automation.test.ts',
  'test/unit/baselines/gate-access.test.ts',
  'test/unit/dashboard/sign-in.test.ts',
  'test/unit/domain/comment-text.test.ts',
  'test/unit/experiments/stats.test.ts',
  'test/unit/github/client.hold.test.ts',
  'test/unit/github/octokit-stand-ins.test.ts',
  'test/unit/github/request-limiter.test.ts',
  'test/unit/ingest/comment-commands.test.ts',
  'test/unit/knowledge/fix-record.test.ts',
  'test/unit/notify/escalation-message.test.ts',
  'test/unit/notify/holder-asking.test.ts',
  'test/unit/runtime/expression-cache.test.ts',
  'test/unit/runtime/github-credential-rotation.test.ts',
  'test/unit/runtime/handler-timeouts.test.ts',
  'test/unit/runtime/invocation-deadline.test.ts',
  'test/unit/runtime/local-adapters.test.ts',
  'test/unit/runtime/local-step-timeout.test.ts',
  'test/unit/runtime/local-workflow-timeout.test.ts',
  'test/unit/runtime/queue-consumer.test.ts',
  'test/unit/runtime/reconciler-timer.test.ts',
  'test/unit/runtime/secret-settings.test.ts',
  'test/unit/stores/incident-resolution-condition.test.ts',
]);

/** The unit files that share worker processes (project "units"), relative to `root` with `/` separators, in name order. */
export function sharedUnitFiles(root: string): string[] {
  return UNIT_FOLDERS.flatMap((folder) =>
    testFilesIn(root, folder)
      .filter((path) => !UNIT_OWN_PROCESS.has(path))
      .sort(),
  );
}
