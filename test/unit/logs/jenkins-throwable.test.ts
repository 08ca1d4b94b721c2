import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, type Failure, refineCategory } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/toolchains');

/** Rule, first line, last line, line shown first and category of a failure. */
function extent(failure: Failure | undefined): [string | undefined, number | undefined, number | undefined, number | undefined, string | undefined] {
  return [failure?.rule, failure?.startLine, failure?.endLine, failure?.lines[0]?.line, failure?.category];
}

/** The first failure found in a log of `lines`. */
async function firstFailure(lines: readonly string[]): Promise<Failure | undefined> {
  return (await analyzeLog(lines.join('\n'))).failures[0];
}

/** The failure whose block holds line `line`. */
function blockAt(failures: readonly Failure[], line: number): Failure | undefined {
  return failures.find((f) => f.startLine <= line && line <= f.endLine);
}

/**
 * Jenkins prints a build's exceptions with `Functions.printThrowable` (jenkinsci/jenkins core/src/main/java/hudson/
 * Functions.java, `doPrintStackTrace`): the root cause first, each wrapping exception under it as `Caused: …` (not
 * Java's `Caused by: …`), a suppressed exception as `Also:   …` with its frames one tab deeper (`\t\tat`), under the
 * message that introduced it (`FATAL: …` from `Run`, `ERROR: Step ‘…’ aborted due to exception: ` from
 * `AbstractBuild`), or alone after `[Pipeline] End of Pipeline` (`WorkflowRun.finish`).
 */
