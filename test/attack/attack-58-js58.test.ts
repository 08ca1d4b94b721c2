import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { expectTopFailure, type TopFailureRow } from '../support/top-failure.js';

// Session 58's review of js58's rules (Vite 8's Rolldown errors, Rollup, Biome, node:test's spec summary, AVA,
// Playwright, Yarn 4, npm ci): real output of those tools (Vite 8.4.0, Rolldown 1.3.3, Node 22, npm 11.19.1, Yarn
// 4.18.1, run on this machine) in forms the change did not see, each read as the tool means it.

/** A passing `vite build` (Vite 8.4.0) of a module with two direct `eval`s and an import of a name lib.js lacks. */
const VITE8_BUILD_WITH_WARNINGS = [
  '> web@1.0.0 build',
  '> vite build',
  '',
  '\u001b[36mvite v8.4.0 \u001b[32mbuilding client environment for production...\u001b[36m\u001b[39m',
  'transforming...',
  '✓ 7 modules transformed.',
  'rendering chunks...',
  'computing gzip size...',
  'dist/index.html                0.11 kB │ gzip: 0.11 kB',
  'dist/assets/index-BjNicz3X.js  1.03 kB │ gzip: 0.60 kB',
  '',
  '\u001b[33m[EVAL] Use of direct `eval` function is strongly discouraged as it poses security risks and may cause issues with minification.',
  '   ╭─[ src/main.js:3:11 ]',
  '   │',
  " 3 │ const x = eval('1+1');",
  '   │           ──┬─  ',
  '   │             ╰─── Use of direct `eval` here.',
  '   │ ',
  '   │ Help: Consider using indirect eval. For more information, check the documentation: https://rolldown.rs/guide/troubleshooting#avoiding-direct-eval',
  '───╯',
  '\u001b[39m',
  '\u001b[33m[EVAL] Use of direct `eval` function is strongly discouraged as it poses security risks and may cause issues with minification.',
  '   ╭─[ src/main.js:4:11 ]',
  '   │',
  " 4 │ const y = eval('2+2');",
  '   │           ──┬─  ',
  '   │             ╰─── Use of direct `eval` here.',
  '   │ ',
  '   │ Help: Consider using indirect eval. For more information, check the documentation: https://rolldown.rs/guide/troubleshooting#avoiding-direct-eval',
  '───╯',
  '\u001b[39m',
  "\u001b[33m[IMPORT_IS_UNDEFINED] Import `missingThing` will always be undefined because there is no matching export in 'src/lib.js'",
  '   ╭─[ src/main.js:5:19 ]',
  '   │',
  ' 5 │ console.log(x, y, ns.missingThing, b, import.meta.foo);',
  '   │                   ───────┬───────  ',
  '   │                          ╰───────── ',
  '───╯',
  '\u001b[39m',
  '\u001b[32m✓ built in 104ms\u001b[39m',
];

/** `node --test` (Node 22, TAP off a terminal) failing one assertion. */
const NODE_TEST_TAP_FAILURE = [
  '',
  '> web@1.0.0 test',
  '> node --test',
  '',
  'TAP version 13',
  '# Subtest: total',
  'not ok 1 - total',
  '  ---',
  '  duration_ms: 1.2',
  "  location: '/home/runner/work/web/web/test/total.test.js:4:1'",
  "  failureType: 'testCodeFailure'",
  '  error: |-',
  '    Expected values to be strictly equal:',
  '    ',
  '    3 !== 4',
  '    ',
  "  code: 'ERR_ASSERTION'",
  "  name: 'AssertionError'",
  '  expected: 4',
  '  actual: 3',
  "  operator: 'strictEqual'",
  '  ...',
  '1..1',
  '# tests 1',
  '# pass 0',
  '# fail 1',
];

/** Two `MISSING_EXPORT` errors in one Rolldown build: Vite 8 prints them under its `Build failed with 2 errors:`. */
const ROLLDOWN_TWO_ERRORS = [
  '[MISSING_EXPORT] "z" is not exported by "src/lib.js".',
  '   ╭─[ src/main.js:1:10 ]',
  '   │',
  " 1 │ import { z } from './lib.js';",
  '   │          ┬  ',
  '   │          ╰── Missing export',
  '───╯',
  '',
  '[MISSING_EXPORT] "w" is not exported by "src/lib.js".',
  '   ╭─[ src/main.js:2:10 ]',
  '   │',
  " 2 │ import { w } from './lib.js';",
  '   │          ┬  ',
  '   │          ╰── Missing export',
  '───╯',
];

