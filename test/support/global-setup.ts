import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary directory for the whole run, made every test worker's TMPDIR (workers start after this and inherit
 * the environment; `os.tmpdir()` reads it on each call). A test file that fails while it is being collected never
 * runs its `afterAll`, so what it had made under the OS temp directory stayed there (a synthesized stack's cloud
 * assembly is ~25 MB); this directory goes when the run ends, whatever failed.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'guard-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
