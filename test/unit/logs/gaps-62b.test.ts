import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';
import { BASH_PIPEFAIL_SHELL, ghaStep } from '../../support/gha-step.js';

// Session 62b: the known gaps session 62 left, each with a row where another tool's ordinary output near the new shape
// still reads as before (no attacker reviews this round).

/** A step that failed with `exitCode` (1 unless given), as one string. */
const failedStepLog = (script: readonly string[], output: readonly string[], exitCode = 1): string =>
  ghaStep(script, output, { exitCode }).join('\n');

describe("a step script of exactly the lines the header keeps: its last line is the step's command", () => {
  // terraform fmt -check prints the files it would reformat and exits 3; the step is known by its script's last line.
  const files = ['main.tf', 'modules/network/main.tf', 'envs/prod/terraform.tfvars'];
  const scriptOf = (lines: number, last: string): string[] => [
    'cd infra',
    ...Array.from({ length: lines - 2 }, (_, i) => `export TF_VAR_zone_${i}="eu-west-1${'abc'[i % 3]}"`),
    last,
  ];

  it('reads a 20-line script ending in terraform fmt -check as that command', async () => {
    // Act
    const analysis = await analyzeLog(failedStepLog(scriptOf(20, 'terraform fmt -check -recursive'), files, 3));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('terraform.fmt-check');
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toEqual(files);
  });

  it('does not read the last line of a 21-line script, past the lines the header keeps', async () => {
    // Act
    const analysis = await analyzeLog(failedStepLog(scriptOf(21, 'terraform fmt -check -recursive'), files, 3));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('terraform.fmt-check');
  });

  it("leaves a 20-line script ending in another command's list of .tf paths to the fallback", async () => {
    // Act
    const analysis = await analyzeLog(failedStepLog(scriptOf(20, 'ls -1 **/*.tf'), files, 3));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('terraform.fmt-check');
  });
});

describe('two guillemet-tagged script lines in a row (cdk.error look-alikes), then a compiler error', () => {
  it("reads the compiler error and the second tag's network error, each once", async () => {
    // Prepare
    const log = ['«Deploy» failed: connection refused', '«Notify» failed: ECONNRESET', "src/app.ts(3,5): error TS2304: Cannot find name 'x'.", ''];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const found = analysis.failures.map((f) => [f.rule, f.startLine, f.occurrences ?? 1]);
    expect(found).toContainEqual(['tsc.error', 3, 1]);
    expect(analysis.failures.flatMap((f) => [f.startLine, ...(f.repeats ?? []).map((r) => r.startLine)])).toContain(2);
    expect(analysis.failures.map((f) => f.rule)).not.toContain('cdk.error');
  });

  it('still reads two one-word names in guillemets of a UI string check as nothing', async () => {
    // Act
    const analysis = await analyzeLog(['Vérification des libellés', '«Enregistrer» manque dans fr.json', '«Annuler» manque dans fr.json', 'ok'].join('\n'));
    // Assert
    expect(analysis.failures).toEqual([]);
  });
});

describe('exit 137 from `timeout -s KILL` later in a pipeline: bash names it on its job report’s next line', () => {
  // Real output of GNU coreutils 9.1 timeout under bash 5.2.15 (`bash --noprofile --norc -eo pipefail script.sh`, as a
  // step with `shell: bash` runs): a pipeline's report puts each later command on a line of its own, its pid, its
  // status and `| command`.
  const step = (command: string, report: readonly string[]): string =>
    ghaStep(['echo start', command], ['start', ...report], { exitCode: 137, shell: BASH_PIPEFAIL_SHELL }).join('\n');

  it.each([
    ['yes | timeout -s KILL 1 sleep 5', ['/home/runner/work/_temp/a1b2.sh: line 2: 28060 Broken pipe             yes', '     28061 Killed                  | timeout -s KILL 1 sleep 5']],
    ['seq 3 | timeout --signal=KILL 1 sleep 5', ['/home/runner/work/_temp/a1b2.sh: line 2: 28261 Done                    seq 3', '     28262 Killed                  | timeout --signal=KILL 1 sleep 5']],
  ])('reads `%s` killed as a timeout, at the Killed line', async (command, report) => {
    // Act
    const analysis = await analyzeLog(step(command, report));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.category, analysis.failures[0]?.startLine]).toEqual(['infra.killed', 'timeout', 8]);
  });

  it('still reads another command SIGKILLed later in a pipeline as out of memory', async () => {
    // Prepare: `yes | sh -c "kill -9 \$\$"`, the same report for a command the kernel killed
    const report = ['/home/runner/work/_temp/a1b2.sh: line 2: 28258 Broken pipe             yes', '     28259 Killed                  | sh -c "kill -9 \\$\\$"'];
    // Act
    const analysis = await analyzeLog(step('yes | sh -c "kill -9 \\$\\$"', report));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
    expect(analysis.failures.map((f) => f.category)).not.toContain('timeout');
  });
});

describe('exit 137 with no report from bash: a `timeout` told to send KILL in the step’s script', () => {
  // Real output of GNU coreutils 9.1 timeout under bash 5.2.15 (`bash --noprofile --norc -eo pipefail script.sh`): a
  // command killed inside a command substitution gets no job report, the step's exit status is all there is.
  const step = (script: readonly string[]): string =>
    [
      `##[group]Run ${script[0]}`,
      ...script,
      'shell: /usr/bin/bash --noprofile --norc -eo pipefail {0}',
      '##[endgroup]',
      'start',
      '##[error]Process completed with exit code 137.',
    ].join('\n');

  it.each(['out=$(timeout -k 1 1 sh -c "trap \\"\\" TERM; sleep 5")', 'report=$(timeout -s KILL 60 ./slow)', 'report=$(timeout --signal=SIGKILL 10m ./slow)'])(
    'reads a step running `%s` as a timeout',
    async (command) => {
      // Act
      const analysis = await analyzeLog(step(['echo start', command, 'echo "$out"']));
      // Assert
      expect(analysis.category).toBe('timeout');
      expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['exit.timeout-kill', 8]);
    },
  );

  it('still reads a step whose timeout sends TERM, its command killed all the same, as out of memory', async () => {
    // Prepare: `out=$(timeout 1 sh -c "kill -9 \$\$")`, the same silence
    // Act
    const analysis = await analyzeLog(step(['echo start', 'out=$(timeout 1 sh -c "kill -9 \\$\\$")', 'echo "$out"']));
    // Assert
    expect(analysis.category).toBe('out_of_memory');
  });

  it('still reads a command bash names as killed, under a script that also runs timeout -s KILL, as out of memory', async () => {
    // Prepare
    const log = [
      '##[group]Run timeout -s KILL 30 ./warm-cache',
      'timeout -s KILL 30 ./warm-cache',
      'python3 train.py',
      'shell: /usr/bin/bash --noprofile --norc -eo pipefail {0}',
      '##[endgroup]',
      '/home/runner/work/_temp/a1b2.sh: line 2:  7578 Killed                  python3 train.py',
      '##[error]Process completed with exit code 137.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.category]).toEqual(['infra.killed', 'out_of_memory']);
  });
});
