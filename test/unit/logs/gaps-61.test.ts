/**
 * Session 61: the extractor's gaps that session 60's attackers and lead left open, each on a tool's real output shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

/** One log segment as `gh run view --log` prints it (cli/cli pkg/cmd/run/view): the file's BOM on its first line. */
function gh(job: string, step: string, texts: readonly string[], bom = true): string[] {
  return texts.map((t, i) => `${job}\t${step}\t${i === 0 && bom ? '\uFEFF' : ''}2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.0000000Z ${t}`);
}

/** A failed `run: npm test` step's job-log lines: the runner's header, Jest's report, the runner's exit line. */
const JEST_STEP = [
  '##[group]Run npm test', 'npm test', 'shell: /usr/bin/bash -e {0}', '##[endgroup]', '> app@1.0.0 test', '> jest', '',
  ' FAIL  src/sum.test.js', '  ● sum › adds', '', '    expect(received).toBe(expected)', '', '    Expected: 3', '    Received: 4', '',
  'Tests:       1 failed, 1 total', '##[error]Process completed with exit code 1.',
];

describe("`gh run view --log` output pasted under a few lines of something else (the command, a prompt, a blank line)", () => {
  afterEach(restoreFastPaths);
  const leads: Array<[string, string[]]> = [
    ['the command and a blank line', ['$ gh run view 9876543210 --log-failed', '']],
    ['a prompt, the command, a blank line', ['runner@ci:~/app$ ', 'runner@ci:~/app$ gh run view 9876543210 --log-failed', '']],
  ];

  it.each(leads)('reads the columns under %s, with the step gh names', async (_, lead) => {
    // Prepare
    const log = [...lead, ...gh('test (20)', 'Run npm test', JEST_STEP)];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('  ● sum › adds');
    expect(analysis.failures[0]?.step?.name).toBe('Run npm test');
  });

  it('finds the same failures with the fast paths forced on as reading every line does', async () => {
    const lead = ['$ gh run view 9876543210 --log-failed', ''];
    const log = [...lead, ...gh('test (20)', 'Run npm test', [...Array.from({ length: 400 }, (_, i) => `ok ${i}`), ...JEST_STEP])];
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log.join('\n')));
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ lines: Array<{ text: string }> }>)[0]?.lines[0]?.text).toBe('  ● sum › adds');
  });

  it('leaves a gh-shaped line below the first four lines in the text: the layout is decided at the top', async () => {
    // Prepare: a job log that quotes one line of gh's output in a test's message, well below the top.
    const log = ['make test', 'cc -c m.c', 'cc -o m m.o', './m', 'checking the log parser', ...gh('build', 'Run make', ['make: *** [all] Error 2']), 'FAIL: quoted line kept whole'];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const texts = analysis.failures.flatMap((f) => f.lines.map((l) => l.text));
    expect(texts.some((t) => t.startsWith('build\tRun make\t'))).toBe(true);
  });
});

describe('testng.failed over an exception printed without a message (`Throwable.toString()` is the class name alone)', () => {
  // Real TestNG 6.9.12 `-verbose 2` output on OpenJDK 17 (`java -ea org.testng.TestNG -testclass com.acme.CartTest`):
  // Java's `assert total == 3;` and a runaway recursion. The JVM prints at most 1024 frames of a stack.
  const testngFrames = [
    '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    '\tat org.testng.internal.Invoker.invokeMethod(Invoker.java:646)',
    '\tat org.testng.TestNG.main(TestNG.java:1374)',
  ];
  const summary = ['', '', '===============================================', '    Command line test', '    Tests run: 3, Failures: 2, Skips: 0', '==============================================='];

  it('reads `FAILED: test` over a bare `java.lang.AssertionError` as the test\'s failure', async () => {
    // Prepare
    const log = ['PASSED: emptyCartTotalsZero', 'FAILED: totalsThree', 'java.lang.AssertionError', '\tat com.acme.CartTest.totalsThree(CartTest.java:5)', ...testngFrames, ...summary];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(analysis.category).toBe('test_failure');
  });

  it('reads `FAILED: test` over a bare `java.lang.StackOverflowError` and its 1024 frames, then the next failed test', async () => {
    // Prepare
    const overflow = ['FAILED: recursesForever', 'java.lang.StackOverflowError', ...Array.from({ length: 1024 }, () => '\tat com.acme.CartTest.depth(CartTest.java:6)'), ''];
    const log = ['PASSED: emptyCartTotalsZero', ...overflow, 'FAILED: totalsThree', 'java.lang.AssertionError', '\tat com.acme.CartTest.totalsThree(CartTest.java:5)', ...testngFrames, ...summary];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    // Each report shows the exception first, its `FAILED:` line under it.
    const heads = analysis.failures.map((f) => f.lines.slice(0, 2).map((l) => l.text));
    expect(heads).toContainEqual(['java.lang.StackOverflowError', 'FAILED: recursesForever']);
    expect(heads).toContainEqual(['java.lang.AssertionError', 'FAILED: totalsThree']);
    expect(analysis.failures.every((f) => f.rule === 'testng.failed')).toBe(true);
  });
});

