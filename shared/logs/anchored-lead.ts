/**
 * The literal characters every match of an expression anchored at the start begins with (`^TSError: ⨯ Unable…$`
 * begins with all of them, `^=== RUN\s` with `=== RUN`), so that a look-back asks `text.startsWith(lead)` before
 * the expression: on a line that does not begin so the answer is no without entering the expression's code. In a
 * log of a million tsc errors, each opening a block whose rule looks one line back for ts-node's heading, the test
 * of the line above was ~5 % of the analysis's instructions.
 */

/** Characters that, unescaped, are not themselves in an expression. */
const SYNTAX = '\\^$.|?*+()[]{}';
/** Characters a quantifier starts with: the item before it may be absent or repeated. */
const QUANTIFIERS = '?*+{';
/** Punctuation that, escaped, stands for itself (outside a class, without the `u` or `v` flag). */
const ESCAPED_LITERALS = '\\^$.|?*+()[]{}/-';

/**
 * The lead of `re`: the literal characters right after its `^`, up to the first character that is not one or that a
 * quantifier follows; '' when there is none or the expression is not plainly anchored (a flag, any `|`, whose
 * alternatives may start elsewhere, or no `^` first). Exact: every string `re` matches starts with it.
 */
export function anchoredLead(re: RegExp): string {
  const source = re.source;
  if (re.flags !== '' || !source.startsWith('^') || source.includes('|')) return '';
  let lead = '';
  let at = 1;
  while (at < source.length) {
    const c = source[at] as string;
    let literal: string;
    let width: number;
    if (c === '\\') {
      const escaped = source[at + 1];
      if (escaped === undefined || !ESCAPED_LITERALS.includes(escaped)) break;
      literal = escaped;
      width = 2;
    } else {
      if (SYNTAX.includes(c)) break;
      literal = c;
      width = 1;
    }
    const next = source[at + width];
    if (next !== undefined && QUANTIFIERS.includes(next)) break;
    lead += literal;
    at += width;
  }
  return lead;
}

const leads = new Map<RegExp, string>();

/** {@link anchoredLead}, read once per expression. */
export function leadOf(re: RegExp): string {
  let lead = leads.get(re);
  if (lead === undefined) {
    lead = anchoredLead(re);
    leads.set(re, lead);
  }
  return lead;
}
