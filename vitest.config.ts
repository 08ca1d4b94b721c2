import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { localRuntimeFiles, pureFunctionFiles, sharedUnitFiles } from './test/support/pure-function-files.js';
import { SpreadRealTimeSequencer } from './test/support/sequencer.js';

// V8's compiled code for what the test workers load through Node's own loader (vitest's runtime, the AWS SDK, zod,
// aws-cdk-lib...), kept on disk: each test file starts a fresh worker process, which otherwise compiled the same
// modules again. Workers inherit this process's environment. Node checks each entry against its source and its own
// version, so a stale entry is recompiled, never used. 40 small test files: 39-42 s of CPU without, 35 s with.
process.env.NODE_COMPILE_CACHE ??= fileURLToPath(new URL('./node_modules/.cache/node-compile-cache', import.meta.url));

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const PURE_FUNCTION_FILES = pureFunctionFiles(ROOT);
const SHARED_UNIT_FILES = sharedUnitFiles(ROOT);
const LOCAL_RUNTIME_FILES = localRuntimeFiles(ROOT);
/** Checks, as each file of a project with shared worker processes ends, that it put back what the whole process sees. */
const SHARED_PROCESS_GUARD = 'test/support/shared-process-guard.ts';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    environment: 'node',
    // Two test files more than the cores. Vitest's default for a run is one fewer than the cores, which leaves a
    // 2-core machine (CI's) running the files one after another while its main process mostly waits. And some files
    // spend a minute or more asleep in real time (a one-minute approval wait, a child process restarting: see
    // REAL_TIME_FILES): the sequencer spreads them over the run so that about two wait at a time while the other
    // workers keep the cores busy. Session 43, 2 cores, quiet: 570 s with 2 workers, 475 s with 3. Session 46: with 3
    // workers the three longest waiting files ran together, leaving one worker for two cores for two minutes.
    maxWorkers: availableParallelism() + 2,
    sequence: { sequencer: SpreadRealTimeSequencer },
    // A limit for a test that hangs, not a speed check (the benchmarks measure speed): the heaviest tests take 8-15 s
    // on a quiet 2-core machine, and with four files sharing two cores under load (session 46's CI run beside other
    // work: 36 s for an 8-second store test) 30 s failed a run that had nothing wrong.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    projects: [
      {
        // The stack's tests share worker processes. Each synthesizes templates and checks them with aws-cdk-lib's
        // template validation, whose engine takes ~2.5 s of CPU to start and aws-cdk-lib ~0.4 s to load: in a
        // process per file that was paid 14 times (164 s of CPU for these files, more a file than any other folder's).
        // They only build apps and read templates; what a file keeps is released after it (test/infra/file-setup.ts),
        // but for what every file would build alike: the default stack (one a worker) and each function's bundle as
        // synth builds it (one a run, shared by the workers through global setup's directory: test/infra/support.ts).
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false, setupFiles: ['test/infra/file-setup.ts', SHARED_PROCESS_GUARD] },
      },
      {
        // The local runtime's tests share worker processes too. A process's first local runtime costs ~2.1 s of CPU
        // (importing every stage, the SDK clients and the embedded Step Functions, and compiling them), the next ones
        // ~0.26 s; every file starts and closes its own runtimes, and none sets process-wide state it does not put
        // back (no module mocks, no fake timers: test/unit/support/shared-process-files.test.ts). Busy machine, these
        // 71 files: 311 s of CPU isolated, 204 s not. Since session 72 the attack files that start the local runtime
        // and leave nothing process-wide run here too (test/support/pure-function-files.ts, localRuntimeFiles): 13
        // files alone, one period of a very busy machine, 123 s of CPU isolated, 100 s here.
        test: { name: 'integration', include: ['test/integration/**/*.test.ts', ...LOCAL_RUNTIME_FILES], isolate: false, setupFiles: [SHARED_PROCESS_GUARD] },
      },
      {
        // The files that only call the analyzer's, the patch check's and the planner's functions share worker processes
        // as well (test/support/pure-function-files.ts says which, and why the others are left out): in a process per
        // file each imported the rule tables, the patch check and zod's schemas again. Session 70, 22 of these files
        // (a sample of each folder), one run each in one period of a very busy machine: 36.3 s of CPU isolated, 25.6 s
        // not (vitest's import share 15 % → 5 %), about 0.5 s a file. Since session 72 the attack files are chosen by
        // what their text shows, not their name: those of the steps, the scratch store and the adapters joined.
        test: { name: 'functions', include: PURE_FUNCTION_FILES, isolate: false, setupFiles: [SHARED_PROCESS_GUARD] },
      },
      {
        // The unit tests of the steps, the state machine, the stores, the adapters and the GitHub client share worker
        // processes too (test/support/pure-function-files.ts says which, and why the others are left out): each loaded
        // much of the product again in a process of its own (the steps, the stores, the SDK clients, zod's schemas, the
        // analyzer's tables), for ~0.2 s of work of its own. Session 71, these 124 files, one period of a very busy
        // machine: 132 s of CPU isolated (workers 113 s), 40 s not (workers 25 s, in 4 processes). Session 72 added
        // test/unit/runtime's and test/unit's own files that leave nothing process-wide; with the attack files that
        // joined "functions", 55 files, one period of a very busy machine: 76.5 s of CPU isolated, 40.2 s not.
        test: { name: 'units', include: SHARED_UNIT_FILES, isolate: false, setupFiles: [SHARED_PROCESS_GUARD] },
      },
      {
        // What is left keeps a process per file: module mocks, fake timers, a set clock, spies, the environment
        // written, a fit of a file's own CPU time's growth, the files heavy in CPU, the browser's tests.
        test: {
          name: 'guard',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/infra/**', 'test/integration/**', ...LOCAL_RUNTIME_FILES, ...PURE_FUNCTION_FILES, ...SHARED_UNIT_FILES],
        },
      },
    ],
  },
});
