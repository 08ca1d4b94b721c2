import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { analyzedBothWays, restoreFastPaths } from '../support/fast-paths.js';
import { BASH_PIPEFAIL_SHELL, ghaStep } from '../support/gha-step.js';

// Session 62's final attack on perf62b (gh's layout on the line filter) and gaps62b (infra.killed's bare-pid line,
// exit.timeout-kill), merged on attack62c.

const lines = (...l: string[]): string => l.join('\n');

describe("infra.killed's bare-pid line: only bash's pipeline report, `<pid> Killed   | command`", () => {
  it('does not read a status tally (`sort | uniq -c` of mutation results) as a SIGKILL', async () => {
    // Prepare: a count per status, uniq's `%7d %s`, above an ordinary score check failing
    const log = lines(
      '##[group]Run jq -r \'.files[].mutants[].status\' reports/mutation/mutation.json | sort | uniq -c',
      "jq -r '.files[].mutants[].status' reports/mutation/mutation.json | sort | uniq -c",
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '    412 Killed',
      '     37 NoCoverage',
      '     58 Survived',
      '      9 Timeout',
      'Mutation score 78.12 is below the break threshold 80',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('infra.killed');
    expect(analysis.category).not.toBe('out_of_memory');
  });

  it('does not read a count table row with a word after `Killed` as a SIGKILL', async () => {
    const log = lines(
      'Mutant summary',
      '   120 Killed mutants',
      '    12 Survived mutants',
      'Error: mutation score below threshold',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('infra.killed');
  });
});

describe("`timeout`'s KILL options are timeout's own, before its duration, not the command's (`pytest -k`, `make -k`)", () => {
  // GNU timeout's usage is `timeout [OPTION] DURATION COMMAND [ARG]...`: a `-k` after the duration is the command's
  // (pytest's keyword filter, make's keep-going). A command the kernel SIGKILLs under a TERM-only timeout makes
  // timeout raise the same SIGKILL on itself, so bash names timeout killed, and exit 137.
  const step = (script: readonly string[], report: readonly string[]): string =>
    ghaStep(script, ['start', ...report], { exitCode: 137, shell: BASH_PIPEFAIL_SHELL }).join('\n');

  it.each([
    ['timeout 20m pytest -k "not slow" tests/', '/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout 20m pytest -k "not slow" tests/'],
    ['timeout 3600 make -k check', '/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout 3600 make -k check'],
  ])('reads `%s` killed as out of memory', async (command, report) => {
    // Act
    const analysis = await analyzeLog(step(['echo start', command], [report]));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['infra.killed', 'out_of_memory']);
  });

  it('reads exit 137 with no report in a step running `timeout 20m pytest -k …` as out of memory', async () => {
    // Act
    const analysis = await analyzeLog(step(['echo start', 'out=$(timeout 20m pytest -k "not slow" tests/)', 'echo "$out"'], []));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });

  it.each(['timeout -s kill 1 sleep 5', 'timeout -s sigkill 1 sleep 5'])('reads `%s` killed, its signal named in lower case (GNU timeout takes any case), as a timeout', async (command) => {
    // Prepare: real output of coreutils 9.1 timeout under bash 5.2 (`sleep 0.1 | timeout -s kill 1 sleep 5`)
    const report = ['/home/runner/work/_temp/a1b2.sh: line 2: 10175 Done                    sleep 0.1', `     10176 Killed                  | ${command}`];
    // Act
    const analysis = await analyzeLog(step(['echo start', `sleep 0.1 | ${command}`], report));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['infra.killed', 'timeout']);
  });

  it('still reads timeout options before the duration, with other options among them, as a timeout', async () => {
    // Act
    const killed = await analyzeLog(step(['echo start', 'timeout --preserve-status -v -k 10 60 pytest -k slow'], ['/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  timeout --preserve-status -v -k 10 60 pytest -k slow']));
    const silent = await analyzeLog(step(['echo start', 'out=$(timeout --foreground -s KILL 60 ./slow)'], []));
    // Assert
    expect([killed.category, silent.category]).toEqual(['timeout', 'timeout']);
  });
});

