/**
 * A script's output behind npm's prefix, read with the tools' rules. npm 7+ prints a failed install script's captured
 * output behind `npm ERR! ` (npm 8 and before) or `npm error ` (npm 9 on): node-gyp's `gyp ERR! stack Error: …`, the
 * compiler's `fatal error: x.h: No such file or directory`, a script's `SyntaxError: …`. The text after the prefix
 * is read with the toolchain rules, never the cascade or generic ones: npm's own messages (`code ELIFECYCLE`, `errno
 * 1`, `Failed at the x@1.0.0 test script.`) match no toolchain rule and stay `cascade.npm`'s.
 *
 * That output is often thousands of a compiler's warnings (a native addon built against a newer Node), every line
 * asked whether a tool's rule reads it. Which digit-blind rule (see `digit-blind.ts`) reads it first, or that none
 * does, is the same for every line of one digit shape: it is kept per shape class, with the digit-shape memo's
 * answers (`knownNpmOutput` in dispatch.ts), where the output starts on the line being part of the key. A line of
 * a known class is asked only the rules before that one that are not digit-blind (`npm.error`, whose `E404` is a
 * literal digit, is one), most often none of them reads it.
 */
import {
  candidatePositions,
  CASCADE_AT,
  isBlindAt,
  isPrefilterStartBlind,
  knownNpmOutput,
  positionOf,
  rememberNpmOutput,
  scanLine,
} from './dispatch.js';
import { nextCandidate } from './literal-index.js';
import { CASCADE_RULES, PREFILTER_RE, PREFILTER_START_RE, RULES, WARNING_RE, type Rule } from './rules.js';
import { npmPrefixLength } from './task-prefix.js';

/** npm's own lines: the rule a failed install script's output behind npm's prefix is read past. */
export const NPM_CASCADE_RULE = CASCADE_RULES.find((r) => r.id === 'cascade.npm');

/**
 * npm's own messages that a toolchain rule reads with npm's prefix (`npm ERR! code E404`, `npm ERR! \`npm ci\` can
 * only install packages when …`, `npm ERR! Missing script: "build"`): the rules whose expressions open with it.
 * Before npm 10 npm's blank line is `npm ERR! `, with a space, which npm's cascade takes: such a message then comes
 * inside an open npm block (under `npm ERR! code EUSAGE` and a blank one), and ends it there, as npm 10's `npm
 * error` without the space does.
 */
const NPM_MESSAGE_RE = new RegExp(
  `^(?:${RULES.filter((r) => /^\^(?:\(\?:)?npm /.test(r.re.source)).map((r) => `(?:${r.re.source})`).join('|')})`,
);

/** What the reading asks of the scanner about the line it scans. */
export interface ScannedLine {
  /** Whether the line stands in a failure list (`3 failing`), where the list-only rules read too. */
  inFailureList(): boolean;
  /** The line's number. */
  lineNumber(): number;
  /** Whether the line, whose first `prefix` characters are prefixes, stands under `under.header` (see `Rule.under`). */
  standsUnder(rule: Rule, under: NonNullable<Rule['under']>, prefix: number): boolean;
}

/**
 * A script's output read past an open npm block's prefix (see {@link NpmOutput.endsNpmBlock}): the toolchain rule that
 * reads it, or null, for the line, text, prefix length and failure-list state it was read with.
 */
interface ToolOutputRead {
  line: number;
  output: string;
  prefix: number;
  inFailureList: boolean;
  rule: Rule | null;
}

/** One scanner's reading of the output behind npm's prefix. */
export class NpmOutput {
  /**
   * What {@link endsNpmBlock} found on the line it read past an open npm block, so that the same line, which then
   * opens a block, is not walked again; null before any.
   */
  private last: ToolOutputRead | null = null;

  constructor(private readonly scanner: ScannedLine) {}

  /**
   * Whether `text` (`line`, the line being scanned, read past the open npm block's task prefix of `taskPrefix`
   * characters) is a script's output a tool's rule reads: the npm block ends there.
   */
  endsNpmBlock(line: string, text: string, taskPrefix: number): boolean {
    const npm = npmPrefixLength(text, 0);
    if (npm === 0) return false;
    if (NPM_MESSAGE_RE.test(text)) return true;
    const output = text.slice(npm);
    const prefix = taskPrefix + npm;
    const scanner = this.scanner;
    const rule = this.read(line, output, prefix, true);
    this.last = { line: scanner.lineNumber(), output, prefix, inFailureList: scanner.inFailureList(), rule };
    return rule !== null;
  }

