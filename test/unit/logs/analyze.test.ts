import { createReadStream, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAnalysis } from '../../../shared/logs/analyzer.js';
import { analyzeLog, LogScanner, predictionLines, WITHHELD_TEXT } from '../../../shared/logs/index.js';
import { SCANNED_LINE_CHARS, SCANNED_LINE_END } from '../../../shared/logs/analyzer.js';
import { RedactionError } from '../../../shared/errors.js';

const EVENTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../events/logs');

describe('GitHub Actions sample job log', () => {
  it('finds the failing jest test as the root cause, with line numbers of the raw file', async () => {
    // Prepare
    const path = resolve(EVENTS, 'github-actions-jest-failure.log');
    const raw = readFileSync(path);
    // Act
    const analysis = await analyzeLog(createReadStream(path));
    // Assert
    const top = analysis.failures[0];
    expect(analysis.category).toBe('test_failure');
    expect(top?.rule).toBe('jest.failed');
    expect(top?.lines[0]?.text.trim()).toBe('● Invoice totals › applies the discount before tax');
    const rawLines = raw.toString('utf8').split('\n');
    expect(rawLines[(top?.lines[0]?.line ?? 0) - 1]).toContain('Invoice totals › applies the discount before tax');
    // Counted as a person (or `wc -l`) counts them: the file's final line break ends its last line.
    expect(raw.at(-1)).toBe(0x0a);
    expect(analysis.lineCount).toBe(rawLines.length - 1);
    expect(analysis.bytesRead).toBe(raw.length);
    expect(analysis.failures.some((f) => f.lines.some((l) => l.text.includes('Process completed')))).toBe(false);
  });
});

