/**
 * Session 61: failures of a job's surroundings (the shell, git, the network, the package manager, the runner), each on
 * real output of the tool run on this machine, other runs than the fixtures' (test/fixtures/gha-real-tools, README
 * "Session 61: the job's surroundings"). The runner's own lines are worded from actions/runner's source.
 */
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/** A GitHub Actions step running `command` in `shell`, printing `output`, ending with the runner's `end` lines. */
function step(command: string, output: string[], end: string[], shell = '/usr/bin/bash -e {0}'): { log: Buffer; line: (text: string) => number } {
  const lines = [
    '##[group]Run actions/checkout@v4',
    'with:',
    '  repository: acme/shop',
    '##[endgroup]',
    `##[group]Run ${command}`,
    command,
    `shell: ${shell}`,
    '##[endgroup]',
    ...output,
    ...end,
    'Post job cleanup.',
    'Cleaning up orphan processes',
  ];
  return {
    log: Buffer.from(lines.join('\n')),
    line: (text: string) => {
      const at = lines.indexOf(text);
      if (at === -1) throw new Error(`no line ${text}`);
      return at + 1;
    },
  };
}

const exit = (code: number): string[] => [`##[error]Process completed with exit code ${code}.`];

/** The analysis of `log`: its first line, its category and the lines its prediction lists. */
async function read(log: Buffer): Promise<{ first: number | undefined; rule: string | undefined; category: string; listed: number[] }> {
  const analysis = await analyzeLog(log);
  return { first: analysis.failures[0]?.lines[0]?.line, rule: analysis.failures[0]?.rule, category: analysis.category, listed: predictionLines(analysis) };
}

describe("the shell's own errors: a run: script's configuration, whichever shell (bash, or dash under `shell: sh`)", () => {
  // Real output of bash 5.2 and dash 0.5.12 (Debian 12): `bash -e -c`, `bash -e a.sh`, `sh -e -c`, `sh -e a.sh`.
  it.each([
    ['bash, set -u', 'set -u; echo "$NPM_TOKEN"', ['bash: line 1: NPM_TOKEN: unbound variable'], 1],
    ['bash, an unclosed if', 'bash -e a.sh', ['a.sh: line 3: syntax error: unexpected end of file'], 2],
    ['bash, a stray brace', 'bash d.sh', ['d.sh: line 2: syntax error near unexpected token `}\'', "d.sh: line 2: ` echo ${x:-$(}'"], 2],
    ['bash, an unclosed $((', 'bash b.sh', ["b.sh: line 1: unexpected EOF while looking for matching `)'"], 2],
    ['dash, set -u', 'set -u; echo "$GITHUB_SHA_SHORT"', ['sh: 1: GITHUB_SHA_SHORT: parameter not set'], 2],
    ['dash, an unclosed if', 'sh -e a.sh', ['a.sh: 3: Syntax error: end of file unexpected (expecting "fi")'], 2],
    ['dash, cd', 'cd build/out', ["sh: 1: cd: can't cd to build/out"], 2],
  ])('%s: the shell\'s line first, configuration', async (_name, command, output, code) => {
    // Arrange
    const { log, line } = step(command, ['Installing dependencies', ...output], exit(code));
    // Act
    const { first, category } = await read(log);
    // Assert
    expect(first).toBe(line(output[0] as string));
    expect(category).toBe('configuration');
  });
});

