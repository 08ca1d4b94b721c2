import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** A real tool's failing run laid out as a CI system's log (see the folder's README.md). */
interface RealToolFixture {
  file: string;
  toolchain: string;
  provenance: string;
  /** 1-based lines of the raw file a reader would point at first, decided before the analyzer was run. */
  gold: number[];
  /** The lines that say what failed and where (messages, locations, the test's name): the prediction must list them. */
  block: number[];
  /** Inclusive ranges of the lines that belong to the failures' reports; a predicted line outside them is noise. */
  extent: Array<[number, number]>;
  category: string;
  /**
   * Why the analyzer still misses this log, when it does: the row then runs as an expected failure, so a fix shows
   * up as a failing test that asks for the reason to be removed.
   */
  open?: string;
  /** Why `category` is the label's reading and not asserted: the log alone does not decide it. */
  categoryOpen?: string;
}

/** A folder of such runs, all in one CI system's layout. */
interface FixtureFolder {
  dir: string;
  layout: string;
  /** How many runs the folder holds at least: a folder that lost its index would otherwise pass. */
  minimum: number;
  fixtures: RealToolFixture[];
}

const FOLDERS: FixtureFolder[] = [
  { dir: 'gha-real-tools', layout: 'GitHub Actions job logs', minimum: 15 },
  { dir: 'jenkins-real-tools', layout: 'Jenkins console logs (Pipeline and freestyle jobs)', minimum: 5 },
].map((folder) => ({ ...folder, fixtures: JSON.parse(readFileSync(resolve(FIXTURE_ROOT, folder.dir, 'index.json'), 'utf8')) }));

/** Every run of every folder, with the path of its log. */
const FIXTURE_LIST = FOLDERS.flatMap((folder) => folder.fixtures.map((fixture) => ({ ...fixture, path: resolve(FIXTURE_ROOT, folder.dir, fixture.file) })));

/** Those of `lines` outside every report of the fixture's log. */
function outsideReports(fixture: RealToolFixture, lines: readonly number[]): number[] {
  return lines.filter((l) => !fixture.extent.some(([from, to]) => l >= from && l <= to));
}

describe("real tools' failures in CI logs: the first line, the whole report and nothing around it", () => {
  it('keeps the logs the analyzer still misses few, each with its reason', () => {
    const open = FIXTURE_LIST.filter((fixture) => fixture.open !== undefined);
    for (const fixture of open) expect(fixture.open, fixture.file).toMatch(/\S.{20,}/);
    expect(open.length).toBeLessThanOrEqual(Math.floor(FIXTURE_LIST.length / 20));
  });

  for (const folder of FOLDERS) {
    describe(folder.layout, () => {
      it('has an index of real runs whose gold and block lines lie in the reports', () => {
        expect(folder.fixtures.length).toBeGreaterThanOrEqual(folder.minimum);
        for (const fixture of folder.fixtures) {
          expect(fixture.provenance, fixture.file).toMatch(/^real output of /);
          expect(fixture.gold, fixture.file).not.toEqual([]);
          expect(outsideReports(fixture, [...fixture.gold, ...fixture.block]), fixture.file).toEqual([]);
        }
      });

      for (const fixture of folder.fixtures) {
        const row = fixture.open === undefined ? it : it.fails;
        row(`${fixture.toolchain} (${fixture.file})${fixture.open === undefined ? '' : `, open: ${fixture.open}`}`, async () => {
          // Act
          const analysis = await analyzeLog(readFileSync(resolve(FIXTURE_ROOT, folder.dir, fixture.file)));
          // Assert
          const lines = predictionLines(analysis);
          expect(fixture.gold).toContain(analysis.failures[0]?.lines[0]?.line);
          expect(fixture.block.filter((l) => !lines.includes(l)), 'block lines the prediction leaves out').toEqual([]);
          expect(outsideReports(fixture, lines), 'predicted lines outside the reports').toEqual([]);
          if (fixture.categoryOpen === undefined) expect(analysis.category, 'category').toBe(fixture.category);
        });
      }
    });
  }
});

describe("real tools' failures with the fast paths forced on", () => {
  afterEach(restoreFastPaths);

  it('finds what reading every line with every rule finds (literal index, shape memo, line filter)', async () => {
    for (const fixture of FIXTURE_LIST) {
      // Act
      const { everyLine, fast } = await failuresBothWays(readFileSync(fixture.path));
      // Assert
      expect(fast, fixture.file).toEqual(everyLine);
    }
  }, 60_000);
});
