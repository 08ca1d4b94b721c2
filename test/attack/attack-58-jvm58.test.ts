import { describe, expect, it } from 'vitest';
import { analyzeLog, type LogAnalysis, predictionLines } from '../../shared/logs/index.js';

/**
 * Attack on session 58's JVM sweep (branch jvm58: `javac.werror`, `maven.oom-message`, `surefire.fork-crash` taking
 * the fork's trace, `surefire.failed` going on under a bare exception name, and the Jenkins layouts of
 * test/fixtures/jenkins-real-tools). Each row is a realistic log the sweep's fixtures do not hold; the outputs were
 * made with the real tools on this machine (OpenJDK 17.0.15 javac, Maven 3.8.7 offline with maven-compiler-plugin
 * 3.13.0 and Surefire 3.2.5) unless a row says otherwise. A row the fix did not reach stays `it.fails`, saying why.
 */

/** The analysis of one GitHub Actions step: its header, `lines`, the runner's exit annotation (lines 5… are `lines`). */
async function stepAnalysis(command: string, ...lines: string[]): Promise<LogAnalysis> {
  const log = [`##[group]Run ${command}`, command, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...lines, '##[error]Process completed with exit code 1.', ''];
  return analyzeLog(log.join('\n'));
}

describe('javac under -Werror: a warning that names no file is the reason too', () => {
  it("takes javac's own `warning: [options] …` above `error: warnings found and -Werror specified` (javac -source 8 on JDK 17)", async () => {
    // Prepare: `javac -source 8 -target 8 -Werror`: the one warning is about the options, not a file.
    const analysis = await stepAnalysis('javac -source 8 -target 8 -Werror -d out src/Ledger.java',
      'warning: [options] bootstrap class path not set in conjunction with -source 8',
      'error: warnings found and -Werror specified',
      '1 error',
      '1 warning');
    // Act
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(lines).toEqual(expect.arrayContaining([5, 6]));
  });

  it("takes maven-compiler-plugin's file-less `[WARNING] bootstrap class path not set …` under COMPILATION WARNING", async () => {
    // Prepare: maven-compiler-plugin 3.13.0 with `<source>8</source>` and `-Werror` on JDK 17 (lines 5-22).
    const analysis = await stepAnalysis('mvn -B -ntp compile',
      '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ billing ---',
      '[INFO] Recompiling the module because of changed source code.',
      '[INFO] Compiling 1 source file with javac [debug target 8] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] COMPILATION WARNING : ',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] bootstrap class path not set in conjunction with -source 8',
      '[INFO] 1 warning',
      '[INFO] -------------------------------------------------------------',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] warnings found and -Werror specified',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
      '[INFO] ------------------------------------------------------------------------',
      '[INFO] BUILD FAILURE',
      '[INFO] ------------------------------------------------------------------------');
    // Act
    const lines = predictionLines(analysis);
    // Assert: the warning (11) with the error (17); the compiler's own header lines (7, 9) are not a reason.
    expect(analysis.failures[0]?.lines[0]?.line).toBe(17);
    expect(analysis.category).toBe('compilation');
    expect(lines).toEqual(expect.arrayContaining([11, 17]));
    expect(lines).not.toContain(7);
  });
});

/** Surefire 3.2.5's run of a test that fills a `-Xmx64m` heap (real output, its frames cut to two). */
const SUREFIRE_OOM = [
  '[INFO] Running com.acme.InvTest',
  '[ERROR] Java heap space',
  '[INFO] ',
  '[INFO] Results:',
  '[INFO] ',
  '[INFO] Tests run: 0, Failures: 0, Errors: 0, Skipped: 0',
  '[INFO] ',
  '[INFO] ------------------------------------------------------------------------',
  '[INFO] BUILD FAILURE',
  '[INFO] ------------------------------------------------------------------------',
  '[INFO] Total time:  2.174 s',
  '[INFO] Finished at: 2026-11-28T14:10:14Z',
  '[INFO] ------------------------------------------------------------------------',
  '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project billing: ',
  '[ERROR] ',
  '[ERROR] Please refer to /app/target/surefire-reports for the individual test results.',
  '[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.',
  '[ERROR] There was an error in the forked process',
  '[ERROR] Java heap space',
  '[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: There was an error in the forked process',
  '[ERROR] Java heap space',
  '[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.fork(ForkStarter.java:628)',
  '[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.run(ForkStarter.java:285)',
  '[ERROR] -> [Help 1]',
  '[ERROR] ',
  '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
  '[ERROR] Re-run Maven using the -X switch to enable full debug logging.',
];

