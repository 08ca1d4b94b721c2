import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 60's review of the compiled-language sweep's rules (NUnit 2's `N) Test Failure :`, the JUnit 5 console
// launcher's `Failures (N):`, go's have/want lines, common_test's paragraphs): real runs of the same tools that
// passed, with their skipped and ignored tests in the shapes the rules read, each expected to be no failure.

interface PassingRun {
  name: string;
  log: string[];
  /** Why the extractor still reports a failure in it, when it does (found by this review, not fixed): an expected failure. */
  open?: string;
}

const PASSING: PassingRun[] = [
  {
    // nunit-console 2.6.4 on Mono 6.8: an ignored test is listed under `Tests Not Run:` as `1) Ignored : Name`.
    name: "NUnit 2's `Tests Not Run:` list with `1) Ignored : OkTests.Later`",
    log: [
      'ProcessModel: Default    DomainUsage: Single',
      'Execution Runtime: mono-4.0',
      '.N.',
      'Tests run: 1, Errors: 0, Failures: 0, Inconclusive: 0, Time: 0.0396258 seconds',
      '  Not run: 1, Invalid: 0, Ignored: 1, Skipped: 0',
      '',
      'Tests Not Run:',
      '1) Ignored : OkTests.Later',
      '   flaky on CI',
      '',
    ],
  },
  {
    // junit-platform-console-standalone 1.9.1 (colour off): a disabled test's `↷` and the summary's `0 tests failed`.
    name: "the JUnit 5 console launcher's tree and summary of a passing run with a disabled test",
    log: [
      '╷',
      '├─ JUnit Platform Suite ✔',
      '├─ JUnit Jupiter ✔',
      '│  └─ PassTest ✔',
      '│     ├─ sum() ✔',
      '│     └─ later() ↷ needs a database',
      '└─ JUnit Vintage ✔',
      '',
      'Test run finished after 317 ms',
      '[         4 containers found      ]',
      '[         0 containers skipped    ]',
      '[         4 containers started    ]',
      '[         0 containers aborted    ]',
      '[         4 containers successful ]',
      '[         0 containers failed     ]',
      '[         2 tests found           ]',
      '[         1 tests skipped         ]',
      '[         1 tests started         ]',
      '[         0 tests aborted         ]',
      '[         1 tests successful      ]',
      '[         0 tests failed          ]',
    ],
  },
  {
    // ct_run of OTP 25: a case that returns `{skip, …}` and the run's `0 failed, 1 skipped` verdict.
    name: "common_test's `*** SKIPPED test case` and `TEST COMPLETE, 1 ok, 0 failed, 1 skipped`",
    log: [
      'TEST INFO: 1 test(s), 2 case(s) in 1 suite(s)',
      '',
      'Testing v.ct: Starting test, 2 test cases',
      'Testing v.ct: *** SKIPPED test case 2 of 2 ***',
      'Testing v.ct: TEST COMPLETE, 1 ok, 0 failed, 1 skipped of 2 test cases',
      '',
      'Updating /home/runner/work/kv/kv/logs/index.html ... done',
      'Updating /home/runner/work/kv/kv/logs/all_runs.html ... done',
    ],
  },
];

describe("passing runs of the compiled-language sweep's tools (session 60)", () => {
  for (const run of PASSING) {
    const row = run.open === undefined ? it : it.fails;
    row(`reports no failure: ${run.name}${run.open === undefined ? '' : `, open: ${run.open}`}`, async () => {
      // Act
      const analysis = await analyzeLog(run.log.join('\n'));
      // Assert
      expect(analysis.failures.map((f) => `${f.rule}@${f.startLine}`)).toEqual([]);
    });
  }
});
