import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 60's sweep of JavaScript framework builds and Node tooling (test/fixtures/gha-real-tools, test/unit/logs/
// web-60.test.ts): the same tools' runs that pass, with their progress, warnings, coverage tables and test names, real
// output of the tools on this machine (the projects' paths rewritten to the runner's). None of them holds a failure.

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
function ghaStep(script: readonly string[], output: readonly string[]): string[] {
  return [`##[group]Run ${script[0]}`, ...script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output];
}

interface PassingRun {
  name: string;
  script: string[];
  output: string[];
}

const PASSING_RUNS: PassingRun[] = [
  {
    name: "c8 12 --check-coverage passing its thresholds over node --test: the TAP output (`# fail 0`) and the coverage table",
    script: ["npx c8 --check-coverage --lines 50 --functions 50 --branches 50 node --test"],
    output: [
      "TAP version 13",
      "# Subtest: totals items",
      "ok 1 - totals items",
      "  ---",
      "  duration_ms: 0.797779",
      "  type: 'test'",
      "  ...",
      "1..1",
      "# tests 1",
      "# suites 0",
      "# pass 1",
      "# fail 0",
      "# cancelled 0",
      "# skipped 0",
      "# todo 0",
      "# duration_ms 76.737544",
      "----------|---------|----------|---------|---------|-------------------",
      "File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ",
      "----------|---------|----------|---------|---------|-------------------",
      "All files |   51.51 |    71.42 |      50 |   51.51 |                   ",
      " cart.js  |      75 |      100 |      50 |      75 | 8-10              ",
      " price.js |   38.09 |       50 |      50 |   38.09 | 3-4,6-7,11-19     ",
      "----------|---------|----------|---------|---------|-------------------",
    ],
  },
  {
    name: "Jest 30 --coverage passing its coverageThreshold: the table with its uncovered lines, `Tests: 2 passed`",
    script: ["npm test"],
    output: [
      "PASS __tests__/cart.test.js",
      "  ✓ totals items (7 ms)",
      "  ✓ halves with HALF (1 ms)",
      "",
      "----------|---------|----------|---------|---------|-------------------",
      "File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ",
      "----------|---------|----------|---------|---------|-------------------",
      "All files |   58.82 |     37.5 |      60 |   56.25 |                   ",
      " cart.js  |   83.33 |      100 |   66.66 |      80 | 9                 ",
      " price.js |   45.45 |     37.5 |      50 |   45.45 | 6,12-18           ",
      "----------|---------|----------|---------|---------|-------------------",
      "Test Suites: 1 passed, 1 total",
      "Tests:       2 passed, 2 total",
      "Snapshots:   0 total",
      "Time:        0.318 s, estimated 1 s",
      "Ran all test suites.",
    ],
  },
  {
    name: "bun test 1.4 under GITHUB_ACTIONS passing, with a todo and a skipped test whose names say `failure` and `fails`",
    script: ["bun test"],
    output: [
      "bun test v1.4.5 (a7733435c)",
      "",
      "::group::test/slug.test.ts:",
      "(pass) lowercases [0.46ms]",
      "(todo) handles failure of unicode input",
      "(skip) fails over to ascii",
      "",
      "::endgroup::",
      "",
      " 1 pass",
      " 1 skip",
      " 1 todo",
      " 0 fail",
      " 1 expect() calls",
      "Ran 3 tests across 1 file. [10.00ms]",
    ],
  },
  {
    name: "VitePress 1.6 building without a dead link",
    script: ["npm run docs:build"],
    output: [
      "",
      "> docs:build",
      "> vitepress build docs",
      "",
      "",
      "  \u001b[32m\u001b[1mvitepress\u001b[22m v1.6.4\u001b[39m",
      "",
      "- building client + server bundles...",
      "\u001b[32m✓\u001b[0m building client + server bundles...",
      "- rendering pages...",
      "\u001b[32m✓\u001b[0m rendering pages...",
      "build complete in 3.21s.",
    ],
  },
  {
    name: "cdk synth -q passing: the CLI's notice about feature flags",
    script: ["npx cdk synth -q"],
    output: [
      "85 feature flags are not configured. Run 'cdk flags --unstable=flags' to learn more.",
    ],
  },
  {
    name: "license-checker 25 --summary under a --failOn list no dependency's licence is on",
    script: ["npx license-checker --production --excludePrivatePackages --summary --failOn 'GPL-2.0;GPL-3.0;AGPL-3.0'"],
    output: [
      "├─ MIT: 4",
      "├─ BSD-3-Clause: 1",
      "└─ Apache-2.0: 1",
    ],
  },
  {
    name: "Spectral 6 lint passing with warnings only (its default --fail-severity is error): `✖ 8 problems (0 errors, 8 warnings, …)`",
    script: ["npx spectral lint openapi.yaml"],
    output: [
      "",
      "/home/runner/work/orders-api/orders-api/openapi.yaml",
      "  2:6   warning  info-contact           Info object must have \"contact\" object.                        info",
      "  2:6   warning  info-description       Info \"description\" must be present and non-empty string.       info",
      "  9:9   warning  operation-description  Operation \"description\" must be present and non-empty string.  paths./orders/{id}.get",
      "  9:9   warning  operation-operationId  Operation must have \"operationId\".                             paths./orders/{id}.get",
      "  9:9   warning  operation-tags         Operation must have non-empty \"tags\" array.                    paths./orders/{id}.get",
      " 25:10  warning  operation-description  Operation \"description\" must be present and non-empty string.  paths./orders.post",
      " 25:10  warning  operation-tags         Operation must have non-empty \"tags\" array.                    paths./orders.post",
      " 40:12  warning  oas3-unused-component  Potentially unused component has been detected.                components.schemas.Orders",
      "",
      "✖ 8 problems (0 errors, 8 warnings, 0 infos, 0 hints)",
    ],
  },
];

describe("sweep 60: the JavaScript framework builds' and Node tools' passing runs", () => {
  for (const run of PASSING_RUNS) {
    it(`reports nothing in ${run.name}`, async () => {
      // Prepare
      const log = ghaStep(run.script, run.output).join('\n');
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(analysis.failures.map((f) => `${f.rule}: ${f.lines[0]?.text}`)).toEqual([]);
    });
  }
});