describe('ranking', () => {
  it('prefers the step the CI system reported as failed over noise in steps that passed', async () => {
    // Prepare
    const log = [
      '$ ./setup.sh',
      'error: optional plugin cache missing, continuing',
      'The command "./setup.sh" exited with 0.',
      '$ make test',
      'src/parse.c:10:5: error: expected \';\' before \'}\' token',
      'make: *** [Makefile:12: parse.o] Error 1',
      'The command "make test" exited with 2.',
      'Done. Your build exited with 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(analysis.failures[0]?.startLine).toBe(5);
    expect(analysis.failures.map((f) => f.rule)).not.toContain('cascade.make');
  });

  it('puts the first cause before its cascade', async () => {
    const log = [
      '##[group]Run npm run build',
      "src/a.ts(1,7): error TS2304: Cannot find name 'foo'.",
      "src/b.ts(9,1): error TS2304: Cannot find name 'bar'.",
      'npm ERR! code ELIFECYCLE',
      'npm ERR! errno 2',
      '##[error]Process completed with exit code 2.',
    ].join('\n');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.startLine).toBe(2);
    expect(analysis.failures.every((f) => !f.rule.startsWith('cascade.'))).toBe(true);
  });

  it('falls back to the last output of the failing command when no rule knows it', async () => {
    // Prepare
    const log = ['$ ./check-links', 'checking 120 links', 'README.md:88 dead link https://example.invalid', 'travis_time:end:0a1b', 'The command "./check-links" exited with 1.'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('generic.step-output');
    // Both output lines, the one that reports the problem first.
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([3, 2]);
  });

  it('keeps the first output line first when the step does not say what went wrong', async () => {
    const log = ['$ ./deploy.sh', 'uploading bundle', 'waiting for rollout', 'travis_time:end:0a1b', 'The command "./deploy.sh" exited with 1.'].join('\n');

    const analysis = await analyzeLog(log);

    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([2, 3]);
  });

  it("falls back to what a GitHub Actions step printed, not the runner's echo of its script or an action's [command]", async () => {
    // Prepare: a formatter's check lists the files it would change, and the wrapper around it fails the step (Packer's:
    // terraform fmt's list under setup-terraform's wrapper has a rule of its own).
    const log = [
      '##[group]Run packer fmt -check -recursive .',
      'packer fmt -check -recursive .',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '[command]/opt/hostedtoolcache/packer/1.11.0/x64/packer fmt -check -recursive .',
      'builds/ubuntu.pkr.hcl',
      'builds/variables.pkr.hcl',
      '##[error]Process completed with exit code 3.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the files it listed, and the step's command says what kind of check it was.
    expect(analysis.failures[0]?.rule).toBe('generic.step-output');
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([6, 7]);
    expect(analysis.category).toBe('lint');
  });

  it('names the files terraform fmt -check lists without setup-terraform\'s wrapper, by the command in the step header', async () => {
    // Prepare: the plain binary prints the files it would reformat (seven: more than the fallback's five) and exits 3.
    const files = ['main.tf', 'variables.tf', 'outputs.tf', 'modules/network/main.tf', 'modules/network/outputs.tf', 'envs/prod/terraform.tfvars', 'tests/plan.tftest.hcl'];
    const step = (header: string, output: string[]): string =>
      [`##[group]Run ${header}`, header, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output, '', '##[error]Process completed with exit code 3.'].join('\n');
    // Act
    const plain = await analyzeLog(step('terraform fmt -check -recursive', files));
    const chdir = await analyzeLog(step('terraform -chdir=infra fmt -recursive -check', files.slice(0, 2)));
    // Assert
    expect(plain.failures[0]?.rule).toBe('terraform.fmt-check');
    expect(plain.failures[0]?.lines.map((l) => l.text)).toEqual(files);
    expect(plain.category).toBe('lint');
    expect(chdir.failures[0]?.rule).toBe('terraform.fmt-check');
  });

  it('leaves a list of .tf paths to the fallback when the step is no terraform fmt -check, or its output ends otherwise', async () => {
    // Prepare: the same list under another command, under a fmt that does not check, and above -diff's diff.
    const step = (header: string, output: string[]): string =>
      [`##[group]Run ${header}`, header, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output, '##[error]Process completed with exit code 3.'].join('\n');
    const list = ['main.tf', 'variables.tf'];
    const logs = [
      step('./scripts/changed-files.sh', list),
      step('terraform fmt -check=false -recursive', list),
      step('terraform fmt -check -diff', ['main.tf', '--- old/main.tf', '+++ new/main.tf', '@@ -1,3 +1,3 @@', '-  ami   = "x"', '+  ami = "x"']),
    ];
    for (const log of logs) {
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(analysis.failures[0]?.rule, log.split('\n')[0]).toBe('generic.step-output');
    }
  });

  it('returns boilerplate only when nothing more specific exists', async () => {
    const analysis = await analyzeLog('npm ERR! code ELIFECYCLE\nnpm ERR! errno 1\n');
    expect(analysis.failures[0]?.rule).toBe('cascade.npm');
  });

  it('blames the last step with findings when only the job reports failure (GitLab)', async () => {
    const log = [
      '$ pip install -r requirements.txt',
      'ERROR: No matching distribution found for nonexistent-pkg==1.0',
      '$ echo cleanup',
      'cleanup',
      'ERROR: Job failed: exit code 1',
    ].join('\n');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('pip.resolve');
    expect(analysis.category).toBe('dependency');
  });
});

describe('options and shape', () => {
  const many = Array.from({ length: 30 }, (_, i) => `--- FAIL: TestCase${String.fromCharCode(65 + (i % 26))}${i} (0.00s)\n    x_test.go:${i + 1}: want ${i}`).join('\n');

  it('limits failures to maxFailures and collapses repeats', async () => {
    const analysis = await analyzeLog(many, { maxFailures: 5 });
    expect(analysis.failures).toHaveLength(5);
    const repeated = await analyzeLog('E: Unable to locate package foo\nx\nE: Unable to locate package foo\n');
    expect(repeated.failures).toHaveLength(1);
    expect(repeated.failures[0]?.occurrences).toBe(2);
    expect(repeated.failures[0]?.repeats).toEqual([{ startLine: 3, endLine: 3 }]);
  });

  it('returns contextLines of context around each block', async () => {
    const log = ['one', 'two', 'three', 'E: Unable to locate package foo', 'four', 'five'].join('\n');
    const analysis = await analyzeLog(log, { contextLines: 1 });
    expect(analysis.failures[0]?.context).toEqual([
      { line: 3, text: 'three' },
      { line: 5, text: 'four' },
    ]);
  });

  it('keeps the context above a block longer than the scanner remembers', async () => {
    // A pytest failure section runs until the next `====` line (up to 400 lines): far past the 256-line ring.
    const body = Array.from({ length: 300 }, (_, i) => `    frame ${i}`);
    const log = ['setup a', 'setup b', '___________________ test_total ___________________', ...body, 'E   assert 1 == 2', '=== 1 failed ===', 'after'].join('\n');
    const analysis = await analyzeLog(log, { contextLines: 2 });
    expect(analysis.failures[0]?.startLine).toBe(3);
    expect(analysis.failures[0]?.context.slice(0, 2)).toEqual([
      { line: 1, text: 'setup a' },
      { line: 2, text: 'setup b' },
    ]);
  });

  it('shows a dropped announcing line (`rake aborted!`) as context right above the block', async () => {
    const log = ['bundle exec rake', 'rake aborted!', 'NameError: uninitialized constant Foo', '/app/Rakefile:3:in `<top>`', 'Tasks: TOP => default'].join('\n');
    const analysis = await analyzeLog(log, { contextLines: 1 });
    const failure = analysis.failures.find((f) => f.rule === 'rake.aborted');
    expect(failure?.startLine).toBe(3);
    expect(failure?.context[0]).toEqual({ line: 2, text: 'rake aborted!' });
  });

  it('stops at maxBytes', async () => {
    const analysis = await analyzeLog('ok\n'.repeat(100) + 'E: Unable to locate package foo\n', { maxBytes: 30 });
    expect(analysis.truncated).toBe(true);
    expect(analysis.failures).toEqual([]);
  });

  it('lists the prediction lines: headline first, then the block and adjacent failures of the same kind', async () => {
    const analysis = await analyzeLog(many, { maxFailures: 50 });
    const lines = predictionLines(analysis);
    // The go test's own message explains the failure; its `--- FAIL` header follows as part of the block.
    expect(lines.slice(0, 2)).toEqual([2, 1]);
    expect(lines).toHaveLength(60);
  });

  it('continues the report over a block of another kind right after it, but not over a line that only says something failed (go\'s FAIL, generic wording)', async () => {
    // Prepare: Jenkins prints a Java exception whose multi-line message holds git's own error, frames under it.
    const jenkins = [
      'ERROR: Error cloning remote repo \'origin\'',
      'hudson.plugins.git.GitException: Command "git fetch --tags --progress https://github.com/acme/app.git" returned status code 128:',
      'stdout: ',
      "stderr: fatal: unable to access 'https://github.com/acme/app.git/': The requested URL returned error: 503",
      '',
      '\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2681)',
      '\tat hudson.remoting.UserRequest.perform(UserRequest.java:211)',
      'Finished: FAILURE',
    ].join('\n');
    const goTest = ['=== RUN   TestSum', '--- FAIL: TestSum (0.00s)', '    sum_test.go:12: got 3, want 4', 'FAIL', 'FAIL\tgithub.com/acme/calc\t0.004s'].join('\n');
    const nodeError = ['> jest', "TypeError: Cannot read properties of undefined (reading 'total')", '    at sum (src/cart.js:4:10)', 'Build step could not complete'].join('\n');
    // A script's Java step logs a trace, and its git fetch fails on the next line: git's own failure continues it.
    const javaThenGit = ['java.lang.IllegalStateException: bad total', '\tat de.acme.Main.main(Main.java:3)', "fatal: couldn't find remote ref v2.3.0"].join('\n');

    // Act
    const report = predictionLines(await analyzeLog(jenkins));
    const test = predictionLines(await analyzeLog(goTest));
    const exception = predictionLines(await analyzeLog(nodeError));

    // Assert: the exception's head, then its message and frames (git's `stdout: ` and `stderr: ` lines are the
    // GitException's message, the Java rule's own block since Jenkins' layout is read); the test's block without the
    // package's FAIL lines.
    expect(report[0]).toBe(2);
    expect([...report].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
    expect([...test].sort((a, b) => a - b)).toEqual([2, 3]);
    expect(exception).toEqual([2, 3]);
    expect(predictionLines(await analyzeLog(javaThenGit))).toEqual([1, 2, 3]);
  });

  it('withholds text when redaction fails instead of returning it raw', () => {
    // Prepare
    const scanner = new LogScanner();
    ['$ deploy', 'fatal: Authentication failed for https://x:hunter2@git.example.com/', 'The command "deploy" exited with 128.'].forEach((t, i) => scanner.push(i + 1, t));
    const failing = (): string => {
      throw new RedactionError('engine down');
    };
    // Act
    const analysis = buildAnalysis(scanner.finish(), { lineCount: 3, lastLine: 3, bytesRead: 100, truncated: false }, {}, failing);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe(WITHHELD_TEXT);
    expect(analysis.template).toBe(WITHHELD_TEXT);
    expect(JSON.stringify(analysis)).not.toContain('hunter2');
  });
});

describe('bounded memory', () => {
  it('keeps a bounded candidate set on a long log with many distinct failures', async () => {
    // Prepare
    async function* huge() {
      for (let chunk = 0; chunk < 50; chunk++) {
        let text = '';
        for (let i = 0; i < 400; i++) text += `E: Unable to locate package pkg-${chunk}-${i}-${'x'.repeat(i % 7)}\nfiller line ${i}\n`;
        yield text;
      }
    }
    // Act
    const analysis = await analyzeLog(huge(), { maxFailures: 1000 });
    // Assert
    expect(analysis.lineCount).toBe(40_000);
    expect(analysis.failures.length).toBeLessThanOrEqual(200);
    expect(analysis.failures[0]?.startLine).toBe(1);
  });
});

describe('a long line', () => {
  const filler = (n: number) => 'lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n);

  it(`is read as its first and last ${SCANNED_LINE_END} characters once over ${SCANNED_LINE_CHARS}`, async () => {
    // Prepare
    const atStart = `Error: bundle rejected ${filler(20_000)}`;
    const atEnd = `${filler(20_000)} Error: bundle rejected`;
    const inMiddle = `${filler(10_000)} Error: bundle rejected ${filler(10_000)}`;

    // Act
    const [start, end, middle] = await Promise.all([analyzeLog(atStart), analyzeLog(atEnd), analyzeLog(inMiddle)]);

    // Assert
    expect(start.failures).toHaveLength(1);
    expect(end.failures).toHaveLength(1);
    expect(middle.failures).toHaveLength(0);
  });

  it('reaches the rules bounded, so shapes that make expressions backtrack cost no more than other lines', async () => {
    // Prepare: the shapes that made the pytest, Go and Erlang rules' expressions take seconds per line.
    const log = ['_____ test_x _____', `${'='.repeat(200_000)}X`, 'panic: boom', '('.repeat(200_000), `${':'.repeat(200_000)} failed on lineX`, 'E   assert 1 == 2'].join('\n');

    // Act
    const analysis = await analyzeLog(log);

    // Assert: it returns (unbounded, the first expression alone would run for hours) with the assertion found.
    expect(JSON.stringify(analysis)).toContain('panic: boom');
  });
});
