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
const GREATER = 62;
const AT = 64;

/**
 * The length of a task runner's prefix on `text` (see {@link TASK_PREFIX_RE}), 0 without one. Every scanned line
 * asks, so the expression runs only where the characters a form needs are in place, and the common line costs what
 * the Turborepo-only check did (one native search for the first `:`): a lower-case letter after it (Turborepo's
 * task), a space after it behind a scoped package or a directory's script (lerna, pnpm), `lerna ERR! `, the
 * builder tail's seven spaces, or a first word ending in `> ` (Nix). A million compiler errors
 * (`src/a.ts(12,5): error …`: a `)` before the first `:`) never run it.
 */
export function taskPrefixLength(text: string): number {
  const c0 = text.charCodeAt(0);
  if (c0 === SPACE) return text.startsWith('       > ') ? matchedLength(text) : 0;
  const colon = text.indexOf(':');
  if (colon > 0) {
    const next = text.charCodeAt(colon + 1);
    if (next >= 0x61 && next <= 0x7a) return matchedLength(text);
    if (next === SPACE && (c0 === AT || (isNameChar(text.charCodeAt(colon - 1)) && directoryBeforeSpace(text, colon)))) return matchedLength(text);
  }
  if (c0 === 108 /* l */ && text.startsWith('lerna ERR! ')) return matchedLength(text);
  return firstWordEndsInGreater(text) ? matchedLength(text) : 0;
}

/** `[\w.+-]`: what a script's or a derivation's name is made of. */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 43;
}

/** pnpm's `dir/x script: `: the line's first space comes before the `:` at `colon`, after a `/`. */
function directoryBeforeSpace(text: string, colon: number): boolean {
  const space = text.indexOf(' ');
  return space > 0 && space < colon && text.lastIndexOf('/', space) > 0;
}

/** Nix's `name> `: the line's first word, of name characters, ends in `> `. */
function firstWordEndsInGreater(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isNameChar(c)) continue;
    return i > 0 && c === GREATER && text.charCodeAt(i + 1) === SPACE;
  }
  return false;
}

function matchedLength(text: string): number {
  return TASK_PREFIX_RE.exec(text)?.[0].length ?? 0;
}
