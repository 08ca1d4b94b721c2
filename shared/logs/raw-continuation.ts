/**
 * Whether a line continues the open failure block, decided from its raw bytes where they are enough, so the line
 * need not be decoded, cleaned or scanned. The reader offers it the lines the line filter did not name: such a
 * line matches none of the scanner's triggers (no exit status, no step or section header, nothing a rule could
 * open a block on), so while a block is open the only questions left about it are the rule's continuation test
 * and whether it is the line the block is to be named by (`pick`). On the real-log mix of `npm run bench` seven
 * lines in ten that the scanner reads are inside a block: a stack trace's `\tat …` lines, a pytest traceback.
 *
 * Each answer is either "yes, exactly as `LogScanner` would find on the cleaned text" or "read the line":
 * - a blank line (nothing but spaces and tabs once cleaned) only counts towards the gap that closes the block;
 * - otherwise the line must be visibly non-blank: after what cleaning removes from its front (see
 *   `rawTextStart`) and its indentation, a printable ASCII byte;
 * - `indent`: its indentation is deeper than the block's head (spaces and tabs, counted as `indentOf` does);
 * - `paragraph`: any non-blank line;
 * - `until`: neither the rule's end nor its own expression can match;
 * - and none of the `pick` expressions that could still name the block can match;
 * - `line` blocks, and a rule whose next line is judged by the lines before it (`contAfter`, `message`), always read
 *   the line.
 * "Cannot match" is an automaton's answer over the text's bytes, escape sequences stepped over as cleaning removes
 * them (`byte-dfa.ts`: it reads every expression more loosely than JavaScript, so "cannot" is safe). The automata
 * are built by `npm run build:line-filter`. Everything else a continuation
 * line does (its count, the block's last line, a stored line's text) is the scanner's to keep: `LogScanner.skip`.
 */
import { compileByteDfas, decodeByteDfaSet, DEAD, HIT, READABLE_FLAGS, type ByteDfaSet, type ByteDfaSpec } from './byte-dfa.js';
import { BLOCK_AUTOMATA } from './line-filter.generated.js';
import { CleaningHazards, isVisibleAscii, keptFrom, rawTextStart, textEnd } from './reader.js';
import { parseRegex, UnsupportedRegexError, type RegexNode } from './regex-syntax.js';
import { RULE_TABLE, type Rule } from './rules.js';
import { inputsKey, storedData, storedDataStale } from './stored.js';
import { mayStartTask } from './task-prefix.js';

const TABLE = RULE_TABLE;

/**
 * The questions the automata answer, in order: for each `until` rule in table order "may its end or its own
 * expression match?", then for each rule with `pick` and each of its ranks "may this pick match?".
 */
export function blockQuestions(table: readonly Rule[] = TABLE): RegExp[][] {
  const questions: RegExp[][] = [];
  for (const rule of table) if (rule.extend === 'until') questions.push(rule.end === undefined ? [rule.re] : [rule.re, rule.end]);
  for (const rule of table) for (const p of rule.pick ?? []) questions.push([p.re]);
  return questions;
}

/** Names the questions: the generated automata serve only the expressions they were built from. */
export function blockQuestionsKey(questions: readonly RegExp[][]): string {
  return inputsKey(questions.map((list) => list.map((re) => [re.source, re.flags])));
}

/** Whether every match of the syntax tree starts at the text's start (each branch begins with a plain `^`). */
function startsAnchored(node: RegexNode): boolean {
  switch (node.kind) {
    case 'anchor':
      return node.at === 'start' && !node.multiline;
    case 'group':
      return startsAnchored(node.node);
    case 'sequence':
      return node.items.length > 0 && startsAnchored(node.items[0] as RegexNode);
    case 'alternation':
      return node.branches.every(startsAnchored);
    default:
      return false;
  }
}

/** Matches at once: the answer for a question the automata cannot read (the line is then always read). */
const ALWAYS: ByteDfaSpec = { sources: [''], anchored: true };

/**
 * One automaton per question: "may one of these expressions match the text?", anchored at the text's start when
 * every expression is (then a line is mostly decided by its first bytes).
 */