describe("gh's layout on the line filter: the whole analysis both ways, under perturbed columns and timestamps", () => {
  // Corpus logs re-laid as `gh run view --log` prints them (job, step, the runner's timestamp), then perturbed: names
  // in UTF-8, with ANSI escapes, `\r`, 200 and 201 characters, an empty step, BOMs, repeated and alternating steps and
  // jobs, CRLF, lines without a timestamp or with one tab, pasted text after gh's first lines, a tab in the text,
  // groups and errors, a private key, a line over MAX_LINE_CHARS, `--log-failed`'s matrix job. No difference found.
  afterEach(restoreFastPaths);
  const DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/gha-real-tools');
  const files = readdirSync(DIR).filter((f) => f.endsWith('.log')).filter((_, k) => k % 29 === 3);
  const TS_RE = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
  const ts = (i: number) => `2024-05-01T10:11:${String(i % 60).padStart(2, '0')}.1234567Z `;

  type P = (lines: string[]) => string[];
  function gh(job: string, step: (i: number) => string, pre = ''): P {
    return (lines) => lines.map((l, i) => `${job}\t${step(i)}\t${pre}${TS_RE.test(l) ? l.replace(/\r$/, '') : ts(i) + l.replace(/\r$/, '')}`);
  }
  const PERTURB: Record<string, P> = {
    groups: (lines) => lines.flatMap((l, i) => { const t = l.replace(TS_RE, ''); const s = `build\tRun tests\t${i % 4 === 0 ? '\uFEFF' : ''}${ts(i)}`; return i % 13 === 5 ? [`${s}##[group]Run x`, `${s}${t}`, `${s}##[endgroup]`] : i % 17 === 3 ? [`${s}##[error]${t}`] : [`${s}${t}`]; }),
    pkey: (lines) => lines.flatMap((l, i) => { const s = `build\tRun tests\t${ts(i)}`; const t = l.replace(TS_RE, ''); return i === 20 ? [`${s}-----BEGIN RSA PRIVATE KEY-----`, `${s}MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi`, `${s}-----END RSA PRIVATE KEY-----`, `${s}${t}`] : [`${s}${t}`]; }),
    bigline: (lines) => lines.flatMap((l, i) => { const s = `build\tRun tests\t${ts(i)}`; const t = l.replace(TS_RE, ''); return i === 30 ? [`${s}${'x'.repeat(1_100_000)} error: boom`, `${s}${t}`] : [`${s}${t}`]; }),
    logfailed: (lines) => lines.map((l, i) => `test (ubuntu-latest, 3.12)\t${i < 40 ? 'Set up job' : 'Run pytest -k "not slow"'}\t${ts(i)}${l.replace(TS_RE, '')}`),
    ansiTs: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i)}\x1b[36m${l.replace(TS_RE, '')}\x1b[0m`),
    escAfterTab: (lines) => lines.map((l, i) => `build\tRun tests\t\x1b[0m${ts(i)}${l.replace(TS_RE, '')}`),
    crMid: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i)}progress 10%\r${l.replace(TS_RE, '')}`),
    plain: gh('build', () => 'Run tests'),
    utf8: gh('bûild — ünïcode 日本', () => 'Run tëst ✓'),
    ansi: gh('\x1b[31mbuild\x1b[0m', () => 'Run \x1b[1Gtests'),
    cr: gh('build\r', () => 'Run\rtests'),
    long: gh('j'.repeat(199), () => 's'.repeat(200)),
    toolong: gh('j'.repeat(201), () => 's'.repeat(201)),
    emptystep: gh('build', () => ''),
    bom: gh('build', () => 'Run tests', '\uFEFF'),
    bomEvery3: (lines) => lines.map((l, i) => `build\tRun tests\t${i % 3 === 0 ? '\uFEFF' : ''}${ts(i)}${l.replace(TS_RE, '')}`),
    repeatsteps: gh('build', (i) => (Math.floor(i / 7) % 2 ? 'Run tests' : 'Run lint')),
    jobs: (lines) => lines.map((l, i) => `${Math.floor(i / 11) % 2 ? 'a' : 'b'}\tRun tests\t${ts(i)}${l.replace(TS_RE, '')}`),
    crlf: (lines) => gh('build', () => 'Run tests')(lines).map((l) => l + '\r'),
    notsEvery5: (lines) => lines.map((l, i) => (i % 5 === 2 ? `build\tRun tests\t${l.replace(TS_RE, '')}` : `build\tRun tests\t${ts(i)}${l.replace(TS_RE, '')}`)),
    onetab: (lines) => lines.map((l, i) => (i % 5 === 2 ? `build\t${ts(i)}${l.replace(TS_RE, '')}` : `build\tRun tests\t${ts(i)}${l.replace(TS_RE, '')}`)),
    pasted: (lines) => lines.map((l, i) => (i < 6 ? `build\tRun tests\t${ts(i)}${l.replace(TS_RE, '')}` : l.replace(TS_RE, ''))),
    pastedTs: (lines) => lines.map((l, i) => (i < 6 ? `build\tRun tests\t${ts(i)}${l.replace(TS_RE, '')}` : ts(i) + l.replace(TS_RE, ''))),
    shortts: (lines) => lines.map((l, i) => `build\tRun tests\t2024-05-01T10:11:12Z ${l.replace(TS_RE, '')}`),
    nofrac: (lines) => lines.map((l, i) => `build\tRun tests\t${i % 4 ? ts(i) : '2024-05-01T10:11:12.Z '}${l.replace(TS_RE, '')}`),
    tabInText: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i)}${l.replace(TS_RE, '').replace(/ /, '\t')}`),
    notspace: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i).trimEnd()}${l.replace(TS_RE, '')}`),
    nbspts: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i).trimEnd()}\u00a0${l.replace(TS_RE, '')}`),
    multiTs: (lines) => lines.map((l, i) => `build\tRun tests\t${ts(i)}${ts(i)}${l.replace(TS_RE, '')}`),
    tsInStep: (lines) => lines.map((l, i) => `build\tRun tests\t2024-05-01T10:11:12.1234567Z\t${ts(i)}${l.replace(TS_RE, '')}`),
  };

  for (const [name, perturb] of Object.entries(PERTURB)) {
    it(`gives what reading every line gives: ${name}`, async () => {
      for (const file of files) {
        // Prepare
        const lines = readFileSync(`${DIR}/${file}`, 'utf8').replace(/^\uFEFF/, '').split('\n');
        if (lines.at(-1) === '') lines.pop();
        // Act
        const { everyLine, fast } = await analyzedBothWays(Buffer.from(`${perturb(lines).join('\n')}\n`, 'utf8'));
        // Assert
        expect(fast, file).toEqual(everyLine);
      }
    }, 60_000);
  }
});
