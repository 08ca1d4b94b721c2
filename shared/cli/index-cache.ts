/**
 * The analyzer's literal index kept on disk between runs of the CLI, as V8 keeps its compiled code (the compile
 * cache bin/guard.js turns on). Every process builds the index on its first line (shared/logs/dispatch.ts), ~150M
 * instructions of a cold `guard analyze`, a quarter of the command on a short log; read back from a file it is a copy
 * of ~0.9 MB. The file lives in the folder of the CLI's build that wrote it (node_modules/.cache/pipeline-guard-cli,
 * see bin/cli-bundle.js): a build is never changed once made, and a changed source makes a new one, so an image is only
 * ever read by the code that wrote it. Run from the sources (no build), nothing is kept.
 *
 * The file is the image behind a CRC-32 of it: a file cut short or left with zeroed blocks by a crash of the machine
 * (written and renamed without its data on disk) has a header that may still read as an image's. A file refused for
 * either is removed, so the next run writes a good one instead of building the index on every run.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';
import { literalIndexImage, useLiteralIndexImage } from '../logs/dispatch.js';

declare global {
  /** `true` in the CLI's build, where bin/cli-bundle.js defines it; undeclared when the CLI runs from its sources. */
  const GUARD_CLI_BUILD: boolean | undefined;
}

const IMAGE_FILE = 'literal-index.bin';
/** 'PGIX', then the image's CRC-32, both little-endian, then the image. */
const FILE_MAGIC = 0x58494750;
const FILE_HEADER_BYTES = 8;
/** Node ≥ 22.2 and 20.15 have it; on an older 22 nothing is kept. */
const crc32: ((data: Uint8Array) => number) | undefined = typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

/** The image's file in this build's folder, or null outside a build. */
function imagePath(): string | null {
  return typeof GUARD_CLI_BUILD !== 'undefined' && GUARD_CLI_BUILD ? fileURLToPath(new URL(IMAGE_FILE, import.meta.url)) : null;
}

/** What the file holds for `image`, or null where Node has no CRC-32. */
export function sealImage(image: Uint8Array): Uint8Array | null {
  if (crc32 === undefined) return null;
  const file = new Uint8Array(FILE_HEADER_BYTES + image.byteLength);
  const header = new DataView(file.buffer);
  header.setUint32(0, FILE_MAGIC, true);
  header.setUint32(4, crc32(image), true);
  file.set(image, FILE_HEADER_BYTES);
  return file;
}

/** The image `file` holds, or null when it is not such a file or its image is not the one it was written with. */
export function unsealImage(file: Uint8Array): Uint8Array | null {
  if (crc32 === undefined || file.byteLength < FILE_HEADER_BYTES) return null;
  const header = new DataView(file.buffer, file.byteOffset, FILE_HEADER_BYTES);
  const image = file.subarray(FILE_HEADER_BYTES);
  return header.getUint32(0, true) === FILE_MAGIC && header.getUint32(4, true) === crc32(image) >>> 0 ? image : null;
}

/**
 * Before a command's first analysis: the index from the file an earlier run kept, if there is one. Returns whether
 * the index was read from it (the command then has nothing to keep).
 */
export function restoreLiteralIndex(path = imagePath()): boolean {
  if (path === null) return false;
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return false;
  }
  const image = unsealImage(file);
  const use = image === null ? 'refused' : useLiteralIndexImage(image);
  if (use === 'refused') rmSync(path, { force: true });
  return use === 'used';
}

/**
 * After a command's analyses, when {@link restoreLiteralIndex} found nothing: keeps the index this process built.
 * Written under a name of its own, flushed to disk and renamed, so a concurrent run reads a whole file or none; a
 * folder it cannot write to (a read-only install, a full disk) only means the next run builds the index again.
 */
export function keepLiteralIndex(path = imagePath()): void {
  const image = path === null ? null : literalIndexImage();
  const file = image === null ? null : sealImage(image);
  if (path === null || file === null) return;
  const pending = `${path}.${process.pid}`;
  try {
    const fd = openSync(pending, 'w');
    try {
      writeFileSync(fd, file);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(pending, path);
  } catch {
    rmSync(pending, { force: true });
  }
}

/** `work` (a log command's analyses) with the index an earlier run kept, keeping the one it built otherwise. */
export async function withKeptIndex<T>(work: () => Promise<T>): Promise<T> {
  const restored = restoreLiteralIndex();
  try {
    return await work();
  } finally {
    if (!restored) keepLiteralIndex();
  }
}