describe("Jenkins' own exception layout (Functions.printThrowable)", () => {
  it("takes a failed checkout's whole trace, from `FATAL:` over git's stdout and stderr, `Also:` and `Caused:`, down to `Finished:`", async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'jenkins-git-checkout-enospc.log')));
    // Assert: the exception's line is shown first, as the Java rules show it; git's disk-full lines are inside.
    expect(extent(analysis.failures[0])).toEqual(['java.exception', 19, 62, 20, 'infrastructure']);
    expect(analysis.failures.filter((f) => f.startLine > 19 && f.startLine <= 62)).toEqual([]);
  });

  it("takes a freestyle step's trace whose root cause names no class (remoting's `Command Close created at`), and reads an agent's lost channel as infrastructure", async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'jenkins-agent-disconnected.log')));
    // Assert: `FATAL: command execution failed` down to the step's last frame; the publisher's trace after
    // `ERROR: Step ‘Archive the artifacts’ aborted due to exception: ` is a block of its own.
    const shell = blockAt(analysis.failures, 41);
    expect([shell?.rule, shell?.startLine, shell?.endLine, shell?.category]).toEqual(['java.exception', 29, 58, 'infrastructure']);
    expect(extent(blockAt(analysis.failures, 72))).toEqual(['java.exception', 62, 86, 63, 'infrastructure']);
    expect(analysis.category).toBe('infrastructure');
  });

  it("takes a Pipeline's final trace with its `Also:` call site and error id, and reads `Cannot contact …` as infrastructure", async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'jenkins-pipeline-agent-lost.log')));
    // Assert
    expect(extent(analysis.failures[0])).toEqual(['java.exception', 45, 78, 45, 'infrastructure']);
    expect(blockAt(analysis.failures, 39)?.category).toBe('infrastructure');
  });

  it("stops at the next Jenkins console line after the last frame, and takes the step's message above it", async () => {
    // Prepare: a step's exception under AbstractBuild's message (a publisher's, or a builder's in Jenkins before
    // 2.x's reportError), then Jenkins' own lines of the next steps.
    const intros = ['ERROR: Step ‘Publish JUnit test result report’ aborted due to exception: ', 'ERROR: Build step failed with exception'];
    const frames = ['\tat hudson.tasks.junit.JUnitResultArchiver.perform(JUnitResultArchiver.java:158)', '\tat hudson.tasks.BuildStepMonitor$1.perform(BuildStepMonitor.java:20)'];
    const nextLines = ['Recording test results', '[Pipeline] }', 'ERROR: builder02 is offline; cannot locate JDK 17', "Build step 'Execute shell' marked build as failure"];
    for (const intro of intros) {
      for (const next of nextLines) {
        const log = [
          'Archiving artifacts',
          intro,
          'java.lang.NullPointerException: Cannot invoke "hudson.tasks.junit.TestResult.getTotalCount()" because "result" is null',
          ...frames,
          next,
          'Finished: FAILURE',
        ].join('\n');
        // Act
        const analysis = await analyzeLog(log);
        // Assert
        expect(extent(blockAt(analysis.failures, 3)), `${intro} / ${next}`).toEqual(['java.exception', 2, 5, 3, 'unknown']);
      }
    }
  });

  it.each([
    ['its quotes lost to `?`', 'ERROR: Step ?Publish JUnit test result report? aborted due to exception: '],
    ['its UTF-8 quotes read as Windows-1252', 'ERROR: Step \u00e2\u20ac\u02dcPublish JUnit test result report\u00e2\u20ac\u2122 aborted due to exception: '],
    ['its Windows-1252 quotes read as UTF-8', 'ERROR: Step \ufffdPublish JUnit test result report\ufffd aborted due to exception: '],
  ])("takes the step's message above the trace with %s", async (_, intro) => {
    // Prepare: a console whose encoding is not the controller's (a Windows agent's, a log read back as another).
    const log = ['Archiving artifacts', intro, 'java.lang.NullPointerException: Cannot invoke "hudson.tasks.junit.TestResult.getTotalCount()" because "result" is null', '\tat hudson.tasks.junit.JUnitResultArchiver.perform(JUnitResultArchiver.java:158)', 'Recording test results', 'Finished: FAILURE'];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(extent(blockAt(analysis.failures, 3))).toEqual(['java.exception', 2, 4, 3, 'unknown']);
  });

  it("takes a suppressed exception's own cause (`\\tCaused: `) and the `\\t... N more` of a part Java printed", async () => {
    // Prepare: printThrowable prints a throwable that overrides printStackTrace as Java does (`Caused by:`, `... N
    // more`); a suppressed exception's cause comes first, right after `Also:   `, its own exception under it.
    const printedByJava = ['Caused by: java.io.EOFException', '\tat java.base/java.io.DataInputStream.readFully(DataInputStream.java:202)', '\t... 12 more'];
    const suppressed = ['Also:   java.io.IOException: Unexpected termination of the stream', '\t\tat com.acme.report.Upload.run(Upload.java:75)'];
    const suppressedCause = ['\tCaused: java.io.IOException: Upload aborted', '\t\tat com.acme.report.Upload.close(Upload.java:91)'];
    // Act
    const first = await firstFailure([
      'FATAL: Unable to publish the report',
      'com.acme.report.ReportException: Unable to read the report',
      '\tat com.acme.report.Reader.read(Reader.java:40)',
      ...printedByJava,
      ...suppressed,
      ...suppressedCause,
      'Caused: java.io.IOException: Failed to publish the report',
      '\tat com.acme.report.Publisher.perform(Publisher.java:162)',
      'Recording fingerprints',
    ]);
    // Assert
    expect(extent(first).slice(0, 4)).toEqual(['java.exception', 1, 12, 2]);
  });

  it("reads a Pipeline's `missing workspace … on …` and a remoting exception named in a message as infrastructure", async () => {
    // Prepare: durable-task's AbortException, printed by WorkflowRun as `ERROR: …`.
    const missing = ['[Pipeline] End of Pipeline', 'ERROR: missing workspace /home/jenkins/workspace/shop-web_main on builder03', 'Finished: FAILURE'].join('\n');
    const aborted = [
      '[Pipeline] End of Pipeline',
      'java.io.IOException: Remote call on builder03 failed',
      '\tat hudson.remoting.Channel.call(Channel.java:1004)',
      'Finished: FAILURE',
    ].join('\n');
    // Act
    const [fromMissing, fromAborted] = await Promise.all([analyzeLog(missing), analyzeLog(aborted)]);
    // Assert
    expect(fromMissing.category).toBe('infrastructure');
    expect(fromAborted.category).toBe('infrastructure');
  });

  it("takes git's whole message under `stderr:`, its blank line and `Please make sure …` lines included", async () => {
    // Prepare: git's own die message for a remote it could not read (connect.c), quoted by GitException, then the
    // blank line printThrowable leaves after a message that ends in a newline.
    const stderr = 'ssh: Could not resolve hostname github.com: Temporary failure in name resolution\nfatal: Could not read from remote repository.';
    const message = `stdout: \nstderr: ${stderr}\n\nPlease make sure you have the correct access rights\nand the repository exists.\n`.split('\n');
    // Act
    const first = await firstFailure([
      "ERROR: Error fetching remote repo 'origin'",
      'hudson.plugins.git.GitException: Command "git fetch --tags --force --progress -- git@github.com:acme/shop.git +refs/heads/*:refs/remotes/origin/*" returned status code 128:',
      ...message,
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2734)',
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl$1.execute(CliGitAPIImpl.java:635)',
      'ERROR: Error fetching remote repo \'origin\'',
      'Finished: FAILURE',
    ]);
    // Assert
    expect(extent(first)).toEqual(['java.exception', 2, 11, 2, 'network']);
  });

  it("does not read a call site (`Also:   hudson.remoting.Channel$CallSiteStackTrace: Remote call to …`) as a lost agent", async () => {
    // Prepare: the agent ran git, which failed on its own; remoting only says where the call came from.
    const sha = '2b8e4f1a9c0d7e6b5a4f3e2d1c0b9a8f7e6d5c4b';
    const callSite = ['Also:   hudson.remoting.Channel$CallSiteStackTrace: Remote call to builder02', '\t\tat hudson.remoting.Channel.attachCallSiteStackTrace(Channel.java:1784)'];
    // Act
    const first = await firstFailure([
      `FATAL: Could not checkout ${sha}`,
      `hudson.plugins.git.GitException: Command "git checkout -f ${sha}" returned status code 128:`,
      'stdout: ',
      `stderr: fatal: reference is not a tree: ${sha}`,
      '',
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2734)',
      ...callSite,
      `Caused: hudson.plugins.git.GitException: Could not checkout ${sha}`,
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl$9.execute(CliGitAPIImpl.java:3085)',
      'Finished: FAILURE',
    ]);
    // Assert
    expect(extent(first).slice(0, 4)).toEqual(['java.exception', 1, 10, 2]);
    expect(first?.category).not.toBe('infrastructure');
  });
});