describe("Maven's closing report behind a task runner's prefix", () => {
  it('lists the fork\'s error under the goal when Maven runs in docker compose (`tests-1  | ` before each line)', async () => {
    // Prepare: `docker compose up --exit-code-from tests` (compose v2): the container's name before each of Maven's
    // lines; lines 5-31 are SUREFIRE_OOM, 22-23 the fork's error under the goal.
    const plain = await stepAnalysis('mvn -B -ntp test', ...SUREFIRE_OOM);
    const composed = await stepAnalysis('docker compose up --exit-code-from tests', ...SUREFIRE_OOM.map((l) => `tests-1  | ${l}`));
    // Act
    const plainLines = predictionLines(plain);
    const composedLines = predictionLines(composed);
    // Assert: the prefix changes nothing.
    expect(plainLines).toEqual(expect.arrayContaining([6, 22, 23]));
    expect(composedLines).toEqual(plainLines);
    expect(composed.category).toBe('out_of_memory');
  });
});

/**
 * A Jenkins job's workspace is named after the job, and a job's name may hold spaces (`billing main` gives
 * `/var/jenkins_home/workspace/billing main`): javac and Maven print such paths as they are.
 */
describe('javac errors under a workspace path with a space (a Jenkins job named `billing main`)', () => {
  it("puts Maven's `[ERROR] /…/billing main/…/Ledger.java:[5,51] cannot find symbol` first, with its symbol lines", async () => {
    // Prepare: maven-compiler-plugin 3.13.0 (real output, run in a folder named `billing main`) in a freestyle job.
    const log = [
      'Started by user admin',
      'Running as SYSTEM',
      'Building in workspace /var/jenkins_home/workspace/billing main',
      '[billing main] $ /bin/sh -xe /tmp/jenkins1234567890.sh',
      '+ mvn -B -ntp compile',
      '[INFO] --- maven-compiler-plugin:3.13.0:compile (default-compile) @ billing ---',
      '[INFO] Compiling 1 source file with javac [debug release 17] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] /var/jenkins_home/workspace/billing main/src/main/java/com/acme/Ledger.java:[5,51] cannot find symbol',
      '  symbol:   variable missing',
      '  location: class com.acme.Ledger',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
      '[INFO] ------------------------------------------------------------------------',
      '[INFO] BUILD FAILURE',
      '[INFO] ------------------------------------------------------------------------',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project billing: Compilation failure',
      '[ERROR] /var/jenkins_home/workspace/billing main/src/main/java/com/acme/Ledger.java:[5,51] cannot find symbol',
      '[ERROR]   symbol:   variable missing',
      '[ERROR]   location: class com.acme.Ledger',
      '[ERROR] -> [Help 1]',
      "Build step 'Execute shell' marked build as failure",
      'Finished: FAILURE',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(11);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([11, 12, 13]));
  });

  it("reads Ant's `    [javac] /…/reports nightly/…/Row.java:9: error: …` as javac's, each error a report", async () => {
    // Prepare: Ant 1.10.13's <javac> in a freestyle job named `reports nightly`.
    const log = [
      'compile:',
      '    [javac] Compiling 2 source files to /var/jenkins_home/workspace/reports nightly/build',
      "    [javac] /var/jenkins_home/workspace/reports nightly/src/com/acme/reports/Row.java:9: error: bad operand types for binary operator '=='",
      '    [javac]         return amount == null;',
      '    [javac]                       ^',
      '    [javac]   first type:  int',
      '    [javac]   second type: <null>',
      '    [javac] /var/jenkins_home/workspace/reports nightly/src/com/acme/reports/Summary.java:18: error: cannot find symbol',
      '    [javac]         return "Summary for " + day.format(DateTimeFormatter.ISO_DATE);',
      '    [javac]                                            ^',
      '    [javac]   symbol:   variable DateTimeFormatter',
      '    [javac]   location: class Summary',
      '    [javac] 2 errors',
      '',
      'BUILD FAILED',
      '/var/jenkins_home/workspace/reports nightly/build.xml:9: Compile failed; see the compiler error output for details.',
      '',
      "Build step 'Execute shell' marked build as failure",
      'Finished: FAILURE',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.slice(0, 2).map((f) => [f.rule, f.startLine])).toEqual([['javac.error', 3], ['javac.error', 8]]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  });

  it('reads javac -Werror under Maven in such a workspace (`[ERROR] /…/billing main/…/Ledger.java: warnings found …`)', async () => {
    // Prepare: maven-compiler-plugin 3.13.0, `-Xlint:all -Werror` (mvn-werror.log's lines, in a spaced workspace).
    const log = [
      '[INFO] Compiling 2 source files with javac [debug release 17] to target/classes',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] COMPILATION WARNING : ',
      '[INFO] -------------------------------------------------------------',
      '[WARNING] /var/jenkins_home/workspace/billing main/src/main/java/com/acme/billing/Ledger.java:[8,19] found raw type: java.util.List',
      '  missing type arguments for generic class java.util.List<E>',
      '[INFO] 1 warning',
      '[INFO] -------------------------------------------------------------',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] COMPILATION ERROR : ',
      '[INFO] -------------------------------------------------------------',
      '[ERROR] /var/jenkins_home/workspace/billing main/src/main/java/com/acme/billing/Ledger.java: warnings found and -Werror specified',
      '[INFO] 1 error',
      '[INFO] -------------------------------------------------------------',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('javac.werror');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 12]));
  });
});

