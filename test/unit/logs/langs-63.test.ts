import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/** A GitHub Actions step as the runner logs it: its script echoed in the header group, then what it printed. */
function ghaStep(script: string, output: readonly string[], exitCode: number): string[] {
  return [`##[group]Run ${script}`, script, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...output, `##[error]Process completed with exit code ${exitCode}.`];
}

/** The 1-based number of the first line of `log` that holds `text`, after line `after`. */
function lineOf(log: readonly string[], text: string, after = 0): number {
  const at = log.findIndex((line, i) => i >= after && line.includes(text));
  if (at < 0) throw new Error(`no line holds ${text}`);
  return at + 1;
}

/**
 * Toolchains session 63 ran for real (test/fixtures/gha-real-tools, "Session 63: new toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from. Paths rewritten to the runner's.
 */
describe('reports of new toolchains (session 63)', () => {
  it("cpplint: each `file:line:  message  [category] [confidence]` finding, not only its `Total errors found:`", async () => {
    // Prepare: cpplint 1.6.1 over one file with three findings.
    const log = ghaStep('cpplint lib/parse.cpp', [
      "lib/parse.cpp:11:  If/else bodies with multiple statements require braces  [readability/braces] [4]",
      "lib/parse.cpp:13:  Never use sprintf. Use snprintf instead.  [runtime/printf] [5]",
      "lib/parse.cpp:14:  Line ends in whitespace.  Consider deleting these extra spaces.  [whitespace/end_of_line] [4]",
      "Done processing lib/parse.cpp",
      "Total errors found: 3",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'lib/parse.cpp:11:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'lib/parse.cpp:13:'), lineOf(log, 'lib/parse.cpp:14:')]));
    expect(analysis.category).toBe('lint');
  });

  it("cfn-lint: an error's `template:line:col` under it is listed with it", async () => {
    // Prepare: cfn-lint 1.51.0, a string where an integer goes.
    const log = ghaStep('cfn-lint queue.yaml', [
      "E3012 'thirty' is not of type 'integer'",
      "queue.yaml:6:7",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'E3012 '));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'queue.yaml:6:7'));
  });

  it("cfn-lint: a warning it printed right above an error (sorted by place) is listed with the error, which comes first", async () => {
    // Prepare: cfn-lint 1.51.0, an unused parameter (W2001) above a string where a boolean goes (E3012); exit 6, both bits.
    const log = ghaStep('cfn-lint topic.yaml', [
      "W2001 Parameter Env not used.",
      "topic.yaml:3:3",
      "",
      "E3012 'maybe' is not of type 'boolean'",
      "topic.yaml:10:7",
    ], 6);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'E3012 '));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'W2001 '), lineOf(log, 'topic.yaml:3:3'), lineOf(log, 'topic.yaml:10:7')]));
  });
});
