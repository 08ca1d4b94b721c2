/**
 * Test files that share their workers (vitest.config.ts's `patch-check` project, `isolate: false`): each worker runs
 * several of them one after another on one module graph, instead of a new process importing the whole graph again
 * per file. Only the patch check's tests: they call shared/analysis's pure functions of their input (a patch, a line,
 * a command) and import nothing else but the patch helpers (./patches.ts, ./growth.ts) and fixed fixtures, so a file
 * finds nothing another left behind; test/unit/support/shared-workers.test.ts keeps it so. Not shared/logs' tests: the
 * log dispatcher adapts to what it has read (its literal index, its digit-shape memo), and a file would read with what
 * the file before it taught it. Session 51, these 39 files alone, 2 cores (load 6-8): CPU 194 s -> 139 s, the same
 * 4,034 passing tests and 188 expected failures.
 */
export const SHARED_WORKER_FILES: readonly string[] = [
  'test/attack/attack-48-patch.test.ts',
  'test/attack/attack-51-patch.test.ts',
  'test/attack/attack-52-patch.test.ts',
  'test/attack/attack-53-patch.test.ts',
  'test/attack/attack-54-patch.test.ts',
  'test/attack/pass-10-patch-reading.test.ts',
  'test/attack/pass-12-package-runners.test.ts',
  'test/attack/pass-12-patch-gaps.test.ts',
  'test/attack/pass-12-remaining.test.ts',
  'test/attack/pass-13-bypasses.test.ts',
  'test/attack/pass-13-false-refusals.test.ts',
  'test/attack/pass-14-blank-runs.test.ts',
  'test/attack/pass-14-code-sinks.test.ts',
  'test/attack/pass-14-copies-and-saved-runs.test.ts',
  'test/attack/pass-14-helpers-reports.test.ts',
  'test/attack/pass-14-inline-programs.test.ts',
  'test/attack/pass-14-installers-heredocs-joins.test.ts',
  'test/attack/pass-14-quoted-separators.test.ts',
  'test/attack/pass-14-sink-findings.test.ts',
  'test/attack/pass-15-sink-spans.test.ts',
  'test/attack/pass-16-patch-code.test.ts',
  'test/attack/pass-16-patch-shell.test.ts',
  'test/attack/pass-16-shell-cost.test.ts',
  'test/attack/pass-8-fix-pr-remote-code.test.ts',
  'test/attack/pass-8-steered-text.test.ts',
  'test/attack/pass-9b-shell-reading.test.ts',
  'test/attack/patch-42.test.ts',
  'test/attack/patch-43.test.ts',
  'test/attack/patch-43c.test.ts',
  'test/attack/patch-44.test.ts',
  'test/attack/patch-45.test.ts',
  'test/attack/patch-45c.test.ts',
  'test/attack/patch-46c.test.ts',
  'test/attack/patch-48g-outside.test.ts',
  'test/attack/patch-review-43.test.ts',
  'test/attack/review-32-download-consumers.test.ts',
  'test/unit/analysis/injection-corpus.test.ts',
  'test/unit/analysis/patch-allowlist.test.ts',
  'test/unit/analysis/patch.test.ts',
];