/** Maven 3.8.7 refusing a POM before any build (real output of `mvn -B -ntp -o verify`): the model's problems. */
describe("Maven's POM problems ('Some problems were encountered while processing the POMs')", () => {
  it('reports a dependency without a version as a configuration failure, the problem first, not a test failure', async () => {
    // Prepare: lines 5-18.
    const analysis = await stepAnalysis('mvn -B -ntp verify',
      '[INFO] Scanning for projects...',
      '[ERROR] [ERROR] Some problems were encountered while processing the POMs:',
      "[ERROR] 'dependencies.dependency.version' for org.junit.jupiter:junit-jupiter:jar is missing. @ line 4, column 29",
      ' @ ',
      '[ERROR] The build could not read 1 project -> [Help 1]',
      '[ERROR]   ',
      '[ERROR]   The project com.acme:billing:1.0 (/home/runner/work/billing/billing/pom.xml) has 1 error',
      "[ERROR]     'dependencies.dependency.version' for org.junit.jupiter:junit-jupiter:jar is missing. @ line 4, column 29",
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] Re-run Maven using the -X switch to enable full debug logging.',
      '[ERROR] ',
      '[ERROR] For more information about the errors and possible solutions, please read the following articles:',
      '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/ProjectBuildingException');
    // Act
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.category).toBe('configuration');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(lines).toEqual(expect.arrayContaining([6, 7]));
  });

  it('reports a POM that does not parse as a configuration failure (`[FATAL] Non-parseable POM …`)', async () => {
    // Prepare: lines 5-12.
    const analysis = await stepAnalysis('mvn -B -ntp verify',
      '[INFO] Scanning for projects...',
      '[ERROR] [ERROR] Some problems were encountered while processing the POMs:',
      '[FATAL] Non-parseable POM /home/runner/work/billing/billing/pom.xml: end tag name </buildx> must match start tag name <build> from line 5 (position: END_TAG seen ...</plugin>\\n  </plugins></buildx>... @9:22)  @ line 9, column 22',
      ' @ ',
      '[ERROR] The build could not read 1 project -> [Help 1]',
      '[ERROR]   ',
      '[ERROR]   The project  (/home/runner/work/billing/billing/pom.xml) has 1 error',
      '[ERROR]     Non-parseable POM /home/runner/work/billing/billing/pom.xml: end tag name </buildx> must match start tag name <build> from line 5 (position: END_TAG seen ...</plugin>\\n  </plugins></buildx>... @9:22)  @ line 9, column 22 -> [Help 2]');
    // Act
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.category).toBe('configuration');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(lines).toEqual(expect.arrayContaining([6, 7]));
  });

  it('leaves a parent POM that cannot be fetched to the dependency rule', async () => {
    // Prepare: lines 5-8.
    const analysis = await stepAnalysis('mvn -B -ntp verify',
      '[INFO] Scanning for projects...',
      '[ERROR] [ERROR] Some problems were encountered while processing the POMs:',
      "[FATAL] Non-resolvable parent POM for com.acme:billing:1.0: Cannot access central (https://repo.maven.apache.org/maven2) in offline mode and the artifact com.acme:acme-parent:pom:7 has not been downloaded from it before. and 'parent.relativePath' points at wrong local POM @ line 3, column 11",
      ' @ ',
      '[ERROR] The build could not read 1 project -> [Help 1]');
    // Act + Assert
    expect(analysis.category).toBe('dependency');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
  });
});