/**
 * `biome ci src` (Biome 1.9.4, coloured as it is under CI) over a module whose imports are out of order: Biome 1's
 * import sorting reports the file without a position, as its formatter does (`src/m.js organizeImports ━━━`).
 */
const BIOME1_ORGANIZE_IMPORTS = [
    "\u001b[0msrc/m.js\u001b[0m\u001b[0m \u001b[0m\u001b[0morganizeImports\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[0m",
    "",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m\u001b[31m\u2716\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[31mImport statements differs from the output\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m1\u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m\u001b[31m-\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[31mi\u001b[0m\u001b[0m\u001b[31mm\u001b[0m\u001b[0m\u001b[31mp\u001b[0m\u001b[0m\u001b[31mo\u001b[0m\u001b[0m\u001b[31mr\u001b[0m\u001b[0m\u001b[31mt\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m{\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[1m\u001b[31mz\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m}\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31mf\u001b[0m\u001b[0m\u001b[31mr\u001b[0m\u001b[0m\u001b[31mo\u001b[0m\u001b[0m\u001b[31mm\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m\"\u001b[0m\u001b[0m\u001b[31m.\u001b[0m\u001b[0m\u001b[31m/\u001b[0m\u001b[0m\u001b[1m\u001b[31mz\u001b[0m\u001b[0m\u001b[1m\u001b[31m.\u001b[0m\u001b[0m\u001b[1m\u001b[31mj\u001b[0m\u001b[0m\u001b[1m\u001b[31ms\u001b[0m\u001b[0m\u001b[31m\"\u001b[0m\u001b[0m\u001b[31m;\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m2\u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m\u001b[31m-\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[31mi\u001b[0m\u001b[0m\u001b[31mm\u001b[0m\u001b[0m\u001b[31mp\u001b[0m\u001b[0m\u001b[31mo\u001b[0m\u001b[0m\u001b[31mr\u001b[0m\u001b[0m\u001b[31mt\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m{\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[1m\u001b[31ma\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m}\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31mf\u001b[0m\u001b[0m\u001b[31mr\u001b[0m\u001b[0m\u001b[31mo\u001b[0m\u001b[0m\u001b[31mm\u001b[0m\u001b[0m\u001b[2m\u001b[31m\u00b7\u001b[0m\u001b[0m\u001b[31m\"\u001b[0m\u001b[0m\u001b[31m.\u001b[0m\u001b[0m\u001b[31m/\u001b[0m\u001b[0m\u001b[1m\u001b[31ma\u001b[0m\u001b[0m\u001b[1m\u001b[31m.\u001b[0m\u001b[0m\u001b[1m\u001b[31mj\u001b[0m\u001b[0m\u001b[1m\u001b[31ms\u001b[0m\u001b[0m\u001b[31m\"\u001b[0m\u001b[0m\u001b[31m;\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m1\u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m\u001b[32m+\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[32mi\u001b[0m\u001b[0m\u001b[32mm\u001b[0m\u001b[0m\u001b[32mp\u001b[0m\u001b[0m\u001b[32mo\u001b[0m\u001b[0m\u001b[32mr\u001b[0m\u001b[0m\u001b[32mt\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m{\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[1m\u001b[32ma\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m}\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32mf\u001b[0m\u001b[0m\u001b[32mr\u001b[0m\u001b[0m\u001b[32mo\u001b[0m\u001b[0m\u001b[32mm\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m\"\u001b[0m\u001b[0m\u001b[32m.\u001b[0m\u001b[0m\u001b[32m/\u001b[0m\u001b[0m\u001b[1m\u001b[32ma\u001b[0m\u001b[0m\u001b[1m\u001b[32m.\u001b[0m\u001b[0m\u001b[1m\u001b[32mj\u001b[0m\u001b[0m\u001b[1m\u001b[32ms\u001b[0m\u001b[0m\u001b[32m\"\u001b[0m\u001b[0m\u001b[32m;\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m2\u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m\u001b[32m+\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[32mi\u001b[0m\u001b[0m\u001b[32mm\u001b[0m\u001b[0m\u001b[32mp\u001b[0m\u001b[0m\u001b[32mo\u001b[0m\u001b[0m\u001b[32mr\u001b[0m\u001b[0m\u001b[32mt\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m{\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[1m\u001b[32mz\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m}\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32mf\u001b[0m\u001b[0m\u001b[32mr\u001b[0m\u001b[0m\u001b[32mo\u001b[0m\u001b[0m\u001b[32mm\u001b[0m\u001b[0m\u001b[2m\u001b[32m\u00b7\u001b[0m\u001b[0m\u001b[32m\"\u001b[0m\u001b[0m\u001b[32m.\u001b[0m\u001b[0m\u001b[32m/\u001b[0m\u001b[0m\u001b[1m\u001b[32mz\u001b[0m\u001b[0m\u001b[1m\u001b[32m.\u001b[0m\u001b[0m\u001b[1m\u001b[32mj\u001b[0m\u001b[0m\u001b[1m\u001b[32ms\u001b[0m\u001b[0m\u001b[32m\"\u001b[0m\u001b[0m\u001b[32m;\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m3\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m3\u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0mc\u001b[0m\u001b[0mo\u001b[0m\u001b[0mn\u001b[0m\u001b[0ms\u001b[0m\u001b[0mo\u001b[0m\u001b[0ml\u001b[0m\u001b[0me\u001b[0m\u001b[0m.\u001b[0m\u001b[0ml\u001b[0m\u001b[0mo\u001b[0m\u001b[0mg\u001b[0m\u001b[0m(\u001b[0m\u001b[0ma\u001b[0m\u001b[0m,\u001b[0m\u001b[0m \u001b[0m\u001b[0mz\u001b[0m\u001b[0m)\u001b[0m\u001b[0m;\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m4\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[1m4\u001b[0m\u001b[0m\u001b[1m \u2502 \u001b[0m\u001b[0m \u001b[0m\u001b[0m \u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m",
    "\u001b[0m",
    "\u001b[0m\u001b[34mChecked \u001b[0m\u001b[0m\u001b[34m3\u001b[0m\u001b[0m\u001b[34m \u001b[0m\u001b[0m\u001b[34mfiles\u001b[0m\u001b[0m\u001b[34m in \u001b[0m\u001b[0m\u001b[34m4\u001b[0m\u001b[0m\u001b[2m\u001b[34mms\u001b[0m\u001b[0m\u001b[34m.\u001b[0m\u001b[0m\u001b[34m No fixes applied.\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m\u001b[31mFound \u001b[0m\u001b[0m\u001b[31m1\u001b[0m\u001b[0m\u001b[31m error.\u001b[0m",
    "\u001b[0mci\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u2501\u001b[0m\u001b[0m",
    "",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m\u001b[1m\u001b[31m\u2716\u001b[0m\u001b[0m \u001b[0m\u001b[0m\u001b[31mSome \u001b[0m\u001b[0m\u001b[1m\u001b[31merrors\u001b[0m\u001b[0m\u001b[31m were emitted while \u001b[0m\u001b[0m\u001b[1m\u001b[31mrunning checks\u001b[0m\u001b[0m\u001b[31m.\u001b[0m\u001b[0m",
    "\u001b[0m\u001b[0m  \u001b[0m\u001b[0m",
    "\u001b[0m",
  '##[error]Process completed with exit code 1.',
];

/** npm 9.9.4's usage of `npm ci`, which it prints under either of its EUSAGE errors below. */
const NPM9_CI_USAGE = [
  "npm ERR! Clean install a project",
  "npm ERR! ",
  "npm ERR! Usage:",
  "npm ERR! npm ci",
  "npm ERR! ",
  "npm ERR! Options:",
  "npm ERR! [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]",
  "npm ERR! [--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]",
  "npm ERR! [--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]",
  "npm ERR! [--no-bin-links] [--no-fund] [--dry-run]",
  "npm ERR! [-w|--workspace <workspace-name> [-w|--workspace <workspace-name> ...]]",
  "npm ERR! [-ws|--workspaces] [--include-workspace-root] [--install-links]",
  "npm ERR! ",
  "npm ERR! aliases: clean-install, ic, install-clean, isntall-clean",
  "npm ERR! ",
  "npm ERR! Run \"npm help ci\" for more info",
];

/** `npm ci` (npm 9.9.4, `npm ERR! ` with its trailing space on npm's blank lines) with `bytes` in package.json but not in the lock file. */
const NPM9_CI_OUT_OF_SYNC = [
  '##[group]Run npm ci',
  'npm ci',
  'shell: /usr/bin/bash -e {0}',
  '##[endgroup]',
  "npm ERR! code EUSAGE",
  "npm ERR! ",
  "npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.",
  "npm ERR! ",
  "npm ERR! Missing: bytes@3.1.2 from lock file",
  "npm ERR! ",
  ...NPM9_CI_USAGE,
  "",
  "npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/2026-11-28T14_16_07_221Z-debug-0.log",
  '##[error]Process completed with exit code 1.',
];

/** `npm ci` (npm 9.9.4) in a project without a lock file. */
const NPM9_CI_NO_LOCKFILE = [
  '##[group]Run npm ci',
  'npm ci',
  'shell: /usr/bin/bash -e {0}',
  '##[endgroup]',
  "npm ERR! code EUSAGE",
  "npm ERR! ",
  "npm ERR! The `npm ci` command can only install with an existing package-lock.json or",
  "npm ERR! npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or",
  "npm ERR! later to generate a package-lock.json file, then try again.",
  "npm ERR! ",
  ...NPM9_CI_USAGE,
  "",
  "npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/2026-11-28T14_17_18_370Z-debug-0.log",
  '##[error]Process completed with exit code 1.',
];

/** `vite build` (Vite 8.4.0) where a project's own plugin calls `this.error('ACME_API_URL is not set')` in `transform`. */
const VITE8_PLUGIN_ERROR = [
  "\u001b[36mvite v8.4.0 \u001b[32mbuilding client environment for production...\u001b[36m\u001b[39m",
  "transforming...",
  "\u2713 5 modules transformed.",
  "\u001b[31m\u2717\u001b[39m Build failed in 61ms",
  "\u001b[31merror during build:",
  "\u001b[31mBuild failed with 1 error:",
  "",
  "[plugin acme-env] /home/runner/work/web/web/src/lib.js",
  "RolldownError: ACME_API_URL is not set",
  "    at error (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/logs-BphcrOCD.mjs:157:24)",
  "    at TransformPluginContextImpl.error (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/bindingify-input-options-CogTCE3m.mjs:1651:10)",
  "    at TransformPluginContextImpl.transform (file:///home/runner/work/web/web/node_modules/.vite-temp/vite.config.js.timestamp-1795874937458-a46492eedd416.mjs:5:35)",
  "    at TransformPluginContextImpl.handler (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35656:13)",
  "    at plugin (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/bindingify-input-options-CogTCE3m.mjs:1797:24)",
  "    at file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/bindingify-input-options-CogTCE3m.mjs:2203:21",
  "    at plugin.<computed> (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/bindingify-input-options-CogTCE3m.mjs:2406:21)\u001b[31m",
  "    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)",
  "    at unwrapBindingResult (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:78:128)",
  "    at #build (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/rolldown-Ccx9Bd9G.mjs:147:34)",
  "    at async buildEnvironment (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35414:66)",
  "    at async Object.build (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35850:19)",
  "    at async Object.buildApp (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35847:153)",
  "    at async CAC.<anonymous> (file:///home/runner/work/web/web/node_modules/vite/dist/node/cli.js:1032:3) {",
  "  errors: [Getter/Setter]",
  "}\u001b[39m",
  '##[error]Process completed with exit code 1.',
];

/** `vite build` (Vite 8.4.0) over a stylesheet with an unbalanced `}`: Lightning CSS fails in Vite's `vite:css-post` plugin. */
const VITE8_CSS_PLUGIN_ERROR = [
  "\u001b[36mvite v8.4.0 \u001b[32mbuilding client environment for production...\u001b[36m\u001b[39m",
  "transforming...",
  "\u2713 6 modules transformed.",
  "\u001b[31m\u2717\u001b[39m Build failed in 50ms",
  "\u001b[31merror during build:",
  "\u001b[31mBuild failed with 1 error:",
  "",
  "[plugin vite:css-post]",
  "SyntaxError: [lightningcss minify] Unexpected end of input",
  "2  |  .b { }",
  "3  |  }}",
  "4  |  ",
  "   |  ^",
  "    at Module.<anonymous> (/home/runner/work/web/web/node_modules/lightningcss/node/index.js:56:14)",
  "    at minifyCSS (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:32172:59)",
  "    at async finalizeCss (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:32006:36)",
  "    at async Promise.all (index 1)",
  "    at async Object.run (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:4707:22)",
  "    at async PluginContextImpl.renderChunk (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:31494:19)\u001b[31m",
  "    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)",
  "    at unwrapBindingResult (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:78:128)",
  "    at #build (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/rolldown-Ccx9Bd9G.mjs:147:34)",
  "    at async buildEnvironment (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35414:66)",
  "    at async Object.build (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35850:19)",
  "    at async Object.buildApp (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35847:153)",
  "    at async CAC.<anonymous> (file:///home/runner/work/web/web/node_modules/vite/dist/node/cli.js:1032:3) {",
  "  errors: [Getter/Setter]",
  "}\u001b[39m",
  '##[error]Process completed with exit code 1.',
];

/** `vite build` (Vite 8.4.0) importing a JSON file with a trailing comma: Rolldown's built-in JSON plugin fails. */
const VITE8_BUILTIN_PLUGIN_ERROR = [
  "\u001b[36mvite v8.4.0 \u001b[32mbuilding client environment for production...\u001b[36m\u001b[39m",
  "transforming...",
  "\u2713 4 modules transformed.",
  "\u001b[31m\u2717\u001b[39m Build failed in 168ms",
  "\u001b[31merror during build:",
  "\u001b[31mBuild failed with 1 error:",
  "",
  "[builtin:vite-json] plugin `builtin:vite-json` threw an error",
  "",
  "Caused by:",
  "    trailing comma at line 1 column 9",
  "",
  "Stack backtrace:",
  "   0: <unknown>",
  "   1: <unknown>",
  "   2: <unknown>",
  "   3: <unknown>",
  "   4: <unknown>",
  "   5: <unknown>",
  "   6: <unknown>",
  "   7: <unknown>",
  "   8: <unknown>",
  "   9: <unknown>",
  "  10: <unknown>",
  "  11: <unknown>",
  "  12: <unknown>",
  "  13: <unknown>",
  "  14: <unknown>",
  "  15: start_thread",
  "             at ./nptl/pthread_create.c:442:8",
  "  16: clone3",
  "             at ./misc/../sysdeps/unix/sysv/linux/x86_64/clone3.S:81:0",
  "\u001b[31m",
  "    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)",
  "    at unwrapBindingResult (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:78:128)",
  "    at #build (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/rolldown-Ccx9Bd9G.mjs:147:34)",
  "    at async buildEnvironment (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35414:66)",
  "    at async Object.build (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35850:19)",
  "    at async Object.buildApp (file:///home/runner/work/web/web/node_modules/vite/dist/node/chunks/node.js:35847:153)",
  "    at async CAC.<anonymous> (file:///home/runner/work/web/web/node_modules/vite/dist/node/cli.js:1032:3) {",
  "  errors: [Getter/Setter]",
  "}\u001b[39m",
  '##[error]Process completed with exit code 1.',
];

const ROWS: TopFailureRow[] = [
  {
    // Vite 8 prints Rolldown's warnings in yellow in the error's shape (`[EVAL] …` over its `╭─[` frame, `───╯`),
    // each after the previous one's frame and a line with only the colour's reset on it: a warning there is no error
    // under `Build failed with N errors:`, and the build passed; the tests after it failed.
    name: 'Vite 8: a passing build\'s Rolldown warnings, then a failing test',
    rule: 'tap.not-ok',
    head: 'Expected values to be strictly equal:',
    absent: 'rolldown.error',
    log: [...VITE8_BUILD_WITH_WARNINGS, ...NODE_TEST_TAP_FAILURE, '##[error]Process completed with exit code 1.'],
  },
  {
    // Rolldown's own CLI (rolldown 1.3.3) writes its heading with its log level: `[error] Build failed with 2 errors:`.
    name: 'Rolldown CLI: the first error under `[error] Build failed with 2 errors:`',
    rule: 'rolldown.error',
    head: '[MISSING_EXPORT] "z" is not exported by "src/lib.js".',
    startLine: 3,
    log: [
      '[error] Build failed with 2 errors:',
      '',
      ...ROLLDOWN_TWO_ERRORS,
      '',
      '  at aggregateBindingErrorsIntoJsError (/home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
      '  at unwrapBindingResult (/home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:78:128)',
      '  at #build (/home/runner/work/web/web/node_modules/rolldown/dist/shared/rolldown-Ccx9Bd9G.mjs:147:34)',
      '  at async main (/home/runner/work/web/web/node_modules/rolldown/dist/cli.mjs:963:3)',
      '##[error]Process completed with exit code 1.',
    ],
  },
  {
    // Biome 1's import sorting (`organizeImports`, Biome 2's `assist/source/organizeImports` with a position) is a
    // lint finding like the formatter's, not a failed test's `✖`.
    name: 'Biome 1: `src/m.js organizeImports ━━━` heads the diagnostic under it',
    rule: 'biome.diagnostic',
    head: '✖ Import statements differs from the output',
    startLine: 1,
    log: BIOME1_ORGANIZE_IMPORTS,
  },
  {
    // Before npm 10's `npm error`, npm's blank lines are `npm ERR! ` with a space: its cascade (`npm ERR! …`) went on
    // from `code EUSAGE` through the message, which the rule for it reads with npm's prefix and never got to see.
    name: 'npm 9: `npm ci` with the lock file out of sync (`npm ERR! ` lines)',
    rule: 'lockfile.outdated',
    head: 'npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.',
    startLine: 5,
    log: NPM9_CI_OUT_OF_SYNC,
  },
  {
    name: 'npm 9: `npm ci` without a lock file (`npm ERR! ` lines)',
    rule: 'npm.ci-no-lockfile',
    head: 'npm ERR! The `npm ci` command can only install with an existing package-lock.json or',
    startLine: 5,
    log: NPM9_CI_NO_LOCKFILE,
  },
  {
    // Under the same `Build failed with N errors:` Rolldown names a plugin's error by the plugin (`[plugin name] file`,
    // `[builtin:name] …`), the error's message on the next line at the line's start: no `[CODE]`.
    name: 'Vite 8: a plugin\'s error (`[plugin acme-env] file`, `RolldownError: …`) under `Build failed with 1 error:`',
    rule: 'rolldown.plugin-error',
    head: 'RolldownError: ACME_API_URL is not set',
    startLine: 8,
    log: VITE8_PLUGIN_ERROR,
  },
  {
    name: 'Vite 8: Lightning CSS\'s error in `[plugin vite:css-post]`',
    rule: 'rolldown.plugin-error',
    head: 'SyntaxError: [lightningcss minify] Unexpected end of input',
    startLine: 8,
    log: VITE8_CSS_PLUGIN_ERROR,
  },
  {
    name: 'Vite 8: a built-in plugin\'s error (`[builtin:vite-json] plugin … threw an error`, `Caused by:`)',
    rule: 'rolldown.plugin-error',
    head: '[builtin:vite-json] plugin `builtin:vite-json` threw an error',
    startLine: 8,
    log: VITE8_BUILTIN_PLUGIN_ERROR,
  },
];

describe('session 58 review: js58\'s JavaScript/TypeScript rules on output they were not written for', () => {
  it.each(ROWS)('$name', async (row) => {
    await expectTopFailure(row);
  });

  it('Vite 8: each of Rolldown\'s errors under `Build failed with 2 errors:` is reported, the first one first', async () => {
    // Prepare
    const log = [
      '\u001b[36mvite v8.4.0 \u001b[32mbuilding client environment for production...\u001b[36m\u001b[39m',
      'transforming...',
      '✓ 5 modules transformed.',
      'rendering chunks...',
      '\u001b[31m✗\u001b[39m Build failed in 161ms',
      '\u001b[31merror during build:',
      '\u001b[31mBuild failed with 2 errors:',
      '',
      ...ROLLDOWN_TWO_ERRORS,
      '\u001b[31m',
      '    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/web/web/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
      '}\u001b[39m',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const errors = analysis.failures.filter((f) => f.rule === 'rolldown.error');
    expect(errors.map((f) => f.startLine)).toEqual([9, 17]);
    expect(analysis.failures[0]?.startLine).toBe(9);
  });

  it('Biome 1: a run that failed only on import sorting is a lint failure', async () => {
    // Act
    const analysis = await analyzeLog(BIOME1_ORGANIZE_IMPORTS.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['biome.diagnostic', 'lint']);
  });

  it('Rollup 4: a missing export\'s position and code frame under the documentation link Rollup prints first', async () => {
    // Prepare: `rollup src/index.js -o dist/out.js` (Rollup 4.68.8, in colour) importing a name lib.js does not export.
    const log = [
      "\u001b[36m",
      "\u001b[1msrc/index.js\u001b[22m \u2192 \u001b[1mdist/out.js\u001b[22m...\u001b[39m",
      "\u001b[1m\u001b[31m[!] \u001b[1mRollupError: src/index.js (1:9): \"zz\" is not exported by \"src/lib.js\", imported by \"src/index.js\".\u001b[22m\u001b[1m\u001b[39m\u001b[22m",
      "\u001b[36mhttps://rollupjs.org/troubleshooting/#error-name-is-not-exported-by-module\u001b[39m",
      "src/index.js (1:9)",
      "\u001b[2m1: import { zz } from './lib.js';",
      "            ^",
      "2: console.log(zz);\u001b[22m",
      "\u001b[2m    at getRollupError (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/parseAst.js:326:41)",
      "    at Object.error (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/parseAst.js:322:42)",
      "    at Module.error (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:20306:28)",
      "    at Module.traceVariable (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:20743:29)",
      "    at ModuleScope.findVariable (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:16978:39)",
      "    at Identifier.bind (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:10232:40)",
      "    at CallExpression.bind (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:7421:28)",
      "    at CallExpression.bind (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:15647:15)",
      "    at ExpressionStatement.bind (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:7425:23)",
      "    at Program.bind (/home/runner/work/ru/ru/node_modules/rollup/dist/shared/rollup.js:7421:28)\u001b[22m",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: the error, its position and the line of code it points at.
    expect([log[2], log[4], log[5]].map((l) => l?.replace(/\u001b\[[\d;]*m/g, ''))).toEqual([
      '[!] RollupError: src/index.js (1:9): "zz" is not exported by "src/lib.js", imported by "src/index.js".',
      'src/index.js (1:9)',
      "1: import { zz } from './lib.js';",
    ]);
    expect(analysis.failures[0]?.rule).toBe('rollup.error');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6]));
  });

  it('Vite 8: of a plugin\'s error the prediction lists the message and the code frame, not the stack under them', async () => {
    // Act
    const lines = predictionLines(await analyzeLog(VITE8_CSS_PLUGIN_ERROR.join('\n')));
    // Assert: the plugin (line 8), Lightning CSS's message (9) and its frame (10-13); the stack starts on line 14.
    expect(VITE8_CSS_PLUGIN_ERROR[13]).toMatch(/^\s+at /);
    expect(lines).toEqual(expect.arrayContaining([8, 9, 10, 11, 12, 13]));
    expect(lines.filter((l) => l >= 14 && l <= 26)).toEqual([]);
  });

  it('node:test on a Windows runner: of the stack the prediction lists the frames in the project\'s files (`D:\\a\\…`)', async () => {
    // Prepare: `node --test --test-reporter=spec` (Node 22) over a CommonJS test whose code throws, the paths as a
    // Windows runner prints them (a CommonJS frame has no `file:///`).
    const log = [
      "\u2716 totals a cart (0.464012ms)",
      "\u2139 tests 1",
      "\u2139 suites 0",
      "\u2139 pass 0",
      "\u2139 fail 1",
      "\u2139 cancelled 0",
      "\u2139 skipped 0",
      "\u2139 todo 0",
      "\u2139 duration_ms 219.245643",
      "",
      "\u2716 failing tests:",
      "",
      "test at test\\b.test.cjs:4:1",
      "\u2716 totals a cart (0.464012ms)",
      "  RangeError: too many items: 2",
      "      at exports.total (D:\\a\\nt\\nt\\src\\total.cjs:1:52)",
      "      at TestContext.<anonymous> (D:\\a\\nt\\nt\\test\\b.test.cjs:4:42)",
      "      at Test.runInAsyncScope (node:async_hooks:214:14)",
      "      at Test.run (node:internal/test_runner/test:1047:25)",
      "      at Test.start (node:internal/test_runner/test:944:17)",
      "      at startSubtestAfterBootstrap (node:internal/test_runner/harness:296:17)",
    ];
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert: the code's frame and the test's (16, 17), not node's own under them.
    expect([log[15], log[16]]).toEqual(['      at exports.total (D:\\a\\nt\\nt\\src\\total.cjs:1:52)', '      at TestContext.<anonymous> (D:\\a\\nt\\nt\\test\\b.test.cjs:4:42)']);
    expect(lines).toEqual(expect.arrayContaining([13, 14, 15, 16, 17]));
    expect(lines.filter((l) => l >= 18 && l <= 21)).toEqual([]);
  });
});