/**
 * A GitException quotes all of git's output, however many lines: a checkout that could not write its files lists
 * each one (git 2.39.5 into a full file system), then `HEAD is now at …`; Java's own layout (`Caused by: `) quotes
 * it the same way. See the fixtures' index for how each was made.
 */
describe("git's output quoted by a GitException", () => {
  it('keeps a trace whole over more than eight lines of git', async () => {
    // Act
    const first = (await analyzeLog(readFileSync(resolve(FIXTURES, 'jenkins-git-checkout-write-errors.log')))).failures[0];
    // Assert
    expect(extent(first).slice(0, 3)).toEqual(['java.exception', 19, 70]);
  });

  it("reads git's network failure under `Caused by: ` deep in a long trace", async () => {
    // Act
    const first = (await analyzeLog(readFileSync(resolve(FIXTURES, 'jenkins-git-fetch-java-layout.log')))).failures[0];
    // Assert
    expect(extent(first)).toEqual(['java.exception', 14, 30, 14, 'network']);
  });

  it("reads git's words on a line under `stderr:`, past its progress (`--progress`: `remote: …`)", async () => {
    // Prepare: the fixture's trace over a fetch whose connection was reset (git 2.39's words for curl's error 56).
    const fixture = readFileSync(resolve(FIXTURES, 'jenkins-git-checkout-write-errors.log'), 'utf8').split('\n');
    const fetch = 'git fetch --tags --force --progress -- git@github.com:acme/billing-service.git +refs/heads/*:refs/remotes/origin/*';
    const git = [
      `hudson.plugins.git.GitException: Command "${fetch}" returned status code 128:`,
      'stdout: ',
      'stderr: remote: Enumerating objects: 48213, done.',
      'remote: Counting objects: 100% (2113/2113), done.',
      'remote: Compressing objects: 100% (904/904), done.',
      'error: RPC failed; curl 56 OpenSSL SSL_read: Connection reset by peer, errno 104',
      'fatal: early EOF',
      'fatal: fetch-pack: invalid index-pack output',
    ];
    const log = [...fixture.slice(0, 18), 'FATAL: Could not fetch from git@github.com:acme/billing-service.git', ...git, ...fixture.slice(31)];
    // Act
    const first = await firstFailure(log);
    // Assert
    expect([first?.rule, first?.startLine, first?.category]).toEqual(['java.exception', 19, 'network']);
  });

  // git names the files it could not write, and a file's name is no word of why: a Rails app's stylesheets are no
  // lint failure, its specs no test failure.
  it.each([
    // git 2.39.5 checking out into a directory its user may not write (`su nobody`), as it printed it.
    [
      [
        'error: unable to create file app/assets/stylesheets/application.css: Permission denied',
        'error: unable to create file app/assets/stylesheets/print.css: Permission denied',
        'error: unable to create file app/assets/stylesheets/theme.css: Permission denied',
      ],
      'configuration',
    ],
    [
      [
        'error: unable to write file app/models/invoice.rb',
        'error: unable to write file app/models/ledger.rb',
        'error: unable to write file app/models/payment.rb',
        'error: unable to write file app/assets/stylesheets/application.css',
        'error: unable to write file spec/models/invoice_spec.rb',
      ],
      'unknown',
    ],
  ])("reads git's words, not the names of the files it lists: %j", async (files, category) => {
    // Prepare: the fixture's trace over these lines of git instead of its own.
    const fixture = readFileSync(resolve(FIXTURES, 'jenkins-git-checkout-write-errors.log'), 'utf8').split('\n');
    const log = [...fixture.slice(0, 21), `stderr: ${files[0]}`, ...files.slice(1), ...fixture.slice(30)];
    // Act
    const first = await firstFailure(log);
    // Assert
    expect(extent(first).slice(0, 2).concat(first?.category)).toEqual(['java.exception', 19, category]);
  });
});

