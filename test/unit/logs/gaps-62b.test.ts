import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';

// Session 62b: the known gaps session 62 left, each with a row where another tool's ordinary output near the new shape
// still reads as before (no attacker reviews this round).

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
function ghaStep(script: readonly string[], output: readonly string[], exitCode = 1): string {
  return [`##[group]Run ${script[0]}`, ...script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output, `##[error]Process completed with exit code ${exitCode}.`].join('\n');
}

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
    const analysis = await analyzeLog(ghaStep(scriptOf(20, 'terraform fmt -check -recursive'), files, 3));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('terraform.fmt-check');
    expect(analysis.failures[0]?.lines.map((l) => l.text)).toEqual(files);
  });

  it('does not read the last line of a 21-line script, past the lines the header keeps', async () => {
    // Act
    const analysis = await analyzeLog(ghaStep(scriptOf(21, 'terraform fmt -check -recursive'), files, 3));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('terraform.fmt-check');
  });

  it("leaves a 20-line script ending in another command's list of .tf paths to the fallback", async () => {
    // Act
    const analysis = await analyzeLog(ghaStep(scriptOf(20, 'ls -1 **/*.tf'), files, 3));
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
