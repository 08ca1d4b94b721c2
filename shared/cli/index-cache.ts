/**
 * The analyzer's literal index kept on disk between runs of the CLI, as V8 keeps its compiled code (the compile
 * cache bin/guard.js turns on). Every process builds the index on its first line (shared/logs/dispatch.ts), ~150M
 * instructions of a cold `guard analyze`, a quarter of the command on a short log; read back from a file it is a copy
 * of ~0.9 MB. The file lives in the folder of the CLI's build that wrote it (node_modules/.cache/pipeline-guard-cli,
 * see bin/cli-bundle.js): a build is never changed once made, and a changed source makes a new one, so an image is only
 * ever read by the code that wrote it. Run from the sources (no build), nothing is kept.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { literalIndexImage, useLiteralIndexImage } from '../logs/dispatch.js';

declare global {
  /** `true` in the CLI's build, where bin/cli-bundle.js defines it; undeclared when the CLI runs from its sources. */
  const GUARD_CLI_BUILD: boolean | undefined;
}

const IMAGE_FILE = 'literal-index.bin';

/** The image's file in this build's folder, or null outside a build. */
function imagePath(): string | null {
  return typeof GUARD_CLI_BUILD !== 'undefined' && GUARD_CLI_BUILD ? fileURLToPath(new URL(IMAGE_FILE, import.meta.url)) : null;
}

/**
 * Before a command's first analysis: the index from the file an earlier run kept, if there is one. Returns whether
 * the index was read from it (the command then has nothing to keep).
 */
export function restoreLiteralIndex(path = imagePath()): boolean {
  if (path === null) return false;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return false;
  }
  return useLiteralIndexImage(bytes);
}

/**
 * After a command's analyses, when {@link restoreLiteralIndex} found nothing: keeps the index this process built.
 * Written under a name of its own and renamed, so a concurrent run reads a whole image or none; a folder it cannot
 * write to (a read-only install) only means the next run builds the index again.
 */
export function keepLiteralIndex(path = imagePath()): void {
  const image = path === null ? null : literalIndexImage();
  if (path === null || image === null) return;
  const pending = `${path}.${process.pid}`;
  try {
    writeFileSync(pending, image);
    renameSync(pending, path);
  } catch {
    rmSync(pending, { force: true });
  }
}
