import { describe, expect, it } from 'vitest';
import { analyzeLog, LogBaseline, type Failure } from '../../../shared/logs/index.js';

/** The failure whose block holds line `line`. */
function blockAt(failures: readonly Failure[], line: number): Failure | undefined {
  return failures.find((f) => f.startLine <= line && line <= f.endLine);
}

/**
 * git's own failure lines (`fatal: …`, `error: …`) after a Java trace that is not Jenkins' (a JVM program's, a
 * logged warning's), with no trace line after them: they are git's failure, not a GitException's quoted output.
 * Real output (OpenJDK 17 `java.util.logging`, git 2.x) of a script that runs a Java tool, then `git fetch` or
 * `git checkout` of a ref that does not exist.
 */
describe('git output after a Java trace that does not go on', () => {
  // A tool that logged a caught exception and went on (exit 0), then `git fetch origin v2.3.0`.
  const warnedThenFetch = [
    'Nov 28, 2026 5:41:07 AM Changelog main',
    'WARNING: cache unreadable, rebuilding',
    'java.io.UncheckedIOException: cache unreadable',
    '\tat Changelog.main(Changelog.java:6)',
    'Caused by: java.nio.file.NoSuchFileException: .changelog-cache/index.json',
    '\tat Changelog.readCache(Changelog.java:3)',
    '\tat Changelog.main(Changelog.java:5)',
    '',
    "fatal: couldn't find remote ref v2.3.0",
  ];

  it("reports git's `fatal:` line under a logged Java warning's trace", async () => {
    // Act
    const analysis = await analyzeLog(warnedThenFetch.join('\n'));
    // Assert: the Java block ends at its last frame; git's line is a failure of its own.
    expect(blockAt(analysis.failures, 7)?.endLine).toBe(7);
    expect(blockAt(analysis.failures, 9)?.rule).toBe('git.fatal');
  });

  it("ranks git's `fatal:` first when the green run printed the same Java warning", async () => {
    // Prepare: the passing run logged the same warning, and its fetch found the tag.
    const green = [...warnedThenFetch.slice(0, 7), 'From /tmp/jattack/remote', ' * tag               v2.3.0     -> FETCH_HEAD'].join('\n');
    const baseline = await LogBaseline.fromLog(green);
    // Act
    const analysis = await analyzeLog(warnedThenFetch.join('\n'), { baseline });
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['git.fatal', 9]);
  });

  it("reports git's `error:` and `fatal:` lines right under an uncaught exception's last frame", async () => {
    // Prepare: `java Main; git checkout release/9.9; git clone /tmp/jattack/nope` (no `set -e`).
    const log = [
      'Exception in thread "main" java.lang.Exception: startup failed',
      '\tat Main.main(Main.java:12)',
      'Caused by: java.lang.IllegalStateException: could not load config',
      '\tat Main.main(Main.java:6)',
      '\tSuppressed: java.io.UncheckedIOException: close failed',
      '\t\tat Main.main(Main.java:7)',
      '\tCaused by: java.io.IOException: x',
      '\t\t... 1 more',
      'Caused by: java.io.IOException: disk read failed',
      '\tat Main.inner(Main.java:2)',
      '\tat Main.main(Main.java:5)',
      "error: pathspec 'release/9.9' did not match any file(s) known to git",
      "fatal: repository '/tmp/jattack/nope' does not exist",
      'Process exited with code 128',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(blockAt(analysis.failures, 1)?.endLine).toBe(11);
    expect(blockAt(analysis.failures, 12)).toBeDefined();
    expect(blockAt(analysis.failures, 13)?.rule).toBe('git.fatal');
  });

  it("keeps git's `error:` lines of a GitException whose git output has a line of another shape (`fetch-pack: …`)", async () => {
    // Prepare: git-client's GitException (Jenkins' printThrowable layout) quoting git 2.3x's failed fetch over
    // HTTP/2; `fetch-pack: unexpected disconnect while reading sideband packet` is git's own line, not `error:`.
    const log = [
      "ERROR: Error cloning remote repo 'origin'",
      'hudson.plugins.git.GitException: Command "git fetch --tags --force --progress -- https://github.com/acme/app.git +refs/heads/*:refs/remotes/origin/*" returned status code 128:',
      'stdout: ',
      'stderr: remote: Enumerating objects: 48213, done.        ',
      'remote: Counting objects: 100% (1520/1520), done.        ',
      'remote: Compressing objects: 100% (610/610), done.        ',
      'error: RPC failed; curl 92 HTTP/2 stream 5 was not closed cleanly: CANCEL (err 8)',
      'error: 6724 bytes of body are still expected',
      'fetch-pack: unexpected disconnect while reading sideband packet',
      'fatal: early EOF',
      'fatal: fetch-pack: invalid index-pack output',
      '',
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2734)',
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl$1.execute(CliGitAPIImpl.java:641)',
      "Caused: hudson.plugins.git.GitException: Error cloning remote repo 'origin'",
      '\tat hudson.plugins.git.GitSCM.retrieveChanges(GitSCM.java:1187)',
      "ERROR: Error cloning remote repo 'origin'",
      'Finished: FAILURE',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: git's reason (the RPC failure) is in a reported block, the trace's or one of its own.
    expect(blockAt(analysis.failures, 7)).toBeDefined();
    expect(blockAt(analysis.failures, 8)).toBeDefined();
  });
});