export function blockSpecs(questions: readonly RegExp[][]): ByteDfaSpec[] {
  return questions.map((expressions) => {
    try {
      if (!expressions.every((re) => READABLE_FLAGS.test(re.flags))) return ALWAYS;
      const anchored = expressions.every((re) => startsAnchored(parseRegex(re.source, re.flags).root));
      const spec = { sources: expressions.map((re) => re.source), anchored };
      compileByteDfas([spec]);
      return spec;
    } catch (error) {
      if (!(error instanceof UnsupportedRegexError)) throw error;
      return ALWAYS;
    }
  });
}

/**
 * By the rule's position in the table (its dispatch position, `positionOf`): the automaton of its `until`
 * question, and of its first pick; -1 for none.
 */
const END_QUESTION = new Int32Array(TABLE.length).fill(-1);
const FIRST_PICK = new Int32Array(TABLE.length).fill(-1);
{
  let k = 0;
  TABLE.forEach((rule, position) => {
    if (rule.extend === 'until') END_QUESTION[position] = k++;
  });
  TABLE.forEach((rule, position) => {
    if (rule.pick === undefined) return;
    FIRST_PICK[position] = k;
    k += rule.pick.length;
  });
}

let automata: ByteDfaSet | null = null;
/** The lines asked about come in order from a reader's buffers (see {@link CleaningHazards}). */
const hazards = new CleaningHazards();

/**
 * The automata of {@link blockQuestions}: from the generated module when it was built from these very expressions
 * (compiling them costs ~100 ms), else compiled here; once per process, when a block first needs them.
 */
function blockAutomata(): ByteDfaSet {
  if (automata !== null) return automata;
  const questions = blockQuestions();
  const stored = storedData(BLOCK_AUTOMATA, blockQuestionsKey(questions));
  if (stored !== null) automata = decodeByteDfaSet(stored);
  else automata = typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale('the open block\'s automata') : compileByteDfas(blockSpecs(questions));
  return automata;
}

/**
 * What a raw line is to an open block, as `LogScanner` would find on its cleaned text: `continues` (it is the
 * block's next line, and names it no better), `blank` (it only counts towards the blank lines that close the
 * block), or `read` (the bytes cannot tell; the line must be read).
 */
export type RawContinuation = 'continues' | 'blank' | 'read';

/**
 * What the raw line `bytes[start, end)`, which the line filter did not name, is to an open block of `rule` (at
 * dispatch `position`, -1 outside the table) whose head is indented by `indent`, its best pick so far being of
 * rank `pickRank` (Infinity: none). The caller checks the block's line limit and its blank lines' gap.
 *
 * Every question is asked the same way for every rule (an automaton of -1 answers "cannot match"): V8 optimises
 * this early, and a call it had not yet seen made when the first block of another kind opens would throw the
 * optimised code away.
 */
export function rawContinuation(rule: Rule, position: number, indent: number, pickRank: number, bytes: Buffer, start: number, end: number): RawContinuation {
  if (hazards.in(bytes, start, end)) return 'read';
  const last = textEnd(bytes, start, end);
  const textStart = rawTextStart(bytes, start, end);
  if (textStart === -1) return 'read';
  // The text's indentation (spaces and tabs, as `indentOf` counts them) and its first visible character.
  let visible = textStart;
  let lineIndent = 0;
  while (visible < last && (bytes[visible] === 32 || bytes[visible] === 9)) {
    lineIndent++;
    visible = keptFrom(bytes, visible + 1, last);
  }
  if (visible >= last) return 'blank';
  if (!isVisibleAscii(bytes[visible] as number)) return 'read';
  const extend = rule.extend ?? 'indent';
  if (position < 0 || extend === 'line' || rule.contAfter !== undefined || rule.message !== undefined) return 'read';
  if (extend === 'indent' && lineIndent <= indent) return 'read';
  if (mayMatch(END_QUESTION[position] as number, bytes, textStart, last)) return 'read';
  return mayPick(rule.pick, FIRST_PICK[position] as number, indent, pickRank, lineIndent, bytes, textStart, last) ? 'read' : 'continues';
}

