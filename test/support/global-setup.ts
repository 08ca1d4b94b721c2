import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The built dashboard, which the stack's dashboard construct uploads and the local runtime serves: `npm test` builds it
 * first (its `pretest`), but a test file run alone in a fresh clone (`npx vitest run test/infra/nag.test.ts`) found no
 * `infra/dashboard/dist` and failed at synth. Built here, once, when it is missing (type-checking is `npm test`'s).
 */
function ensureDashboardBuilt(): void {
  if (existsSync(join(ROOT, 'infra', 'dashboard', 'dist', 'index.html'))) return;
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-web.ts'), '--no-check'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * One temporary directory for the whole run, made every test worker's TMPDIR (workers start after this and inherit
 * the environment; `os.tmpdir()` reads it on each call). A test file that fails while it is being collected never
 * runs its `afterAll`, so what it had made under the OS temp directory stayed there (a synthesized stack's cloud
 * assembly is ~25 MB); this directory goes when the run ends, whatever failed.
 */
export default function setup(): () => void {
  ensureDashboardBuilt();
  const root = mkdtempSync(join(tmpdir(), 'guard-test-run-'));
  process.env.TMPDIR = root;
  // Names the directory as this run's alone, for what the workers build once and share (test/infra/support.ts's
  // function bundles): a TMPDIR set any other way may hold a previous run's. Watch mode keeps it for every rerun, so
  // what is kept there says what it was made from.
  process.env.GUARD_TEST_RUN_DIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
