/**
 * Which expressions answer alike for any two lines of the same digit shape (`sameShape` in fingerprint.ts: equal
 * but for digits, a digit against a digit, never the 0 of a `0x`). In an error-dense log one compiler error follows
 * another with only its numbers changed; for such an expression the scanner may reuse the answer it got on the
 * previous line of that shape instead of testing the line again (see `shapedTest` in dispatch.ts).
 *
 * Read from the syntax tree: an expression is digit-blind when every part of it that can match a digit matches
 * all ten (`\d`, `\w`, `.`, `[0-9a-f]`, a negated class of neither) or none. Then whether it matches a line depends
 * on where the line's digits are, not on which digits they are. A literal digit (`exit code 137`), a partial range
 * (`[1-9]`), an expression the parser refuses (back-references) and the `g`/`y` flags (whose `test` depends on the
 * previous match) make it not blind.
 */
import { parseRegex, type ClassItem, type RegexNode } from './regex-syntax.js';

const ALL_DIGITS = 0x3ff;

function isDigit(codePoint: number): boolean {
  return codePoint >= 48 && codePoint <= 57;
}

/** The digits a class's items admit, one bit each (before the class's own negation, which keeps all-or-none). */
function digitsOf(items: readonly ClassItem[]): number {
  let mask = 0;
  for (const item of items) {
    if (item.kind === 'char') {
      if (isDigit(item.codePoint)) mask |= 1 << (item.codePoint - 48);
    } else if (item.kind === 'range') {
      for (let d = 48; d <= 57; d++) if (d >= item.from && d <= item.to) mask |= 1 << (d - 48);
    } else if ((item.set === 'digit' || item.set === 'word') !== item.negated) mask |= ALL_DIGITS;
  }
  return mask;
}

function blind(node: RegexNode): boolean {
  switch (node.kind) {
    case 'alternation':
      return node.branches.every(blind);
    case 'sequence':
      return node.items.every(blind);
    case 'char':
      return !isDigit(node.codePoint);
    case 'class': {
      const digits = digitsOf(node.items);
      return digits === 0 || digits === ALL_DIGITS;
    }
    case 'builtin':
    case 'dot':
    case 'anchor':
    case 'wordBoundary':
      return true;
    case 'repeat':
    case 'group':
    case 'lookaround':
      return blind(node.node);
  }
}

/** True when `re.test` answers the same for any two texts of the same digit shape (see the module comment). */
export function isDigitBlind(re: RegExp): boolean {
  if (re.global || re.sticky) return false;
  try {
    return blind(parseRegex(re.source, re.flags).root);
  } catch {
    return false;
  }
}
