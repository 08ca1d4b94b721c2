import { describe, expect, it } from 'vitest';
import { redactorWith, redactSecrets } from '../../shared/logs/redact.js';
import { LiteralPatternGate } from '../../shared/logs/redaction/pattern-gate.js';
import { LINE_PATTERNS } from '../../shared/logs/redaction/patterns.js';
import { parseRegex, type ClassItem, type RegexNode } from '../../shared/logs/regex-syntax.js';

/**
 * Attack pass 55 on the analyzer's gated redactor (`redactorWith(new LiteralPatternGate())`, session 55): it must
 * return what `redactSecrets` returns for every text. The redaction suites run through it already (redact-gated),
 * on their own inputs; these rows make texts they do not hold, seeded and so reproducible:
 *
 * - for every line pattern, strings its own expression matches, written from its syntax tree in random case, in
 *   random surroundings, some across the index's 16 K-character piece boundary, then changed a character or three
 *   at a time (so not only strings the literal reader's own tree yields); the gate must pass the pattern on each
 *   that the expression still matches;
 * - those strings again, changed the way a log changes a secret (case, look-alike letters, ANSI codes, zero-width
 *   characters, escapes, the escape separator, lone surrogate halves, line breaks, base64, percent and JSON
 *   encoding, padding to a piece boundary), redacted both ways with and without cut ends.
 *
 * The pass found no difference (session 55: 29 500 texts of the redaction suites' own inputs mutated like this,
 * ~570 000 generated matches and their mutations at the gate); these rows keep that checked.
 */
const gate = new LiteralPatternGate(0);
const gated = redactorWith(gate);

/** A seeded generator (a linear congruential one): the same rows on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

/** Characters a generated string draws on where a class or a dot stands: ASCII, look-alikes and surrogate halves. */
const POOL = [
  ...' \t\n!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
  'é', 'ſ', '\u212a', 'İ', 'ı', 'а', '\u00a0', '\u2028', '\ue000', '😀', '\ud83d', '\ude00',
];
/** Every whole piece the literal index scans is this many characters (literal-index.ts `PIECE_CHARS`). */
const PIECE = 16 * 1024;

const codePointSource = (cp: number): string => `\\u{${cp.toString(16)}}`;

function classItemSource(item: ClassItem): string {
  if (item.kind === 'char') return codePointSource(item.codePoint);
  if (item.kind === 'range') return `${codePointSource(item.from)}-${codePointSource(item.to)}`;
  const letter = { digit: 'd', word: 'w', space: 's' }[item.set];
  return `\\${item.negated ? letter.toUpperCase() : letter}`;
}

/**
 * A string `node` can match, mostly: look-behinds and negative look-aheads are left out and positive look-aheads
 * written out or not, so the caller keeps only what the expression matches.
 */
function generate(node: RegexNode, ignoreCase: boolean, dotAll: boolean, random: () => number): string {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const cased = (s: string): string => (ignoreCase && random() < 0.5 ? (random() < 0.5 ? s.toUpperCase() : s.toLowerCase()) : s);
  switch (node.kind) {
    case 'alternation':
      return generate(pick(node.branches), ignoreCase, dotAll, random);
    case 'sequence':
      return node.items.map((item) => generate(item, ignoreCase, dotAll, random)).join('');
    case 'group':
      return generate(node.node, ignoreCase, dotAll, random);
    case 'lookaround':
      return node.ahead && !node.negated && random() < 0.6 ? generate(node.node, ignoreCase, dotAll, random) : '';
    case 'anchor':
    case 'wordBoundary':
      return '';
    case 'repeat': {
      const most = Math.min(node.max, node.min + 3 + (random() < 0.1 ? 60 : 0));
      const count = node.min + Math.floor(random() * (most - node.min + 1));
      let out = '';
      for (let i = 0; i < count; i++) out += generate(node.node, ignoreCase, dotAll, random);
      return out;
    }
    case 'char': {
      const ch = String.fromCodePoint(node.codePoint);
      const folded = cased(ch);
      return folded.length === ch.length ? folded : ch;
    }
    default: {
      const one =
        node.kind === 'dot'
          ? dotAll ? /^[^]$/u : /^.$/u
          : node.kind === 'builtin'
            ? new RegExp(`^${classItemSource(node)}$`, 'u')
            : new RegExp(`^[${node.negated ? '^' : ''}${node.items.map(classItemSource).join('')}]$`, ignoreCase ? 'iu' : 'u');
      for (let attempt = 0; attempt < 200; attempt++) {
        const ch = pick(POOL);
        if (one.test(ch)) return ch;
      }
      return 'x';
    }
  }
}

function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}