describe("minitest 4's report (Ruby <= 2.1): the test's name `test_x(Class)` on the line under `N) Error:`", () => {
  // Built from minitest 4.7's `puke` (lib/minitest/unit.rb): `"Error:\n#{meth}(#{klass}):\n#{e.class}: #{e.message}\n
  // #{bt}\n"`, `"Failure:\n#{meth}(#{klass}) [#{location e}]:\n#{e.message}\n"`, each printed as `"\n%3d) %s"`. Not
  // captured: minitest 4 is not installable here (no gem index).
  const run = (report: readonly string[]): string =>
    ['Run options: --seed 4711', '', '# Running tests:', '', 'FE', '', 'Finished tests in 0.001000s, 2000.0 tests/s, 1000.0 assertions/s.', '', ...report, '', '2 tests, 1 assertions, 1 failures, 1 errors, 0 skips'].join('\n');

  it("reads an error's report: `N) Error:`, the test's name, the exception and its frames", async () => {
    // Prepare
    const log = run(['  1) Error:', 'test_total(CartTest):', "NoMethodError: undefined method `price' for nil:NilClass", "    test/cart_test.rb:5:in `test_total'"]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([9, 10, 11, 12]));
  });

  it("reads a failure's report: `N) Failure:`, the test's name with its location, the message", async () => {
    // Prepare
    const log = run(['  1) Failure:', 'test_tax(InvoiceTest) [test/invoice_test.rb:8]:', 'Expected: 3', '  Actual: 2']);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([9, 10, 11]));
  });
});