/**
 * Jenkins' remoting says an agent went away in its own words, `Remote call on builder03 failed`: the message of an
 * IOException or of a ChannelClosedException. Other programs use the same words for a call of theirs that failed,
 * which is their network's or their clock's failure, not a Jenkins agent's.
 */
describe("another program's `Remote call to … failed`", () => {
  it("is not a lost Jenkins agent (node 22, a fetch to a port nothing listens on, rethrown)", async () => {
    // Prepare: node call.mjs, as node printed it (paths shortened to /app).
    const log = [
      '$ node call.mjs',
      'file:///app/call.mjs:5',
      '  throw new Error(`Remote call to ${url} failed: ${err.cause?.code ?? err.message}`, { cause: err });',
      '        ^',
      '',
      'Error: Remote call to http://127.0.0.1:59999/v1/orders failed: ECONNREFUSED',
      '    at file:///app/call.mjs:5:9',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:103:5) {',
      '  [cause]: TypeError: fetch failed',
      '      at node:internal/deps/undici/undici:15270:13',
      '      at process.processTicksAndRejections (node:internal/process/task_queues:103:5)',
      '      at async file:///app/call.mjs:3:3 {',
      '    [cause]: Error: connect ECONNREFUSED 127.0.0.1:59999',
      '        at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1638:16) {',
      '      errno: -111,',
      "      code: 'ECONNREFUSED',",
      "      syscall: 'connect',",
      "      address: '127.0.0.1',",
      '      port: 59999',
      '    }',
      '  }',
      '}',
      '',
      'Node.js v22.23.3',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('network');
    expect(analysis.failures.map((f) => f.category)).not.toContain('infrastructure');
  });

  it.each([
    ['Error: Remote call to https://api.acme.dev/v1/orders failed: connect ECONNREFUSED 10.0.0.5:443', 'network'],
    ['RuntimeError: Remote call to inventory-svc failed: deadline exceeded after 30s', 'timeout'],
  ])('%s', (text, category) => {
    // Act / Assert
    expect(refineCategory(text, 'unknown')).toBe(category);
  });

  it.each([
    ['java.io.IOException: Remote call on builder03 failed'],
    ['Caused: java.io.IOException: Remote call on JNLP4-connect connection from 10.0.0.7/10.0.0.7:50312 failed'],
    ['hudson.remoting.ChannelClosedException: Channel "hudson.remoting.Channel@4b1e8c2a:builder02": Remote call on builder02 failed. The channel is closing down or has closed down'],
  ])("Jenkins' own stays a lost agent: %s", (text) => {
    // Act / Assert
    expect(refineCategory(text, 'unknown')).toBe('infrastructure');
  });
});

describe("a Java trace in Java's own layout after the change", () => {
  it("still ends at the first line that is neither a frame nor a `Caused by:` line", async () => {
    // Prepare
    const log = [
      '[INFO] Running com.acme.InvoiceTest',
      'java.lang.IllegalStateException: closed',
      '\tat com.acme.Invoice.total(Invoice.java:16)',
      'Caused by: java.io.IOException: gone',
      '\t... 3 more',
      'Tests run: 4, Failures: 0, Errors: 1, Skipped: 0',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(extent(blockAt(analysis.failures, 2))?.slice(0, 3)).toEqual(['java.exception', 2, 5]);
  });
});
