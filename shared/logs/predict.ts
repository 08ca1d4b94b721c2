/**
 * Turns an analysis into the line list the scorer (`../shared/datasets/score.py`) and the `guard extract`
 * command expect: the root cause's headline first, then its whole block, then neighbouring failures of the same
 * kind (the other failed tests of the same report), which a reader would read as one failure report. Of a block
 * that is a test's whole captured output it lists the key lines only (`Rule.keyLines`), and after the report the
 * run's summary line (`Rule.tally`).
 */
import { RULE_TABLE, type Rule } from './rules.js';
import type { Failure, LogAnalysis } from './types.js';

/** Gap in lines under which two blocks of the same rule count as one report. */
const ADJACENT_GAP = 12;
/**
 * Gap in lines under which a progress line that announces the report's tests (`Rule.announces`) is part of it: the
 * passed tests' lines printed between a failed test's line and the next (or the reports) are not counted apart.
 */
const ANNOUNCING_GAP = 200;
/** Gap in lines under which a block of another rule right after the report is part of it. */
const CONTIGUOUS_GAP = 2;
/**
 * Lines from a failure's report down to the build tool's closing report of it, at most: Maven prints the other
 * tests' output, the failed tests again, the reactor's summary (a line per module) and its verdict in between (a
 * GitHub Actions log of the dev set puts 200 to 500 lines there).
 */
const CLOSING_GAP = 500;
const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULE_TABLE.map((rule) => [rule.id, rule]));
/** For a rule, the rules whose reports are causes of their own beside its reports in one step ({@link Rule.beside}). */
const BESIDE_RULES: ReadonlyMap<string, readonly string[]> = RULE_TABLE.reduce((byRule, rule) => {
  if (rule.beside !== undefined) byRule.set(rule.beside, [...(byRule.get(rule.beside) ?? []), rule.id]);
  return byRule;
}, new Map<string, string[]>());
/** Rules whose lines say that something failed, not what ({@link Rule.statusOnly}). */
const STATUS_RULES: ReadonlySet<string> = new Set(RULE_TABLE.filter((rule) => rule.statusOnly).map((rule) => rule.id));

/**
 * Lines that explain the failure, most likely cause first (at most `maxLines`).
 */