describe('nox: a session that passed before a failed one is no part of the failed session\'s report', () => {
  it("lists the lint session's missing module and the tests session's failure, not the docs session's complaint", async () => {
    // Prepare: real output of nox 2026.8.17 (`venv_backend="none"`): the docs session prints an `ERROR:` line and
    // passes, the lint session fails on a module that is not installed, the tests session on a unittest failure.
    const log = [
      '##[group]Run nox', 'nox', 'shell: /usr/bin/bash -e {0}', '##[endgroup]',
      "nox > Running session docs",
      "nox > uv binary not found.",
      "nox > python3 -c 'import sys; print(\"ERROR: pip'\"'\"'s dependency resolver does not currently take into account all the packages that are installed.\", file=sys.stderr)'",
      "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed.",
      "nox > Session docs was successful.",
      "nox > Running session lint",
      "nox > python3 -m flake9 src",
      "/opt/hostedtoolcache/Python/3.11.7/x64/bin/python3: No module named flake9",
      "nox > Command python3 -m flake9 src failed with exit code 1",
      "nox > Session lint failed.",
      "nox > Running session tests",
      "nox > python3 -m unittest -v",
      "test_total (test_cart.CartTest.test_total) ... FAIL",
      "",
      "======================================================================",
      "FAIL: test_total (test_cart.CartTest.test_total)",
      "----------------------------------------------------------------------",
      "Traceback (most recent call last):",
      "  File \"/home/runner/work/shop/shop/test_cart.py\", line 4, in test_total",
      "    self.assertEqual(sum([1, 2]), 4)",
      "AssertionError: 3 != 4",
      "",
      "----------------------------------------------------------------------",
      "Ran 1 test in 0.000s",
      "",
      "FAILED (failures=1)",
      "nox > Command python3 -m unittest -v failed with exit code 1",
      "nox > Session tests failed.",
      "nox > Ran 3 sessions:",
      "nox > * docs: success",
      "nox > * lint: failed",
      "nox > * tests: failed",
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: line 8 is the docs session's `ERROR:` line, 12 the lint session's, 20 to 25 unittest's report.
    const lines = predictionLines(analysis);
    expect(lines).toEqual(expect.arrayContaining([12, 20, 25]));
    expect(lines).not.toContain(8);
    expect([12, 20, 25]).toContain(analysis.failures[0]?.lines[0]?.line);
  });
});

describe('a block that counts only once confirmed (Rule.confirmedBy) has its lines read again before they leave the ring', () => {
  // Built, not captured: ansible-lint's report heading (an `until` block of up to 400 lines, confirmed by a violation)
  // over a script's output that holds no violation, longer than the analyzer's ring of 256 lines. The block's lines are
  // read again as under no block before they leave the ring (readHeldLines, attack 61: the block stays open, for a
  // confirmation further down), and the rest once it is dropped unconfirmed (rereadUnconfirmed).
  afterEach(restoreFastPaths);
  const filler = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `Processed record ${from + i}`);
  const traceback = ['Traceback (most recent call last):', '  File "/home/runner/work/app/app/load.py", line 3, in <module>', '    rows = json.load(fh)', 'ValueError: bad row'];

  it.each([
    ['near the top of a long block', 5],
    ['in the middle of a long block', 200],
    ['far below the headline', 320],
  ])('finds a traceback %s', async (_, at) => {
    // Prepare: the headline on line 2, the traceback from line `at + 2`.
    const log = ['$ ./lint.sh', 'WARNING  Listing 3 violation(s) that are fatal', ...filler(1, at - 1), ...traceback, ...filler(at, 400 - at), 'exit status 1'];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toContain('ValueError: bad row');
    expect(analysis.failures.map((f) => f.rule)).not.toContain('ansible-lint.report');
  });

  it('finds the same with the fast paths forced on', async () => {
    const log = ['$ ./lint.sh', 'WARNING  Listing 3 violation(s) that are fatal', ...filler(1, 4), ...traceback, ...filler(5, 600), 'exit status 1'];
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log.join('\n')));
    expect(fast).toEqual(everyLine);
  });
});

