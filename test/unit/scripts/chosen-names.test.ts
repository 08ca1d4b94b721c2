import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [TSX, join(ROOT, 'scripts', script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

/**
 * The README measures with `npm run bench -- --cases hostile-20,long-lines-100` and `npm run chaos -- fuzz`: a name
 * that is none of the parts (a typo) must stop the script with the names there are, not run nothing and pass.
 */
describe('a part a measuring script is asked for by name', () => {
  it('npm run chaos refuses a part it does not have, exit 2, listing those it has', () => {
    // Act
    const chaos = run('chaos.ts', ['fuzz', 'fuz']);

    // Assert
    expect(chaos.status).toBe(2);
    expect(chaos.stdout).toBe('');
    expect(chaos.stderr.trim()).toMatch(/^error: no part named fuz: choose from burst, crash, fuzz, budget, crash-recovery, crash-points, /);
  }, 60_000);

  it('npm run bench refuses a case it does not have, exit 2, before building any log', () => {
    // Act
    const bench = run('bench.ts', ['--cases', 'hostile20']);

    // Assert
    expect(bench.status).toBe(2);
    expect(bench.stdout).toBe('');
    expect(bench.stderr.trim()).toBe(
      'error: no case named hostile20: choose from mix-100, mix-500, one-line-100, errors-1m, errors-words-30, long-lines-100, hostile-20',
    );
  }, 60_000);
});
