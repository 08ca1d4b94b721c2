import * as z from '../zod.js';
import { confidenceScore } from './confidence.js';
import { jaccard, shingles } from './similarity.js';

/**
 * How a learned entry's fix text is revised by outcomes (README, "Learning loop"). The fix is the one an analysis
 * proposed for an incident that then recovered; later incidents of the same failure are analysed again, and their
 * proposals and outcomes say whether the stored fix still holds:
 * - an outcome of the stored fix (a proposal that agrees with it) adds to its record: a success when the incident
 *   recovered, a failure when the re-run after it failed again. Its confidence is the Wilson lower bound of that
 *   record, so it decays with failures;
 * - a different fix that worked becomes the challenger (one slot, so the entry stays bounded); it replaces the
 *   stored fix once it has {@link FIX_REPLACE_AFTER} successes and the lower bound of its rate is above the stored
 *   fix's observed rate. Comparing the two lower bounds instead let a fresh 3-of-3 challenger replace a better fix
 *   with a short record: in 207 of 1,000 simulated entries a 50 % fix replaced a 90 % one within 100 outcomes
 *   (test/unit/knowledge/fix-record.test.ts simulates this rule);
 * - a fix with at least {@link FIX_RETIRE_AFTER} failures and more failures than successes is retired: kept in the
 *   record, no longer shown or put in a prompt, until a challenger replaces it;
 * - the replaced fixes are kept with their records, the last {@link FIX_HISTORY}.
 */

/** Successes a challenger needs before it may replace the stored fix. */
export const FIX_REPLACE_AFTER = 3;
/** Failures after which a fix that fails more often than it works is no longer shown. */
export const FIX_RETIRE_AFTER = 3;
/** Replaced fixes kept per entry. */
export const FIX_HISTORY = 3;
/** Two proposals at least this similar (Jaccard of their words and word pairs) are the same fix in other words. */
export const FIX_AGREEMENT = 0.6;

const fixStatsSchema = z.object({
  fix: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(10)),
  successes: z.number().check(z.int(), z.gte(0), z.lte(1_000_000)),
  failures: z.number().check(z.int(), z.gte(0), z.lte(1_000_000)),
});

export const fixRecordSchema = z.object({
  current: z.nullable(fixStatsSchema),
  challenger: z.nullable(fixStatsSchema),
  history: z.array(z.extend(fixStatsSchema, { replacedAt: z.string().check(z.maxLength(40)) })).check(z.maxLength(FIX_HISTORY)),
});

export type FixStats = z.infer<typeof fixStatsSchema>;
export type FixRecord = z.infer<typeof fixRecordSchema>;
export type FixOutcome = 'success' | 'failure';

/**
 * What an outcome did to the record: nothing, or which fix it counted for and whether the stored fix changed;
 * `taken_back` when it only took back an incident's earlier outcome (see {@link moveFixOutcome}).
 */
export type FixChange = 'ignored' | 'first' | 'current' | 'challenger' | 'challenged' | 'replaced' | 'taken_back';

/** Whether two proposed fixes say the same: equal once case and spacing are ignored, or similar enough in words. */
export function fixAgrees(a: readonly string[], b: readonly string[]): boolean {
  const text = (fix: readonly string[]) => fix.join('\n').toLowerCase().replace(/\s+/g, ' ').trim();
  if (text(a) === text(b)) return text(a).length > 0;
  return jaccard(shingles(a.join('\n')), shingles(b.join('\n'))) >= FIX_AGREEMENT;
}

/** The lower bound of the 95 % Wilson interval of the fix's success rate. */
export function fixConfidence(stats: Pick<FixStats, 'successes' | 'failures'>): number {
  return confidenceScore(stats.successes, stats.successes + stats.failures);
}

/** The fix's observed success rate (1 before any outcome: it worked once, when it was learned). */
export function fixRate(stats: Pick<FixStats, 'successes' | 'failures'>): number {
  const outcomes = stats.successes + stats.failures;
  return outcomes === 0 ? 1 : stats.successes / outcomes;
}

