import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_REPORTER, exitReports, peakRssKb } from '../../../scripts/peak-rss.js';

describe('peak RSS for the bench', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peak-rss-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads this process’s peak, at least its current RSS', () => {
    const peak = peakRssKb();
    expect(peak).toBeGreaterThanOrEqual(Math.floor(process.memoryUsage.rss() / 1024) - 1024);
  });

  it('preloaded, reports the peak and CPU of a process (and of a child that inherits the preload) at exit', () => {
    const reporter = join(dir, 'exit-reporter.mjs');
    writeFileSync(reporter, EXIT_REPORTER);
    // The process holds ~64 MB for a moment, then starts a child with its own flags, as the guard launcher does.
    const script = [
      "const held = Buffer.alloc(64 * 1024 * 1024, 1);",
      "if (held[0] !== 1) process.exit(2);",
      "const preload = process.execArgv.slice(0, process.execArgv.indexOf('-e'));",
      "require('node:child_process').spawnSync(process.execPath, [...preload, '-e', ''], { stdio: 'inherit' });",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', pathToFileURL(reporter).href, '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const reports = exitReports(child.stderr);
    expect(reports).toHaveLength(2);
    const [inner, outer] = reports as [{ maxRssKb: number; cpu: number }, { maxRssKb: number; cpu: number }];
    // The peak is the process's own: the child that never held the buffer peaks well below its parent.
    expect(outer.maxRssKb).toBeGreaterThan(64 * 1024);
    expect(inner.maxRssKb).toBeLessThan(outer.maxRssKb - 32 * 1024);
    for (const report of reports) expect(report.cpu).toBeGreaterThan(0);
  });
});