describe("bun test's coloured verdicts on tests that did not fail (`✓`, `»`, `✎`) are no failures", () => {
  // Real output of bun 1.4.5 under FORCE_COLOR=1 (a failed `toBe`, a passed test, a `test.todo` whose name says
  // `failure`), the project at /app, as `docker compose up` prints a service's lines (`app-1  | `).
  const coloured = [
    "\u001b[0m\u001b[1mbun test \u001b[0m\u001b[2mv1.4.5 (a7733435c)\u001b[0m",
    "\u001b[0m",
    "cart.test.ts:",
    "\u001b[0m\u001b[1m1 |\u001b[0m \u001b[0m\u001b[35mimport\u001b[0m { test, expect } \u001b[0m\u001b[35mfrom\u001b[0m \u001b[0m\u001b[32m\"bun:test\"\u001b[0m\u001b[0m\u001b[2m;\u001b[0m",
    "\u001b[0m\u001b[1m2 |\u001b[0m test(\u001b[0m\u001b[32m\"adds\"\u001b[0m, () => { expect(\u001b[0m\u001b[33m1\u001b[0m + \u001b[0m\u001b[33m1\u001b[0m)\u001b[0m\u001b[3m\u001b[1m.toBe\u001b[0m(\u001b[0m\u001b[33m3\u001b[0m)\u001b[0m\u001b[2m;\u001b[0m })\u001b[0m\u001b[2m;\u001b[0m",
    "                                       \u001b[31m\u001b[1m^\u001b[0m",
    "\u001b[0m\u001b[31merror\u001b[0m\u001b[2m:\u001b[0m \u001b[1m\u001b[2mexpect(\u001b[0m\u001b[31mreceived\u001b[0m\u001b[2m).\u001b[0mtoBe\u001b[2m(\u001b[0m\u001b[32mexpected\u001b[0m\u001b[2m)\u001b[0m",
    "",
    "Expected: \u001b[32m3\u001b[0m",
    "Received: \u001b[31m2\u001b[0m",
    "\u001b[0m",
    "\u001b[0m      \u001b[2mat \u001b[0m\u001b[0m\u001b[2m<anonymous>\u001b[0m\u001b[2m (\u001b[0m\u001b[0m\u001b[36m\u001b[2m/app/\u001b[0m\u001b[36mcart.test.ts\u001b[0m\u001b[2m:\u001b[0m\u001b[33m2\u001b[0m\u001b[2m:\u001b[33m36\u001b[0m\u001b[2m)\u001b[0m",
    "\u001b[0m\u001b[31m\u2717\u001b[0m\u001b[0m\u001b[1m adds\u001b[0m \u001b[0m\u001b[2m[0.22ms\u001b[0m\u001b[2m]\u001b[0m",
    "\u001b[0m\u001b[32m\u2713\u001b[0m\u001b[0m\u001b[1m totals\u001b[0m \u001b[0m\u001b[2m[0.01ms\u001b[0m\u001b[2m]\u001b[0m",
    "\u001b[0m\u001b[35m\u270e\u001b[0m\u001b[0m\u001b[2m handles failure of the payment gateway\u001b[0m",
    "",
    "\u001b[0m\u001b[32m 1 pass\u001b[0m",
    " \u001b[0m\u001b[35m1 todo\u001b[0m",
    "\u001b[0m\u001b[31m 1 fail\u001b[0m",
    " 2 expect() calls",
    "Ran 3 tests across 1 file. \u001b[0m\u001b[2m[\u001b[1m7.00ms\u001b[0m\u001b[2m]\u001b[0m",
  ];
  const compose = (lines: readonly string[]): string => lines.map((l) => `app-1  | ${l}`).join('\n');

  it("lists the failed test's report and not the todo", async () => {
    // Act
    const analysis = await analyzeLog(compose(coloured));
    // Assert: line 7 is bun's `error:` line, 13 the `✗` verdict, 15 the todo.
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 6, 7, 9, 10, 12, 13]));
    expect(analysis.failures.flatMap((f) => f.lines.map((l) => l.line))).not.toContain(15);
  });

  it('reports nothing for a passing run with a todo (real bun 1.4.5 output, FORCE_COLOR=1, exit 0)', async () => {
    // Prepare
    const passing = [
      "\u001b[0m\u001b[1mbun test \u001b[0m\u001b[2mv1.4.5 (a7733435c)\u001b[0m",
      "\u001b[0m",
      "cart.test.ts:",
      "\u001b[0m\u001b[32m\u2713\u001b[0m\u001b[0m\u001b[1m totals\u001b[0m \u001b[0m\u001b[2m[0.05ms\u001b[0m\u001b[2m]\u001b[0m",
      "\u001b[0m\u001b[35m\u270e\u001b[0m\u001b[0m\u001b[2m handles failure of the payment gateway\u001b[0m",
      "",
      "\u001b[0m\u001b[32m 1 pass\u001b[0m",
      " \u001b[0m\u001b[35m1 todo\u001b[0m",
      "\u001b[0m\u001b[2m 0 fail\u001b[0m",
      " 1 expect() calls",
      "Ran 2 tests across 1 file. \u001b[0m\u001b[2m[\u001b[1m9.00ms\u001b[0m\u001b[2m]\u001b[0m",
    ];
    // Act
    const analysis = await analyzeLog(compose(passing));
    // Assert
    expect(analysis.failures).toEqual([]);
  });
});

