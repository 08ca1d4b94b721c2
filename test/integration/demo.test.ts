import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolutionLine } from '../../infra/local/replay.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** `npm run demo` as CI and a new user run it: every step prints what happened, and none prints an empty line. */
describe('npm run demo', () => {
  it('finishes with every step done and shows the updated comment\'s "Fixed in run …" line', async () => {
    // Act
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'infra', 'local', 'demo.ts')], {
      cwd: ROOT,
      timeout: 90_000,
    });

    // Assert
    expect(stdout).toContain('Demo finished: every step did its job.');
    expect(stdout).not.toContain('✘');
    expect(stdout).toMatch(/^ {2}PR comment updated: Fixed in run 11862977305 after \S.*\.$/m);
  }, 120_000);

  it('finds the line that says how a resolved incident ended, and nothing in an open one', () => {
    expect(resolutionLine('<!-- marker -->\n\n### ✅ Pipeline Guard: fixed\n\nFixed in run 42 after 3 min.\n\n<details>')).toBe('Fixed in run 42 after 3 min.');
    expect(resolutionLine('### ✅ fixed\n\nPassed in attempt 2 of run 42 after 1 min.')).toBe('Passed in attempt 2 of run 42 after 1 min.');
    expect(resolutionLine('### ❌ Pipeline Guard: CI failed\n\n> Fixed nothing yet')).toBeNull();
  });
});
