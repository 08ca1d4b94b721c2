import { checkPatch } from '../../shared/analysis/index.js';

/**
 * Patches for the patch check's attack tests: one way to write a unified diff that adds lines, so the many tables of
 * attack rows (`test/attack/`) feed `checkPatch` the same thing.
 */

/** A patch adding `lines` to `path` after one context line (`context`, by default a Python import). */
export function patchAdding(path: string, lines: readonly string[], context = 'import os'): string {
  return [`--- a/${path}`, `+++ b/${path}`, `@@ -1,1 +1,${lines.length + 1} @@`, ` ${context}`, ...lines.map((line) => `+${line}`), ''].join('\n');
}

/** `text` added to `path`, one added line per line of it, as the patch check answers it. */
export function checkedAdding(path: string, text: string): ReturnType<typeof checkPatch> {
  return checkPatch(patchAdding(path, text.split('\n')));
}
