// Types of bin/ascii-source.js (plain JavaScript: bin/cli-bundle.js loads it without a TypeScript loader).

/** A double-quoted ASCII string literal whose value is `value`. */
export function asciiStringLiteral(value: string): string;
/**
 * `text` (an ES module) with its regular expression literals and `String.raw` templates that hold non-ASCII
 * characters rewritten in ASCII; `ts` is the `typescript` module. `left`: the non-ASCII characters left.
 */
export function asciiSource(text: string, ts: typeof import('typescript')): { text: string; left: number };