describe("aws-cdk-lib's errors whose code is one word (`«Undefined» key is undefined`)", () => {
  // Real output of aws-cdk-lib 2.276.0 on Node 22 (`node bin/app.js`, an app calling
  // `ecs.CredentialSpec.arnForS3Object(bucket, '')`): 29 of the 2,825 codes aws-cdk-lib 2.276 throws with are one word
  // (`Undefined`, `Stack`, `Authorizer`, …). Node quotes the minified line it threw from (3,368 characters here).
  const thrown = [
      "/home/runner/work/infra/infra/node_modules/aws-cdk-lib/aws-ecs/lib/credential-spec.js:1",
      "\"use strict\";Object.defineProperty(exports,\"__esModule\",{value:!0}),exports.DomainlessCredentialSpec=exports.DomainJoinedCredentialSpec=exports.CredentialSpec=void 0;var jsiiDeprecationWarnings=()=>{var tmp=require(\"../../.warnings.jsii.js\");return jsiiDeprecationWarnings=()=>tmp,tmp};const JSII_RTTI_SYMBOL_1=Symbol.for(\"jsii.rtti\");var core_1=()=>{var tmp=require(\"../../core\");return core_1=()=>tmp,tmp},literal_string_1=()=>{var tmp=require(\"../../core/lib/private/literal-string\");return literal_string_1=()=>tmp,tmp};class CredentialSpec{static[JSII_RTTI_SYMBOL_1]={fqn:\"aws-cdk-lib.aws_ecs.CredentialSpec\",version:\"2.276.0\"};static arnForS3Object(bucket,key){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_s3_IBucket(bucket)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.arnForS3Object),error}if(!key)throw new(core_1()).ValidationError((0,literal_string_1().lit)`Undefined`,\"key is undefined\",bucket);return bucket.arnForObjects(key)}static arnForSsmParameter(parameter){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_ssm_IParameter(parameter)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.arnForSsmParameter),error}return parameter.parameterArn}prefixId;fileLocation;constructor(prefixId,fileLocation){this.prefixId=prefixId,this.fileLocation=fileLocation}bind(){return{typePrefix:this.prefixId,location:this.fileLocation}}}exports.CredentialSpec=CredentialSpec;class DomainJoinedCredentialSpec extends CredentialSpec{static[JSII_RTTI_SYMBOL_1]={fqn:\"aws-cdk-lib.aws_ecs.DomainJoinedCredentialSpec\",version:\"2.276.0\"};static fromS3Bucket(bucket,key){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_s3_IBucket(bucket)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.fromS3Bucket),error}return new DomainJoinedCredentialSpec(CredentialSpec.arnForS3Object(bucket,key))}static fromSsmParameter(parameter){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_ssm_IParameter(parameter)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.fromSsmParameter),error}return new DomainJoinedCredentialSpec(CredentialSpec.arnForSsmParameter(parameter))}constructor(fileLocation){super(\"credentialspec\",fileLocation)}}exports.DomainJoinedCredentialSpec=DomainJoinedCredentialSpec;class DomainlessCredentialSpec extends CredentialSpec{static[JSII_RTTI_SYMBOL_1]={fqn:\"aws-cdk-lib.aws_ecs.DomainlessCredentialSpec\",version:\"2.276.0\"};static fromS3Bucket(bucket,key){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_s3_IBucket(bucket)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.fromS3Bucket),error}return new DomainlessCredentialSpec(CredentialSpec.arnForS3Object(bucket,key))}static fromSsmParameter(parameter){try{jsiiDeprecationWarnings().aws_cdk_lib_aws_ssm_IParameter(parameter)}catch(error){throw process.env.JSII_DEBUG!==\"1\"&&error.name===\"DeprecationError\"&&Error.captureStackTrace(error,this.fromSsmParameter),error}return new DomainlessCredentialSpec(CredentialSpec.arnForSsmParameter(parameter))}constructor(fileLocation){super(\"credentialspecdomainless\",fileLocation)}}exports.DomainlessCredentialSpec=DomainlessCredentialSpec;",
      "                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                               ^",
      "",
      "\u00abUndefined\u00bb key is undefined",
      "    ...CredentialSpec.arnForS3Object in aws-cdk-lib...",
      "    at new SpecStack (/home/runner/work/infra/infra/bin/app.js:8:24)",
      "    at <anonymous> (/home/runner/work/infra/infra/bin/app.js:12:1)",
      "    ...node internals...",
      "Relates to construct:",
      "    <.> (aws-cdk-lib.App)",
      "     \u2514\u2500 SpecStack (aws-cdk-lib.Stack)",
      "         \u2514\u2500 Specs (aws-cdk-lib.aws_s3.Bucket)",
      "",
      "Node.js v22.23.3",
  ];

  it('reads the error and its construct path, the message first', async () => {
    // Act
    const analysis = await analyzeLog(['##[group]Run npx cdk synth', 'npx cdk synth', 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...thrown, '##[error]Process completed with exit code 1.'].join('\n'));
    // Assert: line 9 is the `«Undefined»` line.
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line]).toEqual(['cdk.error', 9]);
    expect(analysis.category).toBe('compilation');
  });

  it('leaves a one-word name in guillemets with no stack under it to the other rules (a French UI string)', async () => {
    const analysis = await analyzeLog(['Vérification des libellés', '«Enregistrer» manque dans fr.json', 'ok'].join('\n'));
    expect(analysis.failures.map((f) => f.rule)).not.toContain('cdk.error');
  });
});

