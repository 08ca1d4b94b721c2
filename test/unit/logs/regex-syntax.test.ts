import { describe, expect, it } from 'vitest';
import { compileByteDfas } from '../../../shared/logs/byte-dfa.js';
import { requiredLiterals } from '../../../shared/logs/literals.js';
import { parseRegex, UnsupportedRegexError, type CharNode, type CharRange, type ClassItem, type RegexNode } from '../../../shared/logs/regex-syntax.js';
import { CASCADE_RULES, GENERIC_RULES, NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, RULES, WRAPPER_RE } from '../../../shared/logs/rules.js';

const char = (c: string): CharNode => ({ kind: 'char', codePoint: c.codePointAt(0) as number });
const seq = (...items: RegexNode[]): RegexNode => ({ kind: 'sequence', items });
const cls = (negated: boolean, ...items: ClassItem[]): RegexNode => ({ kind: 'class', negated, items });
const range = (from: string, to: string): CharRange => ({ kind: 'range', from: from.codePointAt(0) as number, to: to.codePointAt(0) as number });

/** The tree of `source` (flags ''). */
function tree(source: string, flags = ''): RegexNode {
  return parseRegex(source, flags).root;
}

/** The single item of a one-item top-level sequence. */
function only(source: string, flags = ''): RegexNode {
  const root = tree(source, flags);
  if (root.kind !== 'sequence' || root.items.length !== 1) throw new Error(`not one item: ${JSON.stringify(root)}`);
  return root.items[0] as RegexNode;
}

