import { createReadStream, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog, type Category } from '../../../shared/logs/index.js';

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