/** `text` with one to three characters replaced, inserted or removed. */
function pointMutation(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const ch = POOL[Math.floor(random() * POOL.length)] as string;
    const op = random();
    out = op < 0.4 ? out.slice(0, at) + ch + out.slice(at + 1) : op < 0.7 ? out.slice(0, at) + ch + out.slice(at) : out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

const SURROUNDINGS = ['', ' ', '\n', 'x', '"', 'export ', '  - ', '::', '=', '\ud83d', 'password: ', 'Authorization: Bearer '];
const LOOKALIKES: Readonly<Record<string, string>> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', A: 'А', B: 'В', E: 'Е', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т' };

/** How a log changes a secret on its way: each takes a text and the generator. */
const LOG_CHANGES: ReadonlyArray<readonly [string, (text: string, random: () => number) => string]> = [
  ['as is', (t) => t],
  ['upper case', (t) => t.toUpperCase()],
  ['lower case', (t) => t.toLowerCase()],
  ['a look-alike letter', (t, r) => {
    const at = [...t].findIndex((ch, i) => i >= Math.floor(r() * t.length) && LOOKALIKES[ch] !== undefined);
    return at < 0 ? t : t.slice(0, at) + (LOOKALIKES[t[at] as string] as string) + t.slice(at + 1);
  }],
  ['an ANSI code', (t, r) => insert(t, r, '\x1b[0m')],
  ['a zero-width space', (t, r) => insert(t, r, '\u200b')],
  ['an escape', (t, r) => insert(t, r, r() < 0.5 ? '\\n' : '\\"')],
  ['the escape separator', (t, r) => insert(t, r, '\ue000')],
  ['a lone high surrogate', (t, r) => insert(t, r, '\ud83d')],
  ['a lone low surrogate', (t, r) => insert(t, r, '\ude00')],
  ['a line break', (t, r) => insert(t, r, '\n')],
  ['base64', (t) => Buffer.from(t).toString('base64')],
  // UTF-8 writes a lone surrogate as U+FFFD, which encodeURIComponent needs (it throws on a lone half).
  ['percent encoding', (t) => encodeURIComponent(Buffer.from(t, 'utf8').toString('utf8'))],
  ['JSON', (t) => JSON.stringify({ value: t })],
  ['padding to a piece boundary', (t, r) => `${'x'.repeat(PIECE - 1 - Math.floor(r() * Math.min(t.length, 24)))}${t}`],
];

function insert(text: string, random: () => number, what: string): string {
  const at = Math.floor(random() * (text.length + 1));
  return text.slice(0, at) + what + text.slice(at);
}

describe('attack 55: the literal gate passes every line pattern its expression can match', () => {
  it('passes each pattern on strings its expression matches, generated and mutated, across piece boundaries', () => {
    const random = seeded(55);
    let checked = 0;
    const missed: string[] = [];
    LINE_PATTERNS.forEach((pattern, index) => {
      let parsed;
      try {
        parsed = parseRegex(pattern.re.source, pattern.re.flags);
      } catch {
        return; // Read as no literal at all (always run): nothing to check.
      }
      for (let n = 0; n < 24; n++) {
        const around = (): string => SURROUNDINGS[Math.floor(random() * SURROUNDINGS.length)] as string;
        let text = around() + generate(parsed.root, parsed.flags.ignoreCase, parsed.flags.dotAll, random) + around();
        if (random() < 0.2) text = 'q'.repeat(PIECE - Math.floor(random() * Math.min(text.length, 24))) + text;
        const variants = [text, ...Array.from({ length: 6 }, () => pointMutation(text, random))];
        for (const variant of variants) {
          if (!matches(pattern.re, variant)) continue;
          checked += 1;
          gate.read(variant);
          if (!gate.may(index)) missed.push(`${index} ${pattern.id}: ${JSON.stringify(variant.slice(-200))}`);
        }
      }
    });
    expect(missed).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });
});

describe('attack 55: the gated redactor redacts secrets changed on their way through a log as redactSecrets does', () => {
  it('gives redactSecrets\'s text for generated matches of every pattern, changed, with and without cut ends', () => {
    const random = seeded(5505);
    const differing: string[] = [];
    let compared = 0;
    LINE_PATTERNS.forEach((pattern) => {
      let parsed;
      try {
        parsed = parseRegex(pattern.re.source, pattern.re.flags);
      } catch {
        return;
      }
      for (let n = 0; n < 4; n++) {
        const secret = generate(parsed.root, parsed.flags.ignoreCase, parsed.flags.dotAll, random);
        const [name, change] = LOG_CHANGES[Math.floor(random() * LOG_CHANGES.length)] as (typeof LOG_CHANGES)[number];
        const text = change(`${SURROUNDINGS[Math.floor(random() * SURROUNDINGS.length)] as string}${secret}`, random);
        const cut = random() < 0.5 ? undefined : { atStart: random() < 0.5, atEnd: random() < 0.5 };
        compared += 1;
        if (gated(text, cut) !== redactSecrets(text, cut)) differing.push(`${pattern.id}, ${name}: ${JSON.stringify(text.slice(-200))}`);
      }
    });
    expect(differing).toEqual([]);
    expect(compared).toBeGreaterThan(400);
  });
});
