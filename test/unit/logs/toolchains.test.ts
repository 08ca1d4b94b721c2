import { createReadStream, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog, type Category, type Failure } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/toolchains');

/** One GitHub Actions job log per toolchain, written from the tool's documented output (see `provenance`). */
interface ToolchainFixture {
  file: string;
  toolchain: string;
  provenance: string;
  /** 1-based lines of the raw file that say why the job failed, decided before the analyzer was run. */
  gold: number[];
  category: Category;
  /** The toolchain's own rule, where a generic or another toolchain's rule would find the line too. */
  rule?: string;
}

const FIXTURE_LIST: ToolchainFixture[] = JSON.parse(readFileSync(resolve(FIXTURES, 'index.json'), 'utf8'));

describe('toolchain coverage: the first failure names a gold line, with the expected category', () => {
  it('has a well-formed index', () => {
    expect(FIXTURE_LIST.length).toBeGreaterThanOrEqual(25);
    for (const fixture of FIXTURE_LIST) {
      expect(fixture.gold.length, fixture.file).toBeGreaterThan(0);
      expect(fixture.provenance, fixture.file).toMatch(/^written from /);
    }
  });

  for (const fixture of FIXTURE_LIST) {
    it(`${fixture.toolchain} (${fixture.file})`, async () => {
      // Act
      const analysis = await analyzeLog(createReadStream(resolve(FIXTURES, fixture.file)));
      // Assert
      const first = analysis.failures[0]?.lines[0]?.line;
      expect(fixture.gold).toContain(first);
      expect(analysis.category).toBe(fixture.category);
      if (fixture.rule !== undefined) expect(analysis.failures[0]?.rule).toBe(fixture.rule);
    });
  }
});

describe('toolchain coverage with the fast paths forced on', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
    setLineFilterUse(null);
  });

  it('finds for every fixture what reading every line with every rule finds (literal index, shape memo, line filter)', async () => {
    for (const fixture of FIXTURE_LIST) {
      // Prepare
      const bytes = readFileSync(resolve(FIXTURES, fixture.file));
      setIndexUse(false);
      setShapeMemoUse(false);
      const everyLine = await analyzeLog(bytes);
      setIndexUse(true);
      setShapeMemoUse('always');
      setLineFilterUse(true);
      // Act
      const fast = await analyzeLog(bytes);
      setIndexUse(null);
      setShapeMemoUse(true);
      setLineFilterUse(null);
      // Assert
      expect(fast, fixture.file).toEqual(everyLine);
    }
  }, 60_000);
});

describe("the Zig build runner's lines that only repeat a failure", () => {
  /** `error: while executing test '…', the following test command failed:` and the runner's `the following … command` lines. */
  const RUNNER_LINE = /^error: (?:while executing test|the following (?:test |build )?command)/;

  it('rank as boilerplate, below the test failure and the compile error (zig 0.13 fixtures)', async () => {
    for (const file of ['zig-build-test.log', 'zig-build.log']) {
      // Act
      const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, file)));
      // Assert: a wrapper ranks with the cascade, which a log with a cause leaves out.
      expect(analysis.failures.length, file).toBeGreaterThan(1);
      expect(analysis.failures.map((f) => f.lines[0]?.text).filter((text) => RUNNER_LINE.test(text ?? '')), file).toEqual([]);
    }
  });

  it('rank as boilerplate in the wording of later releases (exited with code, terminated with signal)', async () => {
    // Prepare
    const log = [
      '$ zig build test',
      "src/main.zig:3:5: error: expected type 'u8', found 'i32'",
      '    return x;',
      '    ^',
      'error: the following command failed with 1 compilation errors:',
      '/opt/zig/zig test src/main.zig --listen=-',
      "error: while executing test 'main.test.parse', the following command exited with code 1 (expected exited with code 0):",
      "error: while executing test 'main.test.crash', the following command terminated with signal ABRT (expected exited with code 0):",
      'error: the following command exited with error code 1:',
      'error: the following command terminated unexpectedly:',
      'Error: Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe("src/main.zig:3:5: error: expected type 'u8', found 'i32'");
    expect(analysis.failures.map((f) => f.lines[0]?.text).filter((text) => RUNNER_LINE.test(text ?? ''))).toEqual([]);
  });
});

describe("Pulumi's diagnostics, told from other tools' four-space `error:` lines by the `Diagnostics:` header above them", () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
  });

  /** The lines a `pulumi.diagnostic` block opened on, repeats included. */
  const pulumiHeads = (failures: readonly Failure[]): number[] =>
    failures.filter((f) => f.rule === 'pulumi.diagnostic').flatMap((f) => [f.startLine, ...(f.repeats ?? []).map((r) => r.startLine)]);

  it('leave an Elixir 1.15+ logged compile error one compilation failure, with no configuration failure after it', async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'elixir-compile-error.log')));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('elixir.compile-logged');
    expect(analysis.failures.filter((f) => f.rule === 'pulumi.diagnostic' || f.category === 'configuration')).toEqual([]);
  });

  for (const fast of [false, true]) {
    it(`count under the header, past resource lines, messages and blank lines, and not past another line or step${fast ? ' (literal index and shape memo forced on)' : ''}`, async () => {
      // Prepare: the `error:` lines differ only in digits, so the shape memo answers for all of them alike.
      const log = [
        '$ pulumi up --yes --non-interactive',
        '    error: creating S3 Bucket (assets-1): BucketAlreadyExists',
        'Diagnostics:',
        '  pulumi:pulumi:Stack (site-dev):',
        '    error: update failed',
        '',
        '  aws:s3:BucketV2 (assets-2):',
        '    error: creating S3 Bucket (assets-2): BucketAlreadyExists',
        '    \t* creating S3 Bucket (assets-2): BucketAlreadyExists',
        '',
        '  aws:s3:BucketV2 (assets-3):',
        '    error: creating S3 Bucket (assets-3): BucketAlreadyExists',
        'Compiling 2 files (.ex)',
        '    error: creating S3 Bucket (assets-4): BucketAlreadyExists',
        'The command "pulumi up --yes --non-interactive" exited with 255.',
        '$ pulumi preview',
        '    error: creating S3 Bucket (assets-5): BucketAlreadyExists',
        'The command "pulumi preview" exited with 255.',
      ].join('\n');
      setIndexUse(fast);
      setShapeMemoUse(fast ? 'always' : false);
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(pulumiHeads(analysis.failures)).toEqual([8, 12]);
    });
  }
});
