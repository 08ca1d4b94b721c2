/**
 * The prefix a task runner or build tool puts on each line of one task's output, so the rules can read the line as
 * the tool printed it:
 * - Turborepo `web:lint: `, `@acme/ui:test:unit: ` (package, then a task that starts with a lower-case letter, so
 *   `ERROR:D8: ` and `file.ts:12: ` are not one);
 * - pnpm's recursive run (`pnpm -r test`): the package's directory, which holds a `/`, and the script,
 *   `packages/core test: `, `apps/web test:unit: ` (its echo of the command, `packages/core test$ jest`, is not one);
 * - lerna and Nx streaming a scoped package's output, `@acme/ui: ` (an unscoped `name: ` is not taken: `error: `,
 *   `make: `, `note: ` look the same), and lerna's `lerna ERR! ` in front of a failed package's captured output;
 * - Nix: `nix build -L` names the derivation, `hello> ` (a name ends in a letter or digit: `target--> ` is an
 *   arrow); a failed builder's last log lines are quoted under its error as `       > ` (seven spaces, the width
 *   of `error: `).
 * A prefix is never the whole line: something visible follows it.
 */
export const TASK_PREFIX_RE =
  /^(?:(?:@[\w.-]+\/)?[\w.-]+:[a-z][\w-]*(?::[\w-]+)*: |@[\w.-]+\/[\w.-]+: |[\w@.-]+(?:\/[\w@.-]+)+ [a-z][\w.-]*(?::[\w.-]+)*: |lerna ERR! |[A-Za-z0-9_](?:[\w.+-]*[A-Za-z0-9_])?> | {7}> )(?=\s*\S)/;

const SPACE = 32;
const COLON = 58;
const SLASH = 47;
const GREATER = 62;
const AT = 64;

/** `[\w.+@-]`: what the first word of a prefix is made of (a package, a directory's first part, a derivation). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 43 || c === AT;
}

/**
 * The length of a task runner's prefix on `text` (see {@link TASK_PREFIX_RE}), 0 without one. Every scanned line
 * asks, so the character after the line's first word is checked before the expression: in a log of a million
 * compiler errors (`src/a.ts(12,5): error …`) the word ends at a `(` and the expression is never run.
 */
export function taskPrefixLength(text: string): number {
  const c0 = text.charCodeAt(0);
  if (c0 === SPACE) return text.startsWith('       > ') ? matchedLength(text) : 0;
  let i = 0;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  if (i === 0) return 0;
  const stop = text.charCodeAt(i);
  if (stop === COLON) {
    const next = text.charCodeAt(i + 1);
    return next >= 0x61 && next <= 0x7a ? matchedLength(text) : 0;
  }
  if (stop === GREATER) return text.charCodeAt(i + 1) === SPACE ? matchedLength(text) : 0;
  if (stop === SLASH) return mayBeDirectoryPrefix(text, i) ? matchedLength(text) : 0;
  if (stop === SPACE) return c0 === 108 /* l */ && text.startsWith('lerna ERR! ') ? matchedLength(text) : 0;
  return 0;
}

/**
 * After a `/` at `slash`: whether the path may go on to a space and a lower-case script name (pnpm), or, from an
 * `@scope/`, to the `:` of a scoped package (Turborepo, lerna). A file's position (`src/a.go:12:`) is neither.
 */
function mayBeDirectoryPrefix(text: string, slash: number): boolean {
  let i = slash;
  while (i < text.length && (text.charCodeAt(i) === SLASH || isNameChar(text.charCodeAt(i)))) i++;
  const stop = text.charCodeAt(i);
  const next = text.charCodeAt(i + 1);
  if (stop === SPACE) return next >= 0x61 && next <= 0x7a;
  return stop === COLON && text.charCodeAt(0) === AT;
}

function matchedLength(text: string): number {
  return TASK_PREFIX_RE.exec(text)?.[0].length ?? 0;
}
