import { describe, expect, it } from 'vitest';
import { checkPatch, PATCH_LIMITS, type PatchCheck } from '../../shared/analysis/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES, repeatedTo } from './growth.js';

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

/**
 * Asserts that the check refuses `text` added to `path`; with `reason`, that its reason names it (a substring, or a
 * pattern for a choice of reasons). The result is the assertion's message, so a failure shows what was answered.
 */
export function expectRefused(path: string, text: string, reason?: string | RegExp): void {
  const result = checkedAdding(path, text);
  const named = reason === undefined ? {} : { reason: typeof reason === 'string' ? expect.stringContaining(reason) : expect.stringMatching(reason) };
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, ...named });
}

/** {@link expectRefused} for `it.each` tables: refused, for `reason` when given. */
export const refusedFor = (reason?: string | RegExp) => (path: string, text: string) => expectRefused(path, text, reason);

/** Asserts that the check accepts `text` added to `path`. */
export function expectAccepted(path: string, text: string): void {
  const result = checkedAdding(path, text);
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

/** One `describe` of rows (a path and the text a patch adds there) the check must accept: ordinary code near a rule. */
export function describeAccepted(title: string, rows: ReadonlyArray<readonly [path: string, text: string, ...rest: unknown[]]>): void {
  describe(title, () => it.each(rows.map(([path, text]) => [path, text] as const))('accepts, in %s: %s', (path, text) => expectAccepted(path, text)));
}

/** An attack finding's row: a path and the text a patch adds there; `'closed'` once the check refuses it, open until then. */
export type FindingRow = [path: string, text: string, status?: 'closed'];

/** `rows` marked closed: the check refuses them since the fix named where they are listed. */
export const closedRows = (rows: readonly FindingRow[]): FindingRow[] => rows.map(([path, text]): FindingRow => [path, text, 'closed']);

/**
 * One `describe` per finding (`${attack} finding ${name}`): its closed rows must be refused, its open ones are
 * `it.fails` (they assert the refusal, and fail while the check accepts them).
 */
export function describeFindings(attack: string, findings: ReadonlyArray<readonly [name: string, rows: readonly FindingRow[]]>): void {
  for (const [finding, rows] of findings) {
    describe(`${attack} finding ${finding}`, () => {
      const closed = rows.filter((row) => row[2] === 'closed');
      const open = rows.filter((row) => row[2] !== 'closed');
      if (closed.length > 0) it.each(closed)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
      if (open.length > 0) it.fails.each(open)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
    });
  }
}

/**
 * Asserts that the whole check's time grows linearly over texts repeating `unit` added to `path` (`_reading` names the
 * reading in the row's title): the attack files' cost rows.
 */
export function checksInLinearTime(path: string, _reading: string, unit: string): void {
  const textOf = repeatedTo(unit);
  const patchOf = (text: string): string => patchAdding(path, text.split('\n'));
  // A patch over the byte limit is refused before it is read, in no time: at the largest size it would pin the fit's
  // slope below the bound whatever the reading costs. The sizes shrink together until the largest fits.
  let sizes = PATCH_COST_SIZES;
  while (Buffer.byteLength(patchOf(textOf(sizes[sizes.length - 1]!)), 'utf8') > PATCH_LIMITS.maxBytes) sizes = sizes.map((size) => Math.floor(size * 0.95));
  // The check's answer for the largest text comes from the runs measured: one more check of it cost as much as each
  // run at that size, and the check answers a text the same way each time.
  const largestText = textOf(sizes[sizes.length - 1]!);
  const answers: { largest?: PatchCheck } = {};
  const exponent = cpuGrowthExponent(sizes, textOf, (text) => {
    const checked = checkPatch(patchOf(text));
    if (text === largestText) answers.largest = checked;
    return checked;
  });
  expect(answers.largest, 'the largest text was checked').toBeDefined();
  expect(answers.largest?.ok ? '' : answers.largest?.reason).not.toMatch(/-byte limit/);
  expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
}