describe('parseRegex', () => {
  it('reads alternation, sequences and characters', () => {
    expect(tree('ab|c|')).toEqual({ kind: 'alternation', branches: [seq(char('a'), char('b')), seq(char('c')), seq()] });
    expect(tree('')).toEqual(seq());
    // Characters that are only special elsewhere stand for themselves.
    expect(tree(']}-,')).toEqual(seq(char(']'), char('}'), char('-'), char(',')));
  });

  it('reads quantifiers with their bounds and laziness', () => {
    const a = seq(char('a'));
    expect(only('a*')).toEqual({ kind: 'repeat', node: char('a'), min: 0, max: Infinity, lazy: false });
    expect(only('a+?')).toEqual({ kind: 'repeat', node: char('a'), min: 1, max: Infinity, lazy: true });
    expect(only('a??')).toEqual({ kind: 'repeat', node: char('a'), min: 0, max: 1, lazy: true });
    expect(only('a{3}')).toEqual({ kind: 'repeat', node: char('a'), min: 3, max: 3, lazy: false });
    expect(only('a{2,}?')).toEqual({ kind: 'repeat', node: char('a'), min: 2, max: Infinity, lazy: true });
    expect(only('(?:a){0,12}')).toEqual({ kind: 'repeat', node: { kind: 'group', node: a, capturing: false }, min: 0, max: 12, lazy: false });
  });

  it('reads a { that does not start a quantifier as a character', () => {
    expect(tree('a{')).toEqual(seq(char('a'), char('{')));
    expect(tree('a{,3}')).toEqual(seq(char('a'), char('{'), char(','), char('3'), char('}')));
    expect(tree('x{a}')).toEqual(seq(char('x'), char('{'), char('a'), char('}')));
    expect(tree('a{2')).toEqual(seq(char('a'), char('{'), char('2')));
    // And a character after it may still carry a quantifier of its own.
    expect(tree('{+')).toEqual(seq({ kind: 'repeat', node: char('{'), min: 1, max: Infinity, lazy: false }));
  });

  it('reads groups: capturing, named, non-capturing and the four look-arounds', () => {
    const a = seq(char('a'));
    expect(only('(a)')).toEqual({ kind: 'group', node: a, capturing: true });
    expect(only('(?<name>a)')).toEqual({ kind: 'group', node: a, capturing: true, name: 'name' });
    expect(only('(?:a)')).toEqual({ kind: 'group', node: a, capturing: false });
    expect(only('(?=a)')).toEqual({ kind: 'lookaround', node: a, ahead: true, negated: false });
    expect(only('(?!a)')).toEqual({ kind: 'lookaround', node: a, ahead: true, negated: true });
    expect(only('(?<=a)')).toEqual({ kind: 'lookaround', node: a, ahead: false, negated: false });
    expect(only('(?<!a)')).toEqual({ kind: 'lookaround', node: a, ahead: false, negated: true });
    expect(only('(a|)')).toEqual({ kind: 'group', node: { kind: 'alternation', branches: [a, seq()] }, capturing: true });
  });

  it('reads anchors, word boundaries and the dot with the flags that change them', () => {
    expect(tree('^.$')).toEqual(
      seq({ kind: 'anchor', at: 'start', multiline: false }, { kind: 'dot', dotAll: false }, { kind: 'anchor', at: 'end', multiline: false }),
    );
    expect(tree('^.$', 'ms')).toEqual(
      seq({ kind: 'anchor', at: 'start', multiline: true }, { kind: 'dot', dotAll: true }, { kind: 'anchor', at: 'end', multiline: true }),
    );
    expect(tree('\\b\\B')).toEqual(seq({ kind: 'wordBoundary', negated: false }, { kind: 'wordBoundary', negated: true }));
    expect(parseRegex('a', 'gimsuy').flags).toEqual({ ignoreCase: true, multiline: true, dotAll: true, unicode: true });
  });

  it('reads escapes: \\d\\w\\s and their negations, control characters, hex and unicode', () => {
    expect(tree('\\d\\D\\w\\W\\s\\S')).toEqual(
      seq(
        ...(['digit', 'word', 'space'] as const).flatMap((set) => [
          { kind: 'builtin', set, negated: false } as const,
          { kind: 'builtin', set, negated: true } as const,
        ]),
      ),
    );
    expect(tree('\\t\\n\\v\\f\\r\\0')).toEqual(seq(...[9, 10, 11, 12, 13, 0].map((codePoint) => ({ kind: 'char', codePoint }) as const)));
    expect(tree('\\x41\\u00e9\\.\\/\\k')).toEqual(seq(char('A'), char('é'), char('.'), char('/'), char('k')));
    // Without two (four) hex digits, \x (\u) is the letter itself, as JavaScript reads it without the u flag.
    expect(tree('\\x4g\\u12')).toEqual(seq(char('x'), char('4'), char('g'), char('u'), char('1'), char('2')));
    // A surrogate pair is one character, written as such or as two escapes; \u{…} only under the u flag.
    expect(tree('😀\\ud83d\\ude00')).toEqual(seq(char('😀'), char('😀')));
    expect(tree('\\u{1F600}', 'u')).toEqual(seq(char('😀')));
    expect(tree('\\ud83d\\u0041')).toEqual(seq({ kind: 'char', codePoint: 0xd83d }, char('A')));
  });

  it('reads classes: ranges, negation, escapes, [] and [^]', () => {
    expect(only('[a-z_\\d]')).toEqual(cls(false, range('a', 'z'), char('_'), { kind: 'builtin', set: 'digit', negated: false }));
    expect(only('[^\\s,]')).toEqual(cls(true, { kind: 'builtin', set: 'space', negated: false }, char(',')));
    // A ] first closes the class: [] matches nothing, [^] any character.
    expect(tree('[]a')).toEqual(seq(cls(false), char('a')));
    expect(tree('[^]a')).toEqual(seq(cls(true), char('a')));
    // \] inside a class is a ], and a - first, last or after a \d-style escape is a -.
    expect(only('[\\]x]')).toEqual(cls(false, char(']'), char('x')));
    expect(only('[-a-]')).toEqual(cls(false, char('-'), char('a'), char('-')));
    expect(only('[\\w-.]')).toEqual(cls(false, { kind: 'builtin', set: 'word', negated: false }, char('-'), char('.')));
    expect(only('[\\--\\/]')).toEqual(cls(false, range('-', '/')));
    // Inside a class \b is a backspace, \B a B, ^ after the first place a ^.
    expect(only('[\\b\\B^]')).toEqual(cls(false, { kind: 'char', codePoint: 8 }, char('B'), char('^')));
    expect(only('[✗-✘😀]')).toEqual(cls(false, range('✗', '✘'), char('😀')));
  });

  it('keeps non-ASCII characters whole under the i flag and says the flag is set', () => {
    const parsed = parseRegex('É[µ-ÿ]', 'i');
    expect(parsed.flags.ignoreCase).toBe(true);
    expect(parsed.root).toEqual(seq(char('É'), cls(false, range('µ', 'ÿ'))));
    // What the literal reader makes of it: under i, É is not one fixed text (it gives up on that character).
    expect(requiredLiterals(/xÉ/i)).toEqual(new Set(['x']));
    expect(requiredLiterals(/xÉ/)).toEqual(new Set(['xÉ']));
  });

  it('refuses what neither walker can honour, with a named error', () => {
    const refusals: Array<[string, string, RegExp]> = [
      ['(a)\\1', '', /back-reference/],
      ['(a)\\9', '', /back-reference/],
      ['(?<x>a)\\k<x>', '', /named back-reference/],
      ['a\\01', '', /octal/],
      ['[\\1]', '', /octal/],
      ['\\cA', '', /\\c escape/],
      ['[\\cA]', '', /\\c escape/],
      ['[a-\\d]', '', /bad range/],
      ['\\p{L}', 'u', /property escape/],
      ['(?i:a)', '', /unsupported group/],
      ['a', 'v', /flag v/],
      ['(a', '', /unclosed group/],
      ['[a', '', /unclosed class/],
      ['a)', '', /unexpected \)/],
      ['a\\', '', /at end/],
    ];
    for (const [source, flags, message] of refusals) {
      let error: unknown;
      try {
        parseRegex(source, flags);
      } catch (caught) {
        error = caught;
      }
      expect(error, `/${source}/${flags}`).toBeInstanceOf(UnsupportedRegexError);
      expect((error as Error).name).toBe('UnsupportedRegexError');
      expect((error as Error).message, `/${source}/${flags}`).toMatch(message);
      expect((error as Error).message).toContain(`/${source}/`);
    }
    // Without the u flag \p is a p, and \8 inside a class an 8.
    expect(only('\\p')).toEqual(char('p'));
    expect(only('[\\8]')).toEqual(cls(false, char('8')));
  });

  it('is the one reader of both walkers: a refusal is a load error for one, "no literal known" for the other', () => {
    expect(() => compileByteDfas([{ sources: ['x\\cAy'], anchored: false }])).toThrow(UnsupportedRegexError);
    expect(() => compileByteDfas([{ sources: ['a{65}'], anchored: false }])).toThrow(UnsupportedRegexError);
    expect(requiredLiterals(/error(x)\1/)).toBeNull();
    expect(requiredLiterals(/error\cA/)).toBeNull();
  });

  it('reads every expression of the rule table', () => {
    const expressions = [...[...RULES, ...CASCADE_RULES, ...GENERIC_RULES].map((r) => r.re), NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, WRAPPER_RE];
    for (const re of expressions) expect(() => parseRegex(re.source, re.flags), re.source.slice(0, 60)).not.toThrow();
    expect(expressions.length).toBeGreaterThan(100);
  });
});
