import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Attack on session 63's rules (branch langs63: SBCL and FiveAM, Guile, CHICKEN, cpplint, cfn-lint, Groovy, dub/LDC):
// other runs of the same tools than the fixtures' (real output of the tools on this machine, paths rewritten to the
// runner's), other versions' wordings, and other tools' lines next to the new formats. Each row failed before its
// fix, or runs as an expected failure with the reason.

/** A step that failed with exit code 1, as one string. */
const failedStepLog = (script: string, output: readonly string[]): string =>
  ghaStep(script, output, { exitCode: 1 }).join('\n');

describe("attack 63 (langs63): the session's rules on other runs of the same tools", () => {
  it("reads SBCL's unhandled condition whose class is in a package with a `/` in its name (ASDF's, UIOP's) as sbcl.unhandled", async () => {
    // Prepare: SBCL 2.2.9 with ASDF 3.3, `(asdf:load-system "nonexistent-sys")` under --non-interactive (real output)
    const log = failedStepLog('sbcl --non-interactive --no-userinit --eval "(require :asdf)" --load build.lisp', [
      'This is SBCL 2.2.9.debian, an implementation of ANSI Common Lisp.',
      'While evaluating the form starting at line 1, column 0',
      '  of #P"/home/runner/work/geo/geo/build.lisp":',
      'Unhandled ASDF/FIND-COMPONENT:MISSING-COMPONENT in thread #<SB-THREAD:THREAD "main thread" RUNNING',
      '                                                             {1001348003}>:',
      '  Component "nonexistent-sys" not found',
      '',
      'Backtrace for: #<SB-THREAD:THREAD "main thread" RUNNING {1001348003}>',
      '0: (SB-DEBUG::DEBUGGER-DISABLED-HOOK Component "nonexistent-sys" not found #<unused argument> :QUIT T)',
      '1: (SB-DEBUG::RUN-HOOK *INVOKE-DEBUGGER-HOOK* Component "nonexistent-sys" not found)',
      '2: (INVOKE-DEBUGGER Component "nonexistent-sys" not found)',
      '3: (ERROR ASDF/FIND-COMPONENT:MISSING-COMPONENT :REQUIRES "nonexistent-sys")',
      '12: (ASDF/OPERATE:LOAD-SYSTEM "nonexistent-sys")',
      'unhandled condition in --disable-debugger mode, quitting',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine]).toEqual(['sbcl.unhandled', 8]);
  });

  it("reads DMD/LDC's error inside a string mixin (`app.d-mixin-3(3,9): Error:`) as the D compiler's", async () => {
    // Prepare: LDC 1.32 (ldc2 -vcolumns) on `mixin("int y = \"s\";");` (real output)
    const log = failedStepLog('dub build --compiler=ldc2', [
      'Starting Performing "debug" build using ldc2 for x86_64.',
      '  Building geo ~master: building configuration [application]',
      'source/app.d-mixin-3(3,9): Error: cannot implicitly convert expression `"s"` of type `string` to `int`',
      'Error ldc2 failed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['nvcc.error', 'compilation']);
  });

  it("does not pull cfn-lint's warnings into Ruff's report when ruff runs after cfn-lint in one step", async () => {
    // Prepare: `cfn-lint templates/*.yaml || rc=$?; ruff check .` (cfn-lint 1.x warnings, ruff 0.12 full format)
    const log = failedStepLog('cfn-lint templates/*.yaml || rc=$?; ruff check .', [
      'W2001 Parameter Stage not used.',
      'templates/api.yaml:3:3',
      '',
      'W3005 Obsolete DependsOn on resource (Bucket), dependency already enforced by a "Ref" at Resources/Policy/Properties/Bucket/Ref',
      'templates/api.yaml:20:7',
      '',
      'F401 [*] `os` imported but unused',
      ' --> app/main.py:1:8',
      '  |',
      '1 | import os',
      '  |        ^^',
      '  |',
      'help: Remove unused import: `os`',
      '',
      'Found 1 error.',
      '[*] 1 fixable with the `--fix` option.',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const ruff = analysis.failures.find((f) => f.lines[0]?.text.startsWith('F401'));
    expect(ruff?.startLine).toBe(11);
  });

  it("reads Guile's uncaught throw to a key of its own (`file:L:C: Throw to key \`match-error' with args …`) as guile.error, not a lint finding", async () => {
    // Prepare: Guile 3.0.8, `(match 3 ((a b) a))` in a script (real output)
    const log = failedStepLog('guile -L . scripts/report.scm', [
      'Backtrace:',
      '           1 (primitive-load "/home/runner/work/wf/wf/scripts/report.scm")',
      'In ice-9/eval.scm:',
      '    619:8  0 (_ #(#(#<directory (guile-user) 7f9375183c80> 3)))',
      '',
      "ice-9/eval.scm:619:8: Throw to key `match-error' with args `(\"match\" \"no matching pattern\" 3)'.",
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine, analysis.category]).toEqual(['guile.error', 5, 'unknown']);
  });

  it("reads a Groovy script's failed power assertion (`Caught: Assertion failed:` over its diagram) as groovy.caught, the diagram in the block", async () => {
    // Prepare: Groovy 2.4 (Debian 12's), `assert x.size() == 3` in a script (real output)
    const log = failedStepLog('groovy scripts/check.groovy', [
      'Caught: Assertion failed: ',
      '',
      'assert x.size() == 3',
      '       | |      |',
      '       | 2      false',
      '       [1, 2]',
      '',
      'Assertion failed: ',
      '',
      'assert x.size() == 3',
      '       | |      |',
      '       | 2      false',
      '       [1, 2]',
      '',
      '\tat check.run(check.groovy:2)',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.lines.map((l) => l.text)]).toEqual(['groovy.caught', 5, expect.arrayContaining(['assert x.size() == 3', '       | 2      false'])]);
  });

  it("does not read a Guile script's error as a compilation failure because its step runs `guile --no-auto-compile`", async () => {
    // Prepare: Guile 3.0.8, `(error "config missing:" 'db)` in a script run without auto-compilation (real output)
    const log = failedStepLog('guile --no-auto-compile -L . scripts/report.scm', [
      'Backtrace:',
      '           1 (primitive-load "/home/runner/work/wf/wf/scripts/report.scm")',
      'In ice-9/boot-9.scm:',
      '   2007:7  0 (error _ . _)',
      '',
      'ice-9/boot-9.scm:2007:7: In procedure error:',
      'config missing: db',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['guile.error', 'unknown']);
  });

  it("reads CHICKEN csc's syntax error that names no place (`Syntax error (import): cannot import from undefined module`) as chicken.syntax-error, over csc's cascade", async () => {
    // Prepare: CHICKEN 5.3.0, `(import nosuchmodule)` compiled with csc (real output)
    const log = failedStepLog('csc -o app app.scm', [
      '',
      'Syntax error (import): cannot import from undefined module',
      '',
      '\tnosuchmodule',
      '',
      '\tExpansion history:',
      '',
      '\t<syntax>\t  (##core#begin (import nosuchmodule))',
      '\t<syntax>\t  (import nosuchmodule)\t<--',
      '',
      "Error: shell command terminated with non-zero exit status 17920: '/usr/bin/chicken' 'app.scm' -output-file 'app.c'",
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine, analysis.category]).toEqual(['chicken.syntax-error', 6, 'compilation']);
  });

  it("reads Guile's uncaught error that has no source place (`ERROR: In procedure primitive-load:` over the message) as guile.error, message included", async () => {
    // Prepare: Guile 3.0.8, a script that does `(raise-exception 'custom)` (real output)
    const log = failedStepLog('guile -L . scripts/deploy.scm', [
      'Backtrace:',
      '           0 (primitive-load "/home/runner/work/wf/wf/scripts/deploy.scm")',
      '',
      'ERROR: In procedure primitive-load:',
      "Throw to key `%exception' with args `(custom)'.",
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.lines.map((l) => l.text)]).toEqual(['guile.error', 5, expect.arrayContaining(["Throw to key `%exception' with args `(custom)'."])]);
  });
});
