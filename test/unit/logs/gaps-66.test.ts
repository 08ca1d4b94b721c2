import { describe, expect, it } from 'vitest';
import { composeUpAsService } from '../../../shared/logs/categories.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../../support/growth.js';
import { seededRandom } from '../../support/random.js';

// Session 66: the known gaps session 65 left (its README sections, `test/attack/attack-65-*.test.ts`), each on real
// output of the tool where it runs here (paths the runner's).

describe("`docker compose up … --exit-code-from <service>` in a step's title is read in time linear in the title", () => {
  /** Session 65's expression, the reference the reading must answer as on a title of one line. */
  const SESSION_65_RE = /\bdocker(?:-compose|\s+compose)\s[^;&|\n]*?\bup\s[^;&|\n]*?--exit-code-from(?:=|\s+)([\w.-]+)[^;&|\n]*/gi;
  const TOKENS = ['docker', 'Docker', '-compose', 'compose', ' ', '  ', '\t', 'up', 'UP', 'setup', '--exit-code-from', '=', 'tests', 'app.1', '--build', ';', '&&', '|', 'x'];

  it('answers as the expression did on random titles of its words and separators', () => {
    // Prepare: 20,000 titles of 1 to 24 words, seeded
    const random = seededRandom(66);
    const titles = Array.from({ length: 20_000 }, () =>
      Array.from({ length: 1 + Math.floor(random() * 24) }, () => TOKENS[Math.floor(random() * TOKENS.length)]!).join(''));
    // Act
    const differing = titles.filter((title) => composeUpAsService(title) !== title.replace(SESSION_65_RE, ' $1 '));
    // Assert
    expect(differing).toEqual([]);
  });

  it("reads a title of `up` repeated after one call in linear time (each `up` was read again for each `up` before it)", () => {
    // Act
    const exponent = cpuGrowthExponent([1_000, 2_000, 4_000, 8_000], repeatedTo('docker compose up '), composeUpAsService);
    // Assert
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
