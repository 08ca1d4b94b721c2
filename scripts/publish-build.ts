import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Puts the flat build in `staging` in place of what `dist` holds, with no moment where a reader of `dist` finds a
 * file missing or half written: each file is renamed over its old version (one atomic step on the same file system;
 * `staging` must be on dist's), `index.html` last so that a page reading it finds the scripts and styles it names in
 * place, and then what the new build no longer has is removed. `staging` is left empty.
 *
 * The local runtime serves the dashboard from `dist` while `npm run build:web` runs again: every `npm start` builds it
 * first (its prestart), also beside a running one (one per data directory), and `npm test`'s dashboard test starts
 * one while the other browser tests of the run load pages from the same directory. The build used to remove `dist`
 * and write it again, ~0.1 s on a quiet machine: a page loaded then got a 404 for `app.js` and stayed blank, and
 * test/e2e/dashboard-phone.test.ts timed out waiting for a row (session 74's CI runs ci74b and ci74e).
 */
export function publishBuild(staging: string, dist: string): void {
  mkdirSync(dist, { recursive: true });
  const built = readdirSync(staging);
  const ordered = [...built.filter((name) => name !== 'index.html'), ...built.filter((name) => name === 'index.html')];
  for (const name of ordered) renameSync(join(staging, name), join(dist, name));
  const kept = new Set(built);
  for (const name of readdirSync(dist)) {
    if (!kept.has(name)) rmSync(join(dist, name), { recursive: true, force: true });
  }
}
