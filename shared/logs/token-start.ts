/**
 * The fixed start of a token format (`ghp_`, `AKIA`, `xox[abposre]-`), read off the format's own expression so that
 * the rules that look for part of a token (a token wrapped over two lines, a token whose tail a CI masked) know the
 * same formats the redactor does, with no second list to keep in step.
 */

/** A format's start and what follows it, as sources of regular expressions. */
export interface TokenStart {
  /** The start: literal characters, small classes (`[pousr]`) and groups of literal alternatives, in a row. */
  readonly prefix: string;
  /** The class of the characters right after the start (`[A-Za-z0-9]`), or null when the expression says no one class. */
  readonly body: string | null;
  /** Fewest characters the start spans. */
  readonly minLength: number;
  /** The characters the start can begin with. */
  readonly firstChars: string;
}

/** One literal character: a letter, digit, `_` or `-`, or an escaped `.`, `/` or `-`. */
const LITERAL = /^(?:[A-Za-z0-9_-]|\\[./-])/;
/** A class of a few letters or digits, with no range (`[pousr]`, `[AT]`): one of them. */
const SMALL_CLASS = /^\[[A-Za-z0-9_]+\]/;
/** A non-capturing group whose alternatives are literal characters and small classes (`(?:AKIA|ASIA)`). */
const LITERAL_GROUP = /^\(\?:((?:[A-Za-z0-9_-]|\\[./-]|\[[A-Za-z0-9_]+\])+(?:\|(?:[A-Za-z0-9_-]|\\[./-]|\[[A-Za-z0-9_]+\])+)*)\)/;
const QUANTIFIER = /^[?*+{]/;
/** A class followed by a quantifier: the token's body. */
const BODY_CLASS = /^(\[(?:[^\]\\]|\\.)+\])[*+{]/;
/** One character of a start as it is spelled: a class or an escape stands for one. */
const ONE_CHARACTER = /\[[^\]]*\]|\\.|./g;

const spelledLength = (source: string): number => source.match(ONE_CHARACTER)?.length ?? 0;

/** The characters that `source` (literal characters, escapes and small classes) can begin with. */
function firstCharsOf(source: string): string {
  const first = source.match(ONE_CHARACTER)?.[0] ?? '';
  if (first.startsWith('[')) return first.slice(1, -1);
  return first.startsWith('\\') ? first.slice(1) : first;
}

/**
 * The fixed start of the format whose expression is `source`, when it begins with `\b` and a start of at least one
 * character: `\bgh[pousr]_[A-Za-z0-9]{30,255}\b` starts with `gh[pousr]_`, its body `[A-Za-z0-9]`. An item that a
 * quantifier follows (`[ar]?`, `(?:proj-)?`) ends the start before it. Null for an expression that starts otherwise
 * (a key kept in front of the value, a class: `[0-9a-f]{32}-us\d`).
 */
export function tokenStart(source: string): TokenStart | null {
  if (!source.startsWith('\\b')) return null;
  let at = 2;
  let prefix = '';
  let minLength = 0;
  let firstChars = '';
  for (;;) {
    const rest = source.slice(at);
    const item = LITERAL.exec(rest) ?? SMALL_CLASS.exec(rest) ?? LITERAL_GROUP.exec(rest);
    if (item === null || QUANTIFIER.test(rest.slice(item[0].length))) break;
    if (prefix === '') firstChars = item[1] === undefined ? firstCharsOf(item[0]) : item[1].split('|').map(firstCharsOf).join('');
    prefix += item[0];
    at += item[0].length;
    minLength += item[1] === undefined ? 1 : Math.min(...item[1].split('|').map(spelledLength));
  }
  if (minLength === 0) return null;
  return { prefix, body: BODY_CLASS.exec(source.slice(at))?.[1] ?? null, minLength, firstChars };
}

/**
 * Whether a start marks a token by itself: four characters or more (`AKIA`, `dapi`), or three with a `_`, `-` or `.`
 * in them (`sk-`, `hf_`, `r8_`). Shorter or plainer starts (`SK`, `EAA`, `pat`, `[MNO]`) begin ordinary words too.
 */
export function marksToken(start: TokenStart): boolean {
  return start.minLength >= 4 || (start.minLength >= 3 && /[_-]|\\\./.test(start.prefix));
}