  /**
   * The toolchain rule that reads the line being scanned (`text`, its task prefix `prefix` characters, `task` the
   * rest) past npm's prefix, when `rule` took it: npm's own rule, or one that reads the text without the prefix too
   * (a rule that needs npm's words, `npm ERR! code E404`, keeps the line). Null when the line has no npm prefix
   * or no tool's rule reads it.
   */
  readPast(text: string, task: string, rule: Rule, prefix: number): Rule | null {
    const npm = npmPrefixLength(task, 0);
    if (npm === 0) return null;
    const output = task.slice(npm);
    if (rule !== NPM_CASCADE_RULE && !rule.re.test(output)) return null;
    const scanner = this.scanner;
    const last = this.last;
    const at = prefix + npm;
    if (last !== null && last.line === scanner.lineNumber() && last.prefix === at && last.inFailureList === scanner.inFailureList() && last.output === output) return last.rule;
    return this.read(text, output, at, false);
  }

  /**
   * The toolchain rule that reads `output`, the end of `line` (the line being scanned) after `prefix` characters of
   * prefixes, npm's included; null for none. `scan`: the line is not yet in the literal index.
   */
  private read(line: string, output: string, prefix: number, scan: boolean): Rule | null {
    const scanner = this.scanner;
    const inFailureList = scanner.inFailureList();
    const start = line.length - output.length;
    // Of the rules before it, a line of a known shape class is asked only those that are not digit-blind.
    const known = knownNpmOutput(start, inFailureList);
    // The scanner's keyword pre-filter first: most of that output (`gyp info …`, a compiler's command line) no rule
    // reads, and it is cheaper than the walk. The expressions are tested on the output itself: the memo's answers
    // are the whole line's. A known class passed its digit-blind half.
    let shaped = known !== undefined;
    if (!shaped) {
      const startsBlock = PREFILTER_START_RE.test(output);
      if (!startsBlock && !PREFILTER_RE.test(output)) return null;
      // A warning, as the scanner passes it over without the prefix (a compiler's, node-gyp's build printing hundreds):
      // not kept for its class, whose known answer would skip this test. Whether the expression matches cannot
      // depend on which digits a line holds, so a class once kept is never a warning's.
      if (WARNING_RE.test(output)) return null;
      // Only an output that passed by its shape (the pre-filter's digit-blind half) is kept for its class.
      shaped = startsBlock && isPrefilterStartBlind();
    }
    if (scan) scanLine(line);
    const end = known === undefined || known === null ? CASCADE_AT : positionOf(known);
    const candidates = candidatePositions();
    let firstBlind = -1;
    for (let at = nextToolchainRule(candidates, 0); at !== -1 && at < end; at = nextToolchainRule(candidates, at + 1)) {
      const rule = RULES[at] as Rule;
      if (rule.inFailureList && !inFailureList) continue;
      const blind = isBlindAt(at);
      if (known !== undefined && blind) continue;
      if (!rule.re.test(output)) continue;
      if (blind && firstBlind === -1) firstBlind = at;
      if (rule.under !== undefined && !scanner.standsUnder(rule, rule.under, prefix)) continue;
      // The first digit-blind rule that reads the output reads every output of its shape; one whose `under` held
      // (which depends on the lines above) or that came after a rule that is not blind is not kept.
      if (shaped && known === undefined && at === firstBlind && rule.under === undefined) rememberNpmOutput(start, inFailureList, rule);
      return rule;
    }
    if (known !== undefined) return known;
    if (shaped && firstBlind === -1) rememberNpmOutput(start, inFailureList, null);
    return null;
  }
}

/** The first toolchain rule's position from `from` on that the literal index left in (all, before it is built); -1: none. */
function nextToolchainRule(candidates: Int32Array | null, from: number): number {
  const at = candidates === null ? from : nextCandidate(candidates, from);
  return at < CASCADE_AT ? at : -1;
}
