import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';

// Attack on branch layouts60 (`gh run view --log` / `--log-failed` read like a job log): output of runs the branch's
// tests do not lay out. gh (cli/cli pkg/cmd/run/view, displayLogSegments) prints `job<TAB>step<TAB>` before every
// line of each log segment, the job's name in the first column, jobs in the jobs API's order; a segment is a step's
// file, or the whole job log (`UNKNOWN STEP`) when the archive holds no per-step files for that job.

/** One log segment as gh prints it: the file's BOM on its first line, the runner's timestamps. */
function gh(job: string, step: string, texts: readonly string[]): string[] {
  return texts.map((t, i) => `${job}\t${step}\t${i === 0 ? '\uFEFF' : ''}2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.0000000Z ${t}`);
}

/** The runner's header of a `run:` step, then what the step printed, then the runner's exit line. */
function runStep(script: string, output: readonly string[]): string[] {
  return [`##[group]Run ${script}`, script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output, '##[error]Process completed with exit code 1.'];
}

const JEST_OUTPUT = (name: string): string[] => ['> app@1.0.0 test', '> jest', '', ` FAIL  src/${name}.test.js`, `  ● ${name} › adds`, '', '    expect(received).toBe(expected)', '', '    Expected: 3', '    Received: 4', '', 'Tests:       1 failed, 1 total'];
/** One line no rule knows: the step's output is the report (the fallback). Lines alike but for numbers are one failure. */
const PIP_CHECK_OUTPUT = (pkg: string): string[] => [`tablekit 1.4.0 has requirement ${pkg}>=2.0, but you have ${pkg} 1.9.2.`];

describe('attack 60: `gh run view --log-failed` over matrix jobs whose failed steps share a name', () => {
  it("reports the second job's failure when its step printed nothing a rule knows", async () => {
    // Prepare: `test (18)` and `test (20)` both fail in `Run npm test` (the jobs API's name of `run: npm test`).
    const log = [...gh('test (18)', 'Run npm test', runStep('npm test', JEST_OUTPUT('sum'))), ...gh('test (20)', 'Run npm test', runStep('pip check', PIP_CHECK_OUTPUT('colorfmt')))];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: line 22 is job two's only output line.
    expect(analysis.failures.flatMap((f) => f.lines.map((l) => l.line))).toContain(22);
  });

  it('reports both jobs when neither printed anything a rule knows', async () => {
    // Prepare
    const log = [...gh('lint (3.11)', 'Run pip check', runStep('pip check', PIP_CHECK_OUTPUT('colorfmt'))), ...gh('lint (3.12)', 'Run pip check', runStep('pip check', PIP_CHECK_OUTPUT('tomlish')))];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const texts = analysis.failures.flatMap((f) => f.lines.map((l) => l.text));
    expect(texts).toContain('tablekit 1.4.0 has requirement colorfmt>=2.0, but you have colorfmt 1.9.2.');
    expect(texts).toContain('tablekit 1.4.0 has requirement tomlish>=2.0, but you have tomlish 1.9.2.');
  });

  it("puts the second job's failure in a step that starts in the second job", async () => {
    // Prepare
    const first = gh('test (18)', 'Run npm test', runStep('npm test', JEST_OUTPUT('sum')));
    const log = [...first, ...gh('test (20)', 'Run npm test', runStep('npm test', JEST_OUTPUT('max')))];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const second = analysis.failures.find((f) => (f.lines[0]?.line ?? 0) > first.length);
    expect(second?.step?.startLine).toBe(first.length + 1);
  });
});

describe('attack 60: `gh run view --log` over two jobs printed as `UNKNOWN STEP`', () => {
  const setUp = (extra: readonly string[]): string[] => ["Current runner version: '2.319.1'", '##[group]Operating System', 'Ubuntu', '22.04.4', 'LTS', '##[endgroup]', ...extra];
  const lint = [
    ...setUp(["Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)", 'Complete job name: lint']),
    '##[group]Run actions/checkout@v4', 'with:', '  repository: octo/app', '##[endgroup]', 'Syncing repository: octo/app',
    'Post job cleanup.', '[command]/usr/bin/git version', 'git version 2.45.0', 'Cleaning up orphan processes',
  ];

  it("reads the second job's set-up as its own, not as the first job's post step", async () => {
    // Prepare: the second job fails before its first step (a misspelt action).
    const build = setUp(['##[error]Unable to resolve action `actions/chekout@v4`, repository not found']);
    const log = [...gh('lint', 'UNKNOWN STEP', lint), ...gh('build', 'UNKNOWN STEP', build)];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lint.length + 7);
    expect(analysis.failures[0]?.step?.name).toBe('Set up job');
  });
});

describe('attack 60: a first line that only looks like `gh run view --log` output', () => {
  it("leaves a log whose first line is `git log --format='%h%x09%an%x09%cI%x09%s'` in its own layout", async () => {
    // Prepare: git 2.x's strict ISO date has an offset (`+00:00` in UTC), never the runner's `Z`; gcc 12's report after it.
    const log = [
      'c86452f\tJane Doe\t2026-11-28T19:16:57+00:00\tfix build',
      'm.c: In function ‘main’:',
      'm.c:1:20: error: ‘foo’ undeclared (first use in this function)',
      '    1 | int main(){ return foo; }',
      '      |                    ^~~',
      'make: *** [Makefile:3: m.o] Error 1',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: no step named after the commit's author.
    expect(analysis.failures[0]?.lines[0]?.text).toBe('m.c:1:20: error: ‘foo’ undeclared (first use in this function)');
    expect(analysis.failures[0]?.step).toBeUndefined();
  });
});

describe('attack 60: `gh run view --log` of two steps in a row with the same name', () => {
  it("explains the failed step by its own output, not by the passed step's before it", async () => {
    // Prepare: `run: npm test` twice (two `working-directory:`s), both `Run npm test` in the jobs API. The first
    // passed but printed a traceback a seed script caught; the second failed with one line no rule knows.
    const passed = [
      ...runStep('npm test', []).slice(0, 4), '> web@1.0.0 test', '> node seed.js && vitest run', 'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/web/seed.py", line 4, in <module>', '    import yaml', "ModuleNotFoundError: No module named 'yaml'", '',
      ' Test Files  3 passed (3)', '      Tests  12 passed (12)',
    ];
    const failed = runStep('npm test', ['> api@1.0.0 test', '> node --test', ...PIP_CHECK_OUTPUT('colorfmt')]);
    const log = [...gh('test', 'Run npm test', passed), ...gh('test', 'Run npm test', failed)];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: as in the job log, the failed step's last lines come first, in a step that starts at its header.
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toContain('tablekit 1.4.0 has requirement colorfmt>=2.0, but you have colorfmt 1.9.2.');
    expect(analysis.failures[0]?.step?.startLine).toBe(passed.length + 1);
  });
});

describe('attack 60: gh output behind a first line of something else', () => {
  // Fixed in session 61: the reader and the analyzer look for gh's layout on any of the first four lines
  // (`GH_CLI_LEAD_LINES`), the line filter waiting until the layout is decided.
  it('reads `gh run view --log-failed` output pasted under the command that printed it', async () => {
    // Prepare
    const log = ['$ gh run view 9876543210 --log-failed', ...gh('test (20)', 'Run npm test', runStep('npm test', JEST_OUTPUT('sum')))];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('  ● sum › adds');
  });
});
