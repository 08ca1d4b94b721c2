import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATASETS, datasetsLocation, noDatasetsMessage } from '../../../scripts/datasets.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const empty = mkdtempSync(join(tmpdir(), 'guard-datasets-'));
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('where the development sets are', () => {
  it('is ../shared/datasets beside the checkout unless GUARD_DATASETS says otherwise', () => {
    expect(DEFAULT_DATASETS).toBe(resolve(ROOT, '..', 'shared', 'datasets'));
    expect(datasetsLocation({})).toEqual({ dir: DEFAULT_DATASETS, fromEnv: false });
    expect(datasetsLocation({ GUARD_DATASETS: '' })).toEqual({ dir: DEFAULT_DATASETS, fromEnv: false });
    expect(datasetsLocation({ GUARD_DATASETS: empty })).toEqual({ dir: empty, fromEnv: true });
  });

  it('says where it looked and how to point elsewhere when there are none', () => {
    expect(noDatasetsMessage({ dir: '/nowhere/shared/datasets', fromEnv: false })).toBe(
      "no development sets at /nowhere/shared/datasets (../shared/datasets beside this checkout, where the team's workspace keeps them); nothing measured. Set GUARD_DATASETS=/path/to/datasets to use another directory.",
    );
  });

  it('npm run quality exits 1 with that message when GUARD_DATASETS names a directory without the sets', () => {
    // Act
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'quality.ts')], {
      cwd: ROOT,
      env: { ...process.env, GUARD_DATASETS: empty },
      encoding: 'utf8',
      timeout: 60_000,
    });

    // Assert
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(`error: GUARD_DATASETS=${empty} holds no development set (ci-logs-dev/labels.jsonl, ci-logs-gha-dev/labels.jsonl); nothing measured. Set GUARD_DATASETS=/path/to/datasets to use another directory.`);
  }, 60_000);
});
