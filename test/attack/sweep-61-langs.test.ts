import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Session 61's sweep of more toolchains (test/fixtures/gha-real-tools, test/unit/logs/langs-61.test.ts): the same
// tools' runs that pass, with their notices, warnings and skipped tests, real output of the tools on this machine (the
// projects' paths rewritten to the runner's). None of them holds a failure.

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
    name: "PostgreSQL 15 psql -v ON_ERROR_STOP=1 -f over three migrations that apply: a `NOTICE:  table … does not exist, skipping` among the command tags",
    script: ["for f in db/migrations/*.sql; do echo \"Applying $f\"; psql -v ON_ERROR_STOP=1 -f \"$f\"; done"],
    output: [
      "Applying db/migrations/001_customers.sql",
      "BEGIN",
      "psql:db/migrations/001_customers.sql:2: NOTICE:  table \"legacy_customers\" does not exist, skipping",
      "DROP TABLE",
      "CREATE TABLE",
      "CREATE INDEX",
      "COMMIT",
      "Applying db/migrations/002_orders.sql",
      "BEGIN",
      "CREATE TABLE",
      "CREATE INDEX",
      "INSERT 0 0",
      "COMMIT",
      "Applying db/migrations/003_order_status.sql",
      "BEGIN",
      "ALTER TABLE",
      "UPDATE 0",
      "ALTER TABLE",
      "COMMIT",
    ],
  },
  {
    name: "R 4.2.2 R CMD check passing with an Rd WARNING (`Status: 1 WARNING`, exit 0; the tests `OK`)",
    script: ["R CMD build .", "R CMD check --no-manual tidyfreq_0.1.0.tar.gz"],
    output: [
      "* checking for file ‘./DESCRIPTION’ ... OK",
      "* preparing ‘tidyfreq’:",
      "* checking DESCRIPTION meta-information ... OK",
      "* checking for LF line-endings in source and make files and shell scripts",
      "* checking for empty or unneeded directories",
      "* building ‘tidyfreq_0.1.0.tar.gz’",
      "",
      "* using log directory ‘/home/runner/work/tidyfreq/tidyfreq/tidyfreq.Rcheck’",
      "* using R version 4.2.2 Patched (2022-11-10 r83330)",
      "* using platform: x86_64-pc-linux-gnu (64-bit)",
      "* using session charset: UTF-8",
      "* using option ‘--no-manual’",
      "* checking for file ‘tidyfreq/DESCRIPTION’ ... OK",
      "* this is package ‘tidyfreq’ version ‘0.1.0’",
      "* package encoding: UTF-8",
      "* checking package namespace information ... OK",
      "* checking package dependencies ... OK",
      "* checking if this is a source package ... OK",
      "* checking if there is a namespace ... OK",
      "* checking for executable files ... OK",
      "* checking for hidden files and directories ... OK",
      "* checking for portable file names ... OK",
      "* checking for sufficient/correct file permissions ... OK",
      "* checking whether package ‘tidyfreq’ can be installed ... OK",
      "* checking installed package size ... OK",
      "* checking package directory ... OK",
      "* checking DESCRIPTION meta-information ... OK",
      "* checking top-level files ... OK",
      "* checking for left-over files ... OK",
      "* checking index information ... OK",
      "* checking package subdirectories ... OK",
      "* checking R files for non-ASCII characters ... OK",
      "* checking R files for syntax errors ... OK",
      "* checking whether the package can be loaded ... OK",
      "* checking whether the package can be loaded with stated dependencies ... OK",
      "* checking whether the package can be unloaded cleanly ... OK",
      "* checking whether the namespace can be loaded with stated dependencies ... OK",
      "* checking whether the namespace can be unloaded cleanly ... OK",
      "* checking loading without being on the library search path ... OK",
      "* checking dependencies in R code ... OK",
      "* checking S3 generic/method consistency ... OK",
      "* checking replacement functions ... OK",
      "* checking foreign function calls ... OK",
      "* checking R code for possible problems ... OK",
      "* checking Rd files ... WARNING",
      "checkRd: (5) freq_table.Rd:0-13: Must have a \\description",
      "* checking Rd metadata ... OK",
      "* checking Rd cross-references ... OK",
      "* checking for missing documentation entries ... OK",
      "* checking for code/documentation mismatches ... OK",
      "* checking Rd \\usage sections ... OK",
      "* checking Rd contents ... OK",
      "* checking for unstated dependencies in examples ... OK",
      "* checking examples ... OK",
      "* checking for unstated dependencies in ‘tests’ ... OK",
      "* checking tests ...",
      "  Running ‘testthat.R’",
      " OK",
      "* DONE",
      "",
      "Status: 1 WARNING",
      "See",
      "  ‘/home/runner/work/tidyfreq/tidyfreq/tidyfreq.Rcheck/00check.log’",
      "for details.",
    ],
  },
  {
    name: "Tcl 8.6.13 tcltest passing with a test skipped for its `knownBug` constraint (`Failed\\t0`)",
    script: ["tclsh tests/all.tcl"],
    output: [
      "Tests running in interp:  /usr/bin/tclsh",
      "Tests located in:  /home/runner/work/tclini/tclini/tests",
      "Tests running in:  /home/runner/work/tclini/tclini",
      "Temporary files stored in /home/runner/work/tclini/tclini",
      "Test files run in separate interpreters",
      "Running tests that match:  *",
      "Skipping test files that match:  l.*.test",
      "Only running test files that match:  *.test",
      "Tests began at Sat Nov 28 21:18:22 UTC 2026",
      "ini.test",
      "",
      "Tests ended at Sat Nov 28 21:18:22 UTC 2026",
      "all.tcl:\tTotal\t6\tPassed\t5\tSkipped\t1\tFailed\t0",
      "Sourced 1 Test Files.",
      "Number of tests skipped for each constraint:",
      "\t1\tknownBug",
    ],
  },
  {
    name: "Deno 2.9 deno test passing: a test's captured `warning:` output and an ignored test whose name says it fails",
    script: ["deno test --allow-read"],
    output: [
      "\u001b[0m\u001b[32mCheck\u001b[0m src/money_test.ts",
      "\u001b[0m\u001b[38;5;245mrunning 3 tests from ./src/money_test.ts\u001b[0m",
      "formats whole units ... \u001b[0m\u001b[32mok\u001b[0m \u001b[0m\u001b[38;5;245m(424µs)\u001b[0m",
      "sums prices ...",
      "\u001b[0m\u001b[38;5;245m------- output -------\u001b[0m",
      "warning: rates file missing, using EUR only",
      "\u001b[0m\u001b[38;5;245m----- output end -----\u001b[0m",
      "sums prices ... \u001b[0m\u001b[32mok\u001b[0m \u001b[0m\u001b[38;5;245m(566µs)\u001b[0m",
      "refuses mixed currencies (fails until #42) ... \u001b[0m\u001b[33mignored\u001b[0m \u001b[0m\u001b[38;5;245m(0ms)\u001b[0m",
      "",
      "\u001b[0m\u001b[32mok\u001b[0m | 2 passed | 0 failed | 1 ignored \u001b[0m\u001b[38;5;245m(7ms)\u001b[0m",
    ],
  },
  {
    name: "API Extractor 7.60 run --local: the report updated and three ae-missing-release-tag warnings, `completed successfully`",
    script: ["npx api-extractor run --local"],
    output: [
      "",
      "\u001b[1mapi-extractor 7.60.1 \u001b[36m - https://api-extractor.com/\u001b[39m",
      "\u001b[22m",
      "Using configuration from ./api-extractor.json",
      "Analysis will use the bundled TypeScript version 6.0.3",
      "\u001b[33mWarning: You have changed the API signature for this project. Updating etc/slugkit.api.md\u001b[39m",
      "\u001b[33mWarning: dist/index.d.ts:1:1 - (ae-missing-release-tag) \"SlugOptions\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "\u001b[33mWarning: dist/index.d.ts:7:1 - (ae-missing-release-tag) \"slugify\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "\u001b[33mWarning: dist/index.d.ts:8:1 - (ae-missing-release-tag) \"isSlug\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "",
      "API Extractor completed successfully",
    ],
  },
  {
    name: "remark-cli 12 without --frail: vfile-reporter's three warnings, exit 0",
    script: ["npx remark ."],
    output: [
      "\u001b[4m\u001b[33mREADME.md\u001b[39m\u001b[24m",
      "3:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "4:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "6:1-6:35 \u001b[33mwarning\u001b[39m \u001b[1mUnexpected unused definition, expected no definition or one or more references to \u001b[36m`setup`\u001b[39m\u001b[22m         no-unused-definitions remark-lint",
      "",
      "\u001b[33m⚠\u001b[39m 3 warnings",
    ],
  },
  {
    name: "Racket 8.7 raco test with rackunit passing (`2 tests passed`)",
    script: ["raco test ok-test.rkt"],
    output: [
      "raco test: \"ok-test.rkt\"",
      "2 tests passed",
    ],
  },
  {
    name: "@arethetypeswrong/cli 0.18 attw --pack --profile esm-only: a problem of the resolutions the profile leaves aside (`(ignored per resolution) ⚠️ …`), exit 0",
    script: ["npx attw --pack . --profile esm-only"],
    output: [
      "",
      "slim-kit v2.1.0",
      "",
      " (ignoring resolutions: 'node10', 'node16-cjs')",
      "",
      "(ignored per resolution) ⚠️ A require call resolved to an ESM JavaScript file, which is an error in Node and some bundlers. CommonJS consumers will need to use a dynamic import. https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/CJSResolvesToESM.md",
      "",
      "",
      "\u001b[90m┌───────────────────\u001b[39m\u001b[90m┬────────────────────────────────────────┐\u001b[39m",
      "\u001b[90m│\u001b[39m\u001b[31m                   \u001b[39m\u001b[90m│\u001b[39m\u001b[31m \"slim-kit\"                             \u001b[39m\u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼────────────────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node16 (from ESM) \u001b[90m│\u001b[39m 🟢 (ESM)                               \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼────────────────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m bundler           \u001b[90m│\u001b[39m 🟢                                     \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼────────────────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node10            \u001b[90m│\u001b[39m (ignored) 🟢                           \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼────────────────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node16 (from CJS) \u001b[90m│\u001b[39m (ignored) ⚠️ ESM (dynamic import only) \u001b[90m│\u001b[39m",
      "\u001b[90m└───────────────────\u001b[39m\u001b[90m┴────────────────────────────────────────┘\u001b[39m",
    ],
  },
];

describe("sweep 61: more toolchains' passing runs", () => {
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
