import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';

/** A step that failed with `exitCode`, its lines. */
const failedStepLines = (script: string, output: readonly string[], exitCode: number): string[] =>
  ghaStep(script, output, { exitCode });

/**
 * Toolchains session 65 ran for real (test/fixtures/gha-real-tools, "Session 65: new toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from.
 */
describe('reports of new toolchains (session 65)', () => {
  it('Coq: `File "x.v", line N, characters a-b:` over its `Error:` is the report, a compile error', async () => {
    // Prepare: coqc 8.16.1 on a lemma that names a function no one defined.
    const log = failedStepLines('coqc -Q src Stacks src/Stack.v', [
      "File \"./src/Stack.v\", line 11, characters 37-40:",
      "Error: The reference pop was not found in the current environment.",
      "",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'File "./src/Stack.v"'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'Error: The reference pop'));
    expect(analysis.category).toBe('compilation');
  });

  it("Bison under -Werror: each `file.y:L.C-C: error:` and the grammar's conflict count are listed, a compile error", async () => {
    // Prepare: GNU Bison 3.8.2 with `-Wall -Werror` over a grammar with a type clash and two reduce/reduce conflicts.
    const log = failedStepLines('bison -Wall -Werror -o expr.c expr.y', [
      "expr.y:4.7-9: error: type clash on default action: <value> != <> [-Werror=other]",
      "    4 | expr: NUM",
      "      |       ^~~",
      "expr.y: error: 2 reduce/reduce conflicts [-Werror=conflicts-rr]",
      "expr.y: note: rerun with option '-Wcounterexamples' to generate conflict counterexamples",
      "expr.y:6.7-18: error: rule useless in parser due to conflicts [-Werror=other]",
      "    6 |     | expr '-' NUM",
      "      |       ^~~~~~~~~~~~",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'expr.y:4.7-9: error:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'expr.y: error: 2 reduce/reduce'), lineOf(log, 'expr.y:6.7-18: error:')]));
    expect(analysis.category).toBe('compilation');
  });

  it("glslangValidator: `ERROR: file:N: 'token' : message` is a shader's compile error", async () => {
    // Prepare: glslangValidator 12.0.0 (`-V`) on a fragment shader calling texture() with one argument too many.
    const log = failedStepLines('glslangValidator -V shaders/tone.frag -o build/tone.spv', [
      "shaders/tone.frag",
      "ERROR: shaders/tone.frag:9: 'texture' : no matching overloaded function found ",
      "ERROR: shaders/tone.frag:9: '=' :  cannot convert from ' const float' to ' temp highp 3-component vector of float'",
      "ERROR: shaders/tone.frag:9: '' : compilation terminated ",
      "ERROR: 3 compilation errors.  No code generated.",
      "",
      "",
      "SPIR-V is not generated for failed compile or link",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "ERROR: shaders/tone.frag:9: 'texture'"));
    expect(predictionLines(analysis)).toContain(lineOf(log, "ERROR: shaders/tone.frag:9: '='"));
    expect(analysis.category).toBe('compilation');
  });

  it("Raku: a `die` under prove is listed with its `in sub … line N` frames, its message first", async () => {
    // Prepare: Rakudo 2022.12, a test calling a routine that dies (`X::AdHoc`), under prove.
    const log = failedStepLines("prove -e 'raku -Ilib' --ext .rakutest t/", [
      "bad unit 'K'",
      "  in sub parse-reading at /home/runner/work/thermo/thermo/lib/Temp.rakumod (Temp) line 5",
      "  in block <unit> at t/temp.rakutest line 5",
      "",
      "# You planned 2 tests, but ran 1",
      "t/temp.rakutest .. ",
      "Dubious, test returned 255 (wstat 65280, 0xff00)",
      "Failed 1/2 subtests ",
      "",
      "Test Summary Report",
      "-------------------",
      "t/temp.rakutest (Wstat: 65280 (exited 255) Tests: 1 Failed: 0)",
      "  Non-zero exit status: 255",
      "  Parse errors: Bad plan.  You planned 2 tests but ran 1.",
      "Files=1, Tests=1,  1 wallclock secs ( 0.02 usr  0.00 sys +  0.56 cusr  0.11 csys =  0.69 CPU)",
      "Result: FAIL",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "bad unit 'K'"));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, '  in sub parse-reading at '), lineOf(log, '  in block <unit> at ')]));
  });

  it("Raku: under prove, a test file's `die` is listed after another file's failed test, a cause of its own", async () => {
    // Prepare: Rakudo 2022.12 under prove, an `is` that fails in one test file and a routine that dies in the next.
    const log = failedStepLines("prove -e 'raku -Ilib' --ext .rakutest t/", [
      "# Failed test 'body'",
      "# at t/conv.rakutest line 5",
      "# expected: '98.7'",
      "#      got: '98.6'",
      "# You failed 1 test of 2",
      "t/conv.rakutest .. ",
      "Dubious, test returned 1 (wstat 256, 0x100)",
      "Failed 1/2 subtests ",
      "bad unit 'K'",
      "  in sub parse-reading at /home/runner/work/thermo/thermo/lib/Temp.rakumod (Temp) line 5",
      "  in block <unit> at t/temp.rakutest line 5",
      "",
      "# You planned 2 tests, but ran 1",
      "t/temp.rakutest .. ",
      "Dubious, test returned 255 (wstat 65280, 0xff00)",
      "Failed 1/2 subtests ",
      "",
      "Test Summary Report",
      "-------------------",
      "t/conv.rakutest (Wstat: 256 (exited 1) Tests: 2 Failed: 1)",
      "  Failed test:  2",
      "  Non-zero exit status: 1",
      "t/temp.rakutest (Wstat: 65280 (exited 255) Tests: 1 Failed: 0)",
      "  Non-zero exit status: 255",
      "  Parse errors: Bad plan.  You planned 2 tests but ran 1.",
      "Files=2, Tests=3,  1 wallclock secs ( 0.01 usr  0.01 sys +  0.45 cusr  0.08 csys =  0.55 CPU)",
      "Result: FAIL",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "# Failed test 'body'"));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, "bad unit 'K'"), lineOf(log, '  in sub parse-reading at '), lineOf(log, '  in block <unit> at ')]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Raku: `===SORRY!=== Error while compiling` takes its message down to `at file:N` and the `------>` excerpt", async () => {
    // Prepare: Rakudo 2022.12 running a script with a misspelt variable, in colour as Raku prints it.
    const log = failedStepLines('raku bin/total.raku', [
      "\u001b[31m===\u001b[0mSORRY!\u001b[31m===\u001b[0m Error while compiling /home/runner/work/thermo/thermo/bin/total.raku",
      "Variable '$totl' is not declared.  Did you mean '$total'?",
      "at /home/runner/work/thermo/thermo/bin/total.raku:3",
      "------> \u001b[32m    \u001b[33m⏏\u001b[31m$totl += $i;\u001b[0m",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'SORRY!'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, "Variable '$totl' is not declared."), lineOf(log, 'at /home/runner/work/thermo/thermo/bin/total.raku:3')]));
    expect(analysis.category).toBe('compilation');
  });

  it('Thrift: `[FAILURE:file:N] message` is a compile error', async () => {
    // Prepare: the Thrift 0.17.0 compiler on a default value naming an enum member that does not exist.
    const log = failedStepLines('thrift --gen py idl/pixel.thrift', [
      "[FAILURE:/home/runner/work/media/media/idl/pixel.thrift:3] error: identifier BLUE is unqualified!",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '[FAILURE:'));
    expect(analysis.category).toBe('compilation');
  });

  it("flatc: the place and message under its bare `error:` line come first, a compile error", async () => {
    // Prepare: flatc 2.0.8 on a table whose field names a table never declared.
    const log = failedStepLines('flatc --python -o gen schema/packet.fbs', [
      "",
      "error:",
      "  /home/runner/work/netcode/netcode/schema/packet.fbs:8: 0: error: type referenced but not defined (check namespace): Header, originally at: packet.fbs:5",
      "",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'packet.fbs:8: 0: error:'));
    expect(analysis.category).toBe('compilation');
  });

  it("gitlint: `N: B6 message` over one commit is a lint finding", async () => {
    // Prepare: gitlint 0.18.0 on the last commit (no `Commit x:` header over one commit).
    const log = failedStepLines('gitlint', [
      "3: B6 Body message is missing",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '3: B6 Body'));
    expect(analysis.category).toBe('lint');
  });

  it("gitlint: each commit's findings are listed with its `Commit x:` header, findings without a keyword too", async () => {
    // Prepare: gitlint 0.18.0 over a range of two commits.
    const log = failedStepLines('gitlint --commits HEAD~2..HEAD', [
      "Commit 2a7f65dc80:",
      "1: T3 Title has trailing punctuation (.): \"Round the coupon total.\"",
      "",
      "Commit bb902531cf:",
      "1: T5 Title contains the word 'WIP' (case-insensitive): \"WIP: checkout\"",
      "3: B5 Body message is too short (4<20): \"todo\"",
    ], 3);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '1: T3 Title'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'Commit 2a7f65dc80:'), lineOf(log, 'Commit bb902531cf:'), lineOf(log, '1: T5 Title'), lineOf(log, '3: B5 Body')]));
    expect(analysis.category).toBe('lint');
  });

  it("HTMLHint: a file's path over its `L7 |` excerpts and `^ message (rule-id)` lines is the report", async () => {
    // Prepare: HTMLHint 1.9.2's default formatter, one duplicate id, in colour.
    const log = failedStepLines('npx htmlhint page.html', [
      "",
      "   /home/runner/work/landing/landing/page.html",
      "\u001b[37m      L7 |\u001b[90m...ut type=\"text\" id=\"q\"><input type=\"text\" id=\"q\">\u001b[39m",
      "\u001b[37m                                                     ^ \u001b[31mThe id value [ q ] must be unique. (id-unique)\u001b[39m",
      "",
      "Scanned 1 files, found 1 errors in 1 files (11 ms)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '   /home/runner/work/landing/landing/page.html'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'must be unique. (id-unique)'));
    expect(analysis.category).toBe('lint');
  });

  it("Redocly CLI: each `[N] file:L:C at #/pointer` problem is listed with its message", async () => {
    // Prepare: Redocly CLI 2.77.0 `lint` with its recommended rules on a spec with no servers and a wrong `in`.
    const log = failedStepLines('npx redocly lint spec.yaml', [
      "No configurations were provided -- using built in recommended configuration by default.",
      "",
      "validating spec.yaml...",
      "[1] spec.yaml:1:1 at #/openapi",
      "",
      "Servers must be present.",
      "",
      "1 | openapi: 3.0.3",
      "  | ^^^^^^^",
      "2 | info:",
      "3 |   title: Pets",
      "",
      "Error was generated by the no-empty-servers rule.",
      "",
      "Reference: https://redocly.com/docs/cli/rules/oas/no-empty-servers",
      "",
      "",
      "[2] spec.yaml:16:15 at #/paths/~1pets/get/parameters/0/in",
      "",
      "`in` can be one of the following only: \"query\", \"header\", \"path\", \"cookie\".",
      "",
      "14 | parameters:",
      "15 |   - name: limit",
      "16 |     in: querystring",
      "   |         ^^^^^^^^^^^",
      "17 |     schema:",
      "18 |       type: integer",
      "",
      "Error was generated by the struct rule.",
      "",
      "",
      "spec.yaml: validated in 40ms",
      "",
      "❌ Validation failed with 2 errors.",
      "run `redocly lint --generate-ignore-file` to add all problems to the ignore file.",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '[1] spec.yaml:1:1 at #/openapi'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'Servers must be present.'), lineOf(log, '[2] spec.yaml:16:15'), lineOf(log, '`in` can be one of')]));
    expect(analysis.category).toBe('lint');
  });

  it("Less: lessc's `ParseError: … in file on line N, column N:` is a stylesheet's compile error, not Python's", async () => {
    // Prepare: lessc 4.9.1 on a rule missing its semicolon, in colour as lessc prints it.
    const log = failedStepLines('npx lessc styles/grid.less public/grid.css', [
      "\u001b[31mParseError: Unrecognised input\u001b[39m\u001b[31m in \u001b[39m/home/runner/work/grid/grid/styles/grid.less\u001b[90m on line 4, column 9:\u001b[39m",
      "\u001b[90m3   gap: 8px\u001b[39m",
      "4   .cell \u001b[7m\u001b[31m\u001b[1m{\u001b[22m color: red; }\u001b[39m\u001b[27m",
      "\u001b[90m5 \u001b[39m\u001b[0m\u001b[0m",
      "",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'ParseError: Unrecognised input'));
    expect(analysis.category).toBe('compilation');
  });

  it("AssemblyScript: `ERROR AS200: message` with its excerpt and `└─ in file(l,c)` is a compile error", async () => {
    // Prepare: asc 0.28.20 on a division of an i32 returned as f32.
    const log = failedStepLines('npx asc assembly/index.ts --outFile build/stats.wasm', [
      "ERROR AS200: Conversion from type 'i32' to 'f32' requires an explicit cast.",
      "   :",
      " 8 │ return sum(values) / values.length;",
      "   │        ~~~~~~~~~~~~~~~~~~~~~~~~~~~",
      "   └─ in assembly/index.ts(8,10)",
      "",
      "FAILURE 1 compile error(s)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'ERROR AS200:'));
    expect(predictionLines(analysis)).toContain(lineOf(log, '└─ in assembly/index.ts(8,10)'));
    expect(analysis.category).toBe('compilation');
  });

  it("Agda: `file.agda:L,C-C` over its message (`Not in scope:`, `when scope checking m`) is a type checker's error", async () => {
    // Prepare: Agda 2.6.2.2 on a clause naming a variable it never bound.
    const log = failedStepLines('agda -i src src/Nat.agda', [
      "Checking Nat (/home/runner/work/agda-nat/agda-nat/src/Nat.agda).",
      "/home/runner/work/agda-nat/agda-nat/src/Nat.agda:9,35-36",
      "Not in scope:",
      "  m at /home/runner/work/agda-nat/agda-nat/src/Nat.agda:9,35-36",
      "when scope checking m",
    ], 42);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'src/Nat.agda:9,35-36'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'Not in scope:'), lineOf(log, 'when scope checking m')]));
    expect(analysis.category).toBe('compilation');
  });

  it("madge --circular: `✖ Found N circular dependencies!` and each numbered cycle are the report, a lint finding", async () => {
    // Prepare: madge 8.0.0 finding two cycles, after its progress lines.
    const log = failedStepLines('npx madge --circular --extensions js src/', [
      "- Finding files",
      "Processed 7 files (618ms) ",
      "",
      "✖ Found 2 circular dependencies!",
      "",
      "1) audit.js > log.js",
      "2) cart.js > pricing.js > discounts.js",
      "",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '✖ Found 2 circular'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, '1) audit.js > log.js'), lineOf(log, '2) cart.js >')]));
    expect(analysis.category).toBe('lint');
  });

  it("HTML Tidy: its `line L column C - Warning: …` lines fail `tidy -errors` (exit 1) and are listed, a lint finding", async () => {
    // Prepare: HTML Tidy 5.6.0 on a page with an unclosed link and an image with no alt text: warnings only.
    const log = failedStepLines('tidy -errors -quiet public/faq.html', [
      "line 9 column 34 - Warning: inserting implicit <p>",
      "line 9 column 11 - Warning: missing </a>",
      "line 8 column 1 - Warning: <img> lacks \"alt\" attribute",
      "line 9 column 34 - Warning: trimming empty <p>",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'inserting implicit <p>'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'lacks "alt"'), lineOf(log, 'trimming empty <p>')]));
    expect(analysis.category).toBe('lint');
  });

  it("SWIG: `file.i:N: Error: message` is a wrapper generator's compile error, not a linter's finding", async () => {
    // Prepare: SWIG 4.1.0 on an interface file whose class declaration misses a semicolon.
    const log = failedStepLines('swig -python -c++ -o build/shapes_wrap.cxx swig/shapes.i', [
      "swig/shapes.i:8: Error: Syntax error - possibly a missing semicolon (';').",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'swig/shapes.i:8: Error:'));
    expect(analysis.category).toBe('compilation');
  });

  it("TypeDoc under --treatWarningsAsErrors: its `[warning]` lines are the report, `Found 0 errors and 2 warnings` its tally", async () => {
    // Prepare: TypeDoc 0.28.20 with a type it does not document and a link it cannot resolve (exit 4), in colour.
    const log = failedStepLines('npx typedoc --treatWarningsAsErrors --out docs/api src/index.ts', [
      "\u001b[93m[warning]\u001b[0m Order, defined in @acme/orders-sdk/src/index.ts, is referenced by OrdersClient.get but not included in the documentation",
      "\u001b[93m[warning]\u001b[0m Failed to resolve link to \"OrderRecord\" in comment for OrdersClient.get",
      "\u001b[93m[warning]\u001b[0m Found 0 errors and 2 warnings",
    ], 4);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'Order, defined in'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'Failed to resolve link'));
    expect(analysis.category).toBe('compilation');
  });
});