export function predictionLines(analysis: LogAnalysis, maxLines = 400): number[] {
  const top = analysis.failures[0];
  if (!top) return [];
  const out: number[] = [];
  const seen = new Set<number>();
  const add = (line: number): void => {
    if (out.length < maxLines && !seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  };
  add(top.lines[0]?.line ?? top.startLine);
  if (top.headingLine !== undefined) add(top.headingLine);
  for (const range of reportRanges(analysis.failures, top)) {
    if (range.keys !== undefined) for (const l of [range.startLine, ...(range.pick === undefined ? [] : [range.pick]), ...range.keys]) add(l);
    else if (range.above !== undefined) {
      for (const l of range.above.lines) add(l);
      for (let l = range.above.headLine; l <= range.endLine; l++) add(l);
    } else for (let l = range.startLine; l <= range.endLine; l++) add(l);
  }
  if (top.tallyLine !== undefined) add(top.tallyLine);
  for (const beside of besideTops(analysis.failures, top)) {
    for (const range of reportRanges(analysis.failures, beside)) for (let l = range.startLine; l <= range.endLine; l++) add(l);
  }
  const closing = closingReportOf(analysis.failures, top);
  if (closing?.closedThrough !== undefined) for (let l = closing.startLine; l <= closing.closedThrough; l++) add(l);
  for (const other of otherRunsTops(analysis.failures, top)) for (let l = other.startLine; l <= other.endLine; l++) add(l);
  return out;
}

/**
 * The top failure of each other session of the top failure's runner, in its step (see `Rule.endsRun`): sessions are
 * runs of their own, and each one that failed did for a reason of its own (nox's lint session's missing tool beside
 * its tests session's failures). Not a status line: a session's own report.
 */
function otherRunsTops(failures: readonly Failure[], top: Failure): Failure[] {
  if (top.run === undefined) return [];
  const listed = new Set([top.run]);
  const tops: Failure[] = [];
  for (const f of failures) {
    if (f.run === undefined || listed.has(f.run) || STATUS_RULES.has(f.rule) || !sameStep(f, top)) continue;
    listed.add(f.run);
    tops.push(f);
  }
  return tops;
}

/**
 * For each rule that reports a cause of its own beside the top failure's rule (`Rule.beside`), its first failure in
 * the top failure's step: the top of a report listed after the top's own.
 */
function besideTops(failures: readonly Failure[], top: Failure): Failure[] {
  const rules = BESIDE_RULES.get(top.rule);
  if (rules === undefined) return [];
  return rules.flatMap((rule) => failures.filter((f) => f.rule === rule && sameStep(f, top)).sort((a, b) => a.startLine - b.startLine).slice(0, 1));
}

/**
 * The top failure's report, in the order its lines are listed: its own block, the neighbouring blocks of its rule
 * (`sameRuleNeighbours`), then a block of another kind that continues it (`continuingBlocks`).
 */
function reportRanges(failures: readonly Failure[], top: Failure): Range[] {
  const headLine = top.lines[0]?.line ?? top.startLine;
  const keepsAbove = RULES_BY_ID.get(top.rule)?.lookback?.keeps !== undefined && headLine > top.startLine;
  const above = keepsAbove ? { lines: top.lines.filter((l) => l.line < headLine).map((l) => l.line), headLine } : undefined;
  const ranges: Range[] = [{ startLine: top.startLine, endLine: top.endLine, keys: top.keyLines, ...(above ? { above } : {}) }];
  const end = sameRuleNeighbours(failures, top, ranges);
  continuingBlocks(failures, top, end, ranges);
  announcingBlocks(failures, top, Math.min(...ranges.map((r) => r.startLine)), ranges);
  return ranges;
}

/**
 * Adds to `ranges` the progress lines above the report that announce its tests (`Rule.announces`): going up from
 * `start`, the report's first line, each within {@link ANNOUNCING_GAP} lines of the last one taken, in the report's step.
 */
function announcingBlocks(failures: readonly Failure[], top: Failure, start: number, ranges: Range[]): void {
  let reach = start;
  for (const f of [...failures].sort((a, b) => b.startLine - a.startLine)) {
    if (RULES_BY_ID.get(f.rule)?.announces === top.rule && f.endLine < reach && reach - f.endLine <= ANNOUNCING_GAP && sameStep(f, top)) {
      ranges.push({ startLine: f.startLine, endLine: f.endLine });
      reach = f.startLine;
    }
  }
}

/**
 * Adds to `ranges` the blocks of the top failure's rule (and, with `Rule.fileOf`, about its file) that follow one
 * another within {@link ADJACENT_GAP} lines of it, below it and then above it: the other failed tests of the same
 * report. With `Rule.causeOnce`, a copy of the top block's cause is not listed, but the report still reaches over
 * it: the lines right under it (pytest's `FAILED …` summary) go on from its end. Returns the report's last line.
 */
function sameRuleNeighbours(failures: readonly Failure[], top: Failure, ranges: Range[]): number {
  const rule = RULES_BY_ID.get(top.rule);
  const fileOf = rule?.fileOf;
  const fileOfFailure = (f: Failure): string | undefined => (fileOf === undefined ? undefined : fileOf.exec(f.lines[0]?.text ?? '')?.[1]);
  const topFile = fileOfFailure(top);
  const causeOnce = rule?.causeOnce === true;
  const topCause = rule && causeOf(top, rule);
  // A block with key lines is listed by them; a repeat of it has none of its own, so it is listed by its first line
  // (no keys), and without key lines a repeat is listed whole (keys undefined).
  const repeatKeys: readonly number[] | undefined = top.keyLines === undefined ? undefined : [];
  const joins = rule?.joinsInStep === true;
  // The reports its tool went on past before the one it stopped on are warnings (see `Rule.warning`'s `lastStops`), ranked below it.
  const stopsAtLast = typeof rule?.warning === 'object' && rule.warning.lastStops === true;
  const sameRule = failures
    .filter((f) => f.rule === top.rule && fileOfFailure(f) === topFile && (!joins || sameStep(f, top)) && (!stopsAtLast || f.score >= top.score))
    .flatMap((f): Range[] => [
      { startLine: f.startLine, endLine: f.endLine, keys: f.keyLines, pick: f.lines[0]?.line, copy: causeOnce && f !== top && rule !== undefined && causeOf(f, rule) === topCause },
      ...(causeOnce ? [] : (f.repeats ?? []).map((r) => ({ ...r, keys: repeatKeys }))),
    ]);
  sameRule.sort((a, b) => a.startLine - b.startLine);
  const near = joins ? joinedInStep(failures, top) : (from: number, to: number): boolean => to - from <= ADJACENT_GAP;
  let end = top.endLine;
  for (const r of sameRule) {
    if (r.startLine > end && near(end, r.startLine)) {
      if (r.copy !== true) ranges.push(r);
      end = r.endLine;
    }
  }
  let start = top.startLine;
  for (const r of [...sameRule].reverse()) {
    if (r.endLine < start && near(r.endLine, start)) {
      if (r.copy !== true) ranges.push(r);
      start = r.startLine;
    }
  }
  if (!causeOnce) reprintedTogether(failures.filter((f) => f.rule === top.rule && fileOfFailure(f) === topFile && sameStep(f, top)), ranges);
  return end;
}

/**
 * For a rule whose blocks in one step are one report (`Rule.joinsInStep`; only the step's failures are asked): whether
 * a block ending at line `from` and one starting at line `to` join, no failure of another rule that says what failed
 * starting between them (a progress line that announces the report's tests, `Rule.announces`, is the report's own). A repeat of a block may stand in a later step (the same compile run again): it is out from
 * the first line of a later step that a failure names (an analysis keeps no other step boundary).
 */
function joinedInStep(failures: readonly Failure[], top: Failure): (from: number, to: number) => boolean {
  const others = failures
    .filter((f) => f.rule !== top.rule && !STATUS_RULES.has(f.rule) && RULES_BY_ID.get(f.rule)?.announces !== top.rule && sameStep(f, top))
    .map((f) => f.startLine);
  const stepStart = top.step?.startLine ?? Number.POSITIVE_INFINITY;
  const nextStep = Math.min(...failures.map((f) => f.step?.startLine ?? Number.POSITIVE_INFINITY).filter((l) => l > stepStart));
  return (from, to) => to < nextStep && !others.some((l) => l > from && l < to);
}

/**
 * Adds to `ranges` the blocks of `sameRule` (the top's rule, in its step) that the tool printed again next to a
 * repeat of a block of the report: a build tool's closing report lists what failed the build together, however far
 * apart it was printed first (Maven under --fail-at-end, each module's javac errors again under its `Failed to execute
 * goal`, one goal's report right under the other's, the modules' own errors a build header apart). The repeats are
 * grouped as {@link ADJACENT_GAP} groups blocks; a block whose repeat is in a group with a repeat of a reported one is
 * reported.
 */
function reprintedTogether(sameRule: readonly Failure[], ranges: Range[]): void {
  const reported = new Set(ranges.map((r) => r.startLine));
  const repeats = sameRule.flatMap((f) => (f.repeats ?? []).map((r) => ({ ...r, of: f }))).sort((a, b) => a.startLine - b.startLine);
  let group: Failure[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  const close = (): void => {
    if (!group.some((f) => reported.has(f.startLine))) return;
    for (const f of group) {
      if (reported.has(f.startLine)) continue;
      reported.add(f.startLine);
      ranges.push({ startLine: f.startLine, endLine: f.endLine, keys: f.keyLines, pick: f.lines[0]?.line });
    }
  };
  for (const r of repeats) {
    if (r.startLine - groupEnd > ADJACENT_GAP) {
      close();
      group = [];
    }
    group.push(r.of);
    groupEnd = Math.max(groupEnd, r.endLine);
  }
  close();
}

/**
 * Adds to `ranges` the blocks of another kind that start within {@link CONTIGUOUS_GAP} lines of the end of a block of
 * the report, each going on from the last: a Java exception whose multi-line message holds the line another rule took
 * (`stderr: fatal: unable to access …`), with the frames under that one, or an entry of the run's list of the
 * report's failures further down (`Rule.summarises`). With `Rule.wrapsOutput`, between two blocks of the report as
 * well: the wrapped program's own lines (a test's `check failed` between memcheck's two errors). Not a block that only
 * reports that something failed (`FAIL`, `TEST FAILURE`, `3 tests completed, 1 failed`): a summary after the report
 * is not part of it.
 */
function continuingBlocks(failures: readonly Failure[], top: Failure, end: number, ranges: Range[]): void {
  const others = failures.filter((f) => f.rule !== top.rule && !STATUS_RULES.has(f.rule)).sort((a, b) => a.startLine - b.startLine);
  const reportEnds = RULES_BY_ID.get(top.rule)?.wrapsOutput === true ? ranges.map((r) => r.endLine) : [];
  const continues = (f: Failure): boolean => reportEnds.some((e) => f.startLine > e && f.startLine - e <= CONTIGUOUS_GAP);
  let reportEnd = end;
  for (const f of others) {
    if ((f.startLine > reportEnd && (f.startLine - reportEnd <= CONTIGUOUS_GAP || summarises(f, top, f.startLine - reportEnd))) || (f.startLine < end && continues(f))) {
      ranges.push({ startLine: f.startLine, endLine: f.endLine });
      reportEnds.push(f.endLine);
      if (f.startLine > reportEnd) reportEnd = f.endLine;
    }
  }
}

/**
 * The build tool's closing report (`Rule.closing`) of the top failure: the one it is printed in (its own headline
 * may open it), else the first after it in its step, at most {@link CLOSING_GAP} lines on.
 */
function closingReportOf(failures: readonly Failure[], top: Failure): Failure | undefined {
  const reports = failures.filter((f) => f.closedThrough !== undefined).sort((a, b) => a.startLine - b.startLine);
  return (
    reports.find((f) => f.startLine <= top.startLine && top.startLine <= (f.closedThrough as number)) ??
    reports.find((f) => f.startLine > top.endLine && f.startLine - top.endLine <= CLOSING_GAP && sameStep(f, top))
  );
}

/** Whether `entry`, `gap` lines under the report of `top`, is an entry of the run's list of its failures (`Rule.summarises`). */
function summarises(entry: Failure, top: Failure, gap: number): boolean {
  const list = RULES_BY_ID.get(entry.rule)?.summarises;
  return list !== undefined && list.rule === top.rule && gap <= list.within && sameStep(entry, top);
}

/** Whether two failures were printed in one step (or both in a log that marks none). */
function sameStep(a: Failure, b: Failure): boolean {
  return a.step?.name === b.step?.name && a.step?.number === b.step?.number && a.step?.startLine === b.step?.startLine;
}

/**
 * What a failure reports and where (see `Rule.causeOnce`): its picked line, digits aside, and the last of its lines
 * that a `last` pick of its rule matches (pytest's `path.py:N: Error`), kept exactly, so two tests failing with the
 * same words at lines of their own are two causes.
 */
function causeOf(failure: Failure, rule: Rule): string {
  const locations = (rule.pick ?? []).filter((p) => p.last === true).map((p) => p.re);
  const location = failure.lines.findLast((l) => locations.some((re) => re.test(l.text)))?.text ?? '';
  return `${(failure.lines[0]?.text ?? '').replace(/\d+/g, '0')}\n${location}`;
}

/** Lines of a block, or only its first line and `keys` when its rule names its key lines. */
interface Range {
  startLine: number;
  endLine: number;
  keys?: readonly number[] | undefined;
  /**
   * Of the lines above its headline (`headLine`), the ones the report stored, listed in place of that part of the span:
   * a rule whose look-back `keeps` some of them (Jest's list of a file's tests: the failed ones, not the passed ones).
   */
  above?: { lines: readonly number[]; headLine: number };
  /** The line its rule picked (the compiler's `error[…]`, the `panicked at` line), listed with its key lines. */
  pick?: number | undefined;
  /** A copy of the top block's cause (`Rule.causeOnce`): the report reaches over it, its lines are not listed. */
  copy?: boolean;
}