describe("git's errors in a script: git's, not a compiler's", () => {
  // Real output of git 2.39.5 (Debian 12) in a throwaway repository with a local bare remote.
  it('reads `error: pathspec … did not match` as git\'s (configuration), not as rustc\'s `error:`', async () => {
    const { log, line } = step('git checkout v9.9.9', ["error: pathspec 'v9.9.9' did not match any file(s) known to git"], exit(1));
    const { first, rule, category } = await read(log);
    expect(first).toBe(line("error: pathspec 'v9.9.9' did not match any file(s) known to git"));
    expect(rule).toBe('git.fatal');
    expect(category).toBe('configuration');
  });

  it('reads a push of a branch that does not exist (`src refspec … does not match any`) as git\'s', async () => {
    const { log, line } = step('git push origin release', ['error: src refspec release does not match any', "error: failed to push some refs to 'origin'"], exit(1));
    const { first, category, listed } = await read(log);
    expect(first).toBe(line('error: src refspec release does not match any'));
    expect(category).toBe('configuration');
    expect(listed).toContain(line("error: failed to push some refs to 'origin'"));
  });

  it('lists a rejected push\'s ref line (` ! [rejected] … (non-fast-forward)`) with `failed to push some refs`', async () => {
    const output = [
      'To /tmp/r61/u/o.git',
      ' ! [rejected]        main -> main (non-fast-forward)',
      "error: failed to push some refs to '/tmp/r61/u/o.git'",
      'hint: Updates were rejected because the tip of your current branch is behind',
      'hint: its remote counterpart. Integrate the remote changes (e.g.',
      "hint: 'git pull ...') before pushing again.",
      "hint: See the 'Note about fast-forwards' in 'git push --help' for details.",
    ];
    const { log, line } = step('git push origin main', output, exit(1));
    const { first, category, listed } = await read(log);
    expect([line(output[1] as string), line(output[2] as string)]).toContain(first);
    expect(listed).toEqual(expect.arrayContaining([line(output[1] as string), line(output[2] as string)]));
    expect(category).toBe('configuration');
  });

  it("reads a rebase's conflict: the CONFLICT line first, `could not apply` listed with it", async () => {
    const output = [
      'Rebasing (1/1)\rAuto-merging f',
      'CONFLICT (content): Merge conflict in f',
      'error: could not apply e308cbc... c',
      'hint: Resolve all conflicts manually, mark them as resolved with',
      'hint: "git add/rm <conflicted_files>", then run "git rebase --continue".',
      'hint: You can instead skip this commit: run "git rebase --skip".',
      'hint: To abort and get back to the state before "git rebase", run "git rebase --abort".',
      'Could not apply e308cbc... c',
    ];
    const { log, line } = step('git rebase origin/main', output, exit(1));
    const { first, category, listed } = await read(log);
    expect(first).toBe(line('CONFLICT (content): Merge conflict in f'));
    expect(listed).toContain(line('error: could not apply e308cbc... c'));
    expect(category).toBe('configuration');
  });

  it("lists actions/checkout's failure (`The process '/usr/bin/git' failed with exit code 128`) under git's reason", async () => {
    // git's line is real; the others are actions/checkout's retry helper and @actions/exec's error, from their source.
    const fetch = '[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +refs/heads/nope*:refs/remotes/origin/nope*';
    const output = [
      '##[group]Fetching the repository',
      fetch,
      "fatal: couldn't find remote ref refs/heads/nope",
      "The process '/usr/bin/git' failed with exit code 128",
      'Waiting 11 seconds before trying again',
      fetch,
      "fatal: couldn't find remote ref refs/heads/nope",
      '##[endgroup]',
    ];
    const { log, line } = step('actions/checkout@v4', output, ["##[error]The process '/usr/bin/git' failed with exit code 128"]);
    const { first, category, listed } = await read(log);
    expect(first).toBe(line("fatal: couldn't find remote ref refs/heads/nope"));
    expect(category).toBe('configuration');
    expect(listed).toContain(line("##[error]The process '/usr/bin/git' failed with exit code 128"));
  });
});