describe("dune's diff action with patdiff (dune's diff tool when patdiff is installed)", () => {
  // dune 2.9.3 runs `patdiff -keep-whitespace -location-style omake -ascii expected output` (print_diff.ml) and prints
  // its output under the command: dune's lines are real; patdiff is not installable here, and a stand-in printed its
  // output in the format of patdiff's own tests (`------ old`, `++++++ new`, `File "old", line 2, characters 0-1:`,
  // the lines marked ` |`, `-|`, `+|`). With patdiff dune prints no `File "…", line 1, characters 0-0:` of its own.
  afterEach(restoreFastPaths);
  const patdiffRun = [
      "     patdiff (internal) (exit 1)",
      "(cd _build/default && /home/runner/.opam/default/bin/patdiff -keep-whitespace -location-style omake -ascii test/render.expected test/render.output)",
      "------ test/render.expected",
      "++++++ test/render.output",
      "File \"test/render.expected\", line 2, characters 0-1:",
      " |coffee      3.50",
      "-|bagel      12.05",
      "-|refund     -0.75",
      "+|bagel     12.05",
      "+|refund     0.-75",
  ];

  it("reads the diff as the test's failure: the location of its hunk first, the lines it changed listed", async () => {
    // Act
    const analysis = await analyzeLog(['##[group]Run dune runtest', 'dune runtest', 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...patdiffRun, '##[error]Process completed with exit code 1.'].join('\n'));
    // Assert: lines 7 and 8 name the files, 9 is the hunk's location, 11 to 14 the changed lines.
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.line]).toEqual(['dune.patdiff', 9]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8, 9, 11, 12, 13, 14]));
    expect(analysis.category).toBe('test_failure');
  });

  it('finds the same with the fast paths forced on, for files whose names hold no keyword', async () => {
    const golden = patdiffRun.map((l) => l.replaceAll('render.expected', 'render.golden'));
    const log = [...Array.from({ length: 400 }, (_, i) => `Done: ${i}/400 (jobs: 1)`), ...golden];
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log.join('\n')));
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ rule: string }>)[0]?.rule).toBe('dune.patdiff');
  });
});

describe("SvelteKit's error under Rolldown's `[plugin …]` line: a code on its line, the message on the next", () => {
  it('lists the message line under `SvelteKit error: module_removed_lib`, plain text at the line\'s start', async () => {
    // Prepare: SvelteKit 3.2's words (sveltekit-lib-removed.log): `SvelteKit error: <code>`, the message, the docs' link.
    const log = [
      'error during build:',
      'Build failed with 1 error:',
      '',
      '[plugin vite-plugin-sveltekit-setup]',
      'SvelteKit error: module_removed_lib',
      "`$lib` has been removed. Use `#lib` instead: https://svelte.dev/docs/kit/$lib. To keep using `$lib`, add `alias: { '$lib': 'src/lib' }` to your SvelteKit config.",
      'https://svelte.dev/e/kit/module_removed_lib',
      '    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/site/site/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
      'Done.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).toContain(6);
    expect(predictionLines(analysis)).not.toContain(9);
  });
});