export function fixRetired(stats: Pick<FixStats, 'successes' | 'failures'>): boolean {
  return stats.failures >= FIX_RETIRE_AFTER && stats.failures > stats.successes;
}

const add = (stats: FixStats, outcome: FixOutcome): FixStats =>
  outcome === 'success' ? { ...stats, successes: stats.successes + 1 } : { ...stats, failures: stats.failures + 1 };

/** The record after one outcome of `fix` at `at` (see the module's comment). Pure: the store writes the result. */
export function reviseFix(record: FixRecord, fix: readonly string[], outcome: FixOutcome, at: Date): { record: FixRecord; change: FixChange } {
  if (fix.length === 0) return { record, change: 'ignored' };
  const proposed: FixStats = { fix: [...fix], successes: 0, failures: 0 };
  if (!record.current) {
    return outcome === 'success' ? { record: { ...record, current: add(proposed, outcome) }, change: 'first' } : { record, change: 'ignored' };
  }
  if (fixAgrees(record.current.fix, fix)) return { record: { ...record, current: add(record.current, outcome) }, change: 'current' };
  if (record.challenger && fixAgrees(record.challenger.fix, fix)) {
    const challenger = add(record.challenger, outcome);
    if (challenger.successes >= FIX_REPLACE_AFTER && fixConfidence(challenger) > fixRate(record.current)) {
      const history = [{ ...record.current, replacedAt: at.toISOString() }, ...record.history].slice(0, FIX_HISTORY);
      return { record: { current: challenger, challenger: null, history }, change: 'replaced' };
    }
    return { record: { ...record, challenger }, change: 'challenger' };
  }
  // A fix nobody has seen work is not worth a failure on record; one that worked takes the slot from a challenger
  // that has shown no more than one success of its own.
  if (outcome === 'failure') return { record, change: 'ignored' };
  const newcomer = add(proposed, outcome);
  if (record.challenger && fixConfidence(record.challenger) > fixConfidence(newcomer)) return { record, change: 'ignored' };
  return { record: { ...record, challenger: newcomer }, change: 'challenged' };
}

/**
 * The record after one incident's outcome of `fix` changed from `from` to `to` (null: none), as when a writer's vote
 * overrules what the incident's run showed: `from` is taken back from the fix that agrees with `fix` (not from one
 * replaced since, whose record is history), then `to` counts as {@link reviseFix} counts an outcome.
 */
export function moveFixOutcome(record: FixRecord, fix: readonly string[], from: FixOutcome | null, to: FixOutcome | null, at: Date): { record: FixRecord; change: FixChange } {
  const takeBack = (stats: FixStats): FixStats =>
    from === 'success' ? { ...stats, successes: Math.max(0, stats.successes - 1) } : { ...stats, failures: Math.max(0, stats.failures - 1) };
  let taken = record;
  if (from && fix.length > 0 && record.current && fixAgrees(record.current.fix, fix)) taken = { ...record, current: takeBack(record.current) };
  else if (from && fix.length > 0 && record.challenger && fixAgrees(record.challenger.fix, fix)) taken = { ...record, challenger: takeBack(record.challenger) };
  const counted = to ? reviseFix(taken, fix, to, at) : { record: taken, change: 'ignored' as const };
  return counted.change === 'ignored' && taken !== record ? { record: taken, change: 'taken_back' } : counted;
}

/**
 * The record as stored on an entry, or null for an entry whose fix outcomes do not revise: one imported with a fix
 * (a person's text). An entry learned before records were kept starts one with its fix, which had worked once;
 * anything that does not parse starts over from the entry's fix the same way.
 */
export function storedFixRecord(item: Record<string, unknown>): FixRecord | null {
  const parsed = fixRecordSchema.safeParse(item.fixRecord);
  if (parsed.success) return parsed.data;
  const fix = Array.isArray(item.fix) ? (item.fix as unknown[]).map(String).slice(0, 10).map((step) => step.slice(0, 500)) : [];
  if (fix.length > 0 && item.source !== undefined && item.source !== 'learned') return null;
  return { current: fix.length > 0 ? { fix, successes: 1, failures: 0 } : null, challenger: null, history: [] };
}