describe('downloads: curl, wget and pip without their server', () => {
  // A 401 or 403 is a credential the job lacks: configuration, as auth.error reads `403 Forbidden`, categories.ts
  // `Forbidden`, and toolchains' git-push-403.log (attack 61; before the branch wget's 403 read so, by auth.error).
  it("reads curl's exit status line (`curl: (22) The requested URL returned error: 403`) as configuration", async () => {
    const { log, line } = step('curl -fsSL -o x.tgz http://127.0.0.1:18764/dl/tool.tgz', ['curl: (22) The requested URL returned error: 403'], exit(22));
    const { first, category } = await read(log);
    expect(first).toBe(line('curl: (22) The requested URL returned error: 403'));
    expect(category).toBe('configuration');
  });

  it("reads wget's `ERROR 403: Forbidden.` as configuration, not as its progress above it", async () => {
    const output = [
      '--2026-11-28 21:20:26--  http://127.0.0.1:18764/dl/tool.tgz',
      'Connecting to 127.0.0.1:18764... connected.',
      'HTTP request sent, awaiting response... 403 Forbidden',
      '2026-11-28 21:20:26 ERROR 403: Forbidden.',
      '',
    ];
    const { log, line } = step('wget http://127.0.0.1:18764/dl/tool.tgz', output, exit(8));
    const { first, category } = await read(log);
    expect(first).toBe(line('2026-11-28 21:20:26 ERROR 403: Forbidden.'));
    expect(category).toBe('configuration');
  });

  it("lists wget's `unable to resolve host address` with the failed lookup above it", async () => {
    const output = [
      '--2026-11-28 21:20:47--  http://nonexistent.invalid/x.tgz',
      'Resolving nonexistent.invalid (nonexistent.invalid)... failed: Name or service not known.',
      "wget: unable to resolve host address 'nonexistent.invalid'",
    ];
    const { log, line } = step('wget http://nonexistent.invalid/x.tgz', output, exit(4));
    const { category, listed } = await read(log);
    expect(listed).toEqual(expect.arrayContaining([line(output[1] as string), line(output[2] as string)]));
    expect(category).toBe('network');
  });

  it('reads pip finding no distribution after its retries could not connect as network, the retry listed', async () => {
    const retry =
      "WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPConnection object at 0x7f08f5275410>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/django/";
    const output = [
      'Looking in indexes: http://127.0.0.1:9/simple',
      retry,
      'ERROR: Could not find a version that satisfies the requirement django==5.2.* (from versions: none)',
      'ERROR: No matching distribution found for django==5.2.*',
    ];
    const { log, line } = step('pip install --index-url http://127.0.0.1:9/simple django==5.2.*', output, exit(1));
    const { category, listed } = await read(log);
    expect(category).toBe('network');
    expect(listed).toEqual(expect.arrayContaining([line(retry), line(output[2] as string), line(output[3] as string)]));
  });

  it('keeps pip finding no distribution on a reachable index a dependency failure', async () => {
    const output = [
      'Looking in indexes: http://127.0.0.1:9/simple',
      'ERROR: Could not find a version that satisfies the requirement django==5.2.* (from versions: none)',
      'ERROR: No matching distribution found for django==5.2.*',
    ];
    const { log } = step('pip install django==5.2.*', output, exit(1));
    expect((await read(log)).category).toBe('dependency');
  });
});

describe("the runner's exit status when nothing else says why", () => {
  it("puts bash's `Killed` line first, not the runner's `exit code 137` under it", async () => {
    // Real: bash 5.2 running a script whose `sleep 30` was sent SIGKILL (as the kernel's OOM killer sends it).
    const killed = '/home/runner/work/_temp/5b1f.sh: line 2: 15433 Killed                  sleep 30';
    const { log, line } = step('echo "bundling"', ['bundling', killed], exit(137));
    const { first, category } = await read(log);
    expect(first).toBe(line(killed));
    expect(category).toBe('out_of_memory');
  });

  it('reads exit code 124 (coreutils `timeout`, which prints nothing) as a timeout, not the warning above it', async () => {
    const output = ['npm warn config production Use `--omit=dev` instead.', 'seeding fixtures: 120 rows', 'seeding fixtures: 240 rows'];
    const { log, line } = step('timeout 300 npm run seed', output, exit(124));
    const { first, category } = await read(log);
    expect(first).toBe(line('##[error]Process completed with exit code 124.'));
    expect(category).toBe('timeout');
  });
});