describe('javac under -Werror after a long list of warnings', () => {
  // The look-back finds no line other than the warnings within its reach (200 lines; the analyzer keeps 256): it
  // took nothing, so the block was the error alone, until session 59 (open59) gave it `atLimit`, the nearest
  // warnings from the first whole one within reach.
  it('lists the warnings nearest the error when there are more than the look-back reaches (javac 17, -Xlint:all -Werror)', async () => {
    // Prepare: 80 raw-type warnings, three lines each (the warning, the code, the caret): lines 5-244.
    const warnings = Array.from({ length: 80 }, (_, i) => [
      `src/main/java/com/acme/legacy/Ledger${i}.java:8: warning: [rawtypes] found raw type: List`,
      '    private final List entries = new ArrayList();',
      '                  ^',
    ]).flat();
    const analysis = await stepAnalysis('javac -Xlint:all -Werror -d build $(find src -name "*.java")', ...warnings,
      'error: warnings found and -Werror specified',
      '1 error',
      '80 warnings');
    // Act
    const lines = predictionLines(analysis);
    // Assert: the error first, with at least the warning right above it.
    expect(analysis.failures[0]?.lines[0]?.line).toBe(245);
    expect(lines).toContain(242);
  });
});

describe("Surefire 2.22's forked VM crash, its exception with a cause", () => {
  it("takes `[ERROR] Caused by: …SurefireBooterForkException` and `[ERROR] \\t... 4 more` into the crash's report", async () => {
    // Prepare: Surefire 2.22.2 after the OOM killer ended the fork (exit 137): the crash, then the exception's trace
    // with a `Caused by:` section behind `[ERROR] `; lines 5-56 (the crash 9-55).
    const command = "[ERROR] Command was /bin/sh -c cd /home/runner/work/shop/shop && /usr/lib/jvm/temurin-11-jdk-amd64/bin/java -jar /home/runner/work/shop/shop/target/surefire/surefirebooter4563.jar /home/runner/work/shop/shop/target/surefire 2026-11-28T07-31-02_123-jvmRun1 surefire8781tmp surefire_09912tmp";
    const crash = [command, '[ERROR] Error occurred in starting fork, check output in log', '[ERROR] Process Exit Code: 137', '[ERROR] Crashed tests:', '[ERROR] com.acme.shop.CartTest'];
    const analysis = await stepAnalysis('mvn -B test',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.22.2:test (default-test) on project shop: There are test failures.',
      '[ERROR] ',
      '[ERROR] Please refer to /home/runner/work/shop/shop/target/surefire-reports for the individual test results.',
      '[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.',
      '[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      ...crash,
      '[ERROR] org.apache.maven.surefire.booter.SurefireBooterForkException: ExecutionException The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      ...crash,
      ...Array.from({ length: 22 }, (_, i) => `[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.awaitResultsDone(ForkStarter.java:${500 + i})`),
      '[ERROR] Caused by: org.apache.maven.surefire.booter.SurefireBooterForkException: The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      ...crash,
      ...Array.from({ length: 6 }, (_, i) => `[ERROR] \tat org.apache.maven.plugin.surefire.booterclient.ForkStarter.fork(ForkStarter.java:${669 + i})`),
      '[ERROR] \t... 4 more',
      '[ERROR] -> [Help 1]');
    // Act
    const top = analysis.failures[0];
    // Assert: one report from the crash to the trace's end, the exit code making it out of memory.
    expect(top?.rule).toBe('surefire.fork-crash');
    expect([top?.startLine, top?.endLine]).toEqual([9, 55]);
    expect(analysis.category).toBe('out_of_memory');
    expect(analysis.failures.filter((f) => f.startLine > 9 && f.startLine <= 55)).toEqual([]);
  });
});