/**
 * Whether `LogScanner.considerPick` may change the block's pick on this line: a rank it would take the line at
 * (one better than the pick so far, or one that keeps its last match) may match. It is not asked once the best
 * rank is picked, unless that rank keeps its last match.
 */
function mayPick(pick: Rule['pick'], first: number, indent: number, pickRank: number, lineIndent: number, bytes: Uint8Array, from: number, to: number): boolean {
  if (pick === undefined || !(pickRank > 0 || pick[0]?.last === true)) return false;
  const limit = Math.min(pickRank, pick.length - 1);
  for (let rank = 0; rank <= limit; rank++) {
    const p = pick[rank];
    if (p === undefined || !(rank < pickRank || p.last === true)) continue;
    // The indents are compared first: V8 compiles this loop before a log's first outdented pick, and a comparison it
    // has never seen run throws the compiled code away the first time it does.
    if (lineIndent > indent && p.outdented === true) continue;
    if (mayMatch(first + rank, bytes, from, to)) return true;
  }
  return false;
}

/**
 * Whether automaton `at` may match the cleaned text whose bytes {@link keptFrom} walks from `from`; -1 is no
 * question, and cannot match.
 */
function mayMatch(at: number, bytes: Uint8Array, from: number, to: number): boolean {
  if (at === -1) return false;
  const set = blockAutomata();
  const dfa = set.automata[at];
  if (dfa === undefined) return true;
  const next = dfa.next;
  const classOf = set.classOf;
  const columns = set.columns;
  let state = dfa.start;
  for (let i = from; i < to; i = keptFrom(bytes, i + 1, to)) {
    state = next[state * columns + (classOf[bytes[i] as number] as number)] as number;
    if (state === DEAD) return false;
    if (state === HIT) return true;
  }
  return next[state * columns + set.endClass] === HIT;
}

/**
 * What a raw line that the line filter did not name is to a run's summary the scanner remembers
 * (`LogScanner.tallySeen`), as `LogScanner.scan` would find on its cleaned text: `blank` (nothing but spaces and
 * tabs: it counts towards the lines that end the memory), `through` (its text starts with `literal`, see
 * {@link throughLiteral}: it changes nothing), or `read`.
 */
export function rawSummaryPassing(literal: Uint8Array | null, bytes: Buffer, start: number, end: number): 'blank' | 'through' | 'read' {
  if (hazards.in(bytes, start, end)) return 'read';
  const last = textEnd(bytes, start, end);
  const textStart = rawTextStart(bytes, start, end);
  if (textStart === -1) return 'read';
  let at = textStart;
  while (at < last && (bytes[at] === 32 || bytes[at] === 9)) at = keptFrom(bytes, at + 1, last);
  if (at >= last) return 'blank';
  // The literal's bytes in a row: an escape sequence inside it (or inside one of its characters) is left to cleaning.
  if (literal === null || last - textStart < literal.length) return 'read';
  for (let k = 0; k < literal.length; k++) if (bytes[textStart + k] !== literal[k]) return 'read';
  return 'through';
}

/** {@link throughLiteral}'s answers by rule. */
const throughLiterals = new Map<Rule, Uint8Array | null>();

/**
 * The bytes of the text that `rule.tallyAbove.through` matches every line starting with (`^ℹ `: `ℹ `), when that
 * expression is an anchored literal that no task prefix can start (a line starting with it is read as it is, see
 * `linePrefixLength`); null when there is none.
 */
export function throughLiteral(rule: Rule): Uint8Array | null {
  const known = throughLiterals.get(rule);
  if (known !== undefined) return known;
  const through = rule.tallyAbove?.through;
  const literal = through !== undefined && through.flags === '' ? /^\^([^\\^$.*+?()[\]{}|]+)$/.exec(through.source)?.[1] : undefined;
  const bytes = literal !== undefined && !mayStartTask(literal) ? Buffer.from(literal) : null;
  throughLiterals.set(rule, bytes);
  return bytes;
}
