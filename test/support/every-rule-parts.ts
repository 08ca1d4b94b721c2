import { describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../shared/logs/dispatch.js';
import { analyzeLog, type LogAnalysis } from '../../shared/logs/index.js';
import { chunked, CORPUS_PARTS, PARTS, sampleLogPart, type SampleLog } from './sample-logs.js';

/**
 * The parts (0-based) each of the two files takes, about equal in CPU (session 72: ~12 and ~15 s). Each part in
 * exactly one, checked as the files load: a part left out would leave its logs uncompared.
 */
const EVERY_RULE_FILES = [
  [0, 1, 2, 3, 4],
  [5, 6, 7],
] as const;
const assigned = EVERY_RULE_FILES.flat().sort((a, b) => a - b);
if (assigned.join() !== PARTS.map(({ part }) => part).join()) throw new Error(`the corpus's parts ${assigned.join()} are not each in one file`);

/**
 * The line filter's comparisons of testing every rule with the literal index and with the digit-shape memo, over the
 * parts of the corpus that file `file` of the two takes (test/unit/logs/line-filter-every-rule*; the parts:
 * sample-logs.ts), ~27 s of CPU in one process before (session 72). What testing every rule finds is read once a log in each, for its
 * own parts. `denseLogs`, the error-dense logs whose digits matter, go with the last part, which counts the answers
 * the memo reused.
 */
export function everyRuleParts(file: 0 | 1, denseLogs?: () => SampleLog[]): void {
  const chosen = PARTS.filter(({ part }) => (EVERY_RULE_FILES[file] as readonly number[]).includes(part));
  if (chosen.some(({ part }) => part === CORPUS_PARTS - 1) && denseLogs === undefined) throw new Error('the last part needs the error-dense logs');
  describe('analyzeLog with the line filter', () => {
    /**
     * What testing every rule finds in a sample log, the filter on: the literal index off, so no digit-shape memo
     * either (it keeps its answers in the index). Read once a log: two tests compare with it.
     */
    const everyRuleFinds = new Map<string, LogAnalysis>();
    async function everyRule(log: SampleLog): Promise<LogAnalysis> {
      const known = everyRuleFinds.get(log.name);
      if (known !== undefined) return known;
      setLineFilterUse(true);
      setIndexUse(false);
      const found = await analyzeLog(chunked(log.bytes));
      everyRuleFinds.set(log.name, found);
      return found;
    }

    for (const { part, title } of chosen) {
      it(`finds exactly what testing every rule finds when the literal index picks the rules (both with the filter: ${title})`, async () => {
        setShapeMemoUse(true);
        for (const log of sampleLogPart(part)) {
          const found = await everyRule(log);
          setLineFilterUse(true);
          setIndexUse(true);
          const indexed = await analyzeLog(chunked(log.bytes));
          expect(indexed, log.name).toEqual(found);
        }
      }, 120_000);
    }

    for (const { part, title } of chosen) {
      const last = part === CORPUS_PARTS - 1;
      const what = last ? 'and error-dense lines whose digits matter' : 'a part of them';
      it(`finds exactly what it finds without the digit-shape memo (every sample log, ${what}: ${title})`, async () => {
        // The error-dense logs with the last part, whose test counts the answers the memo reused: over the whole corpus
        // it was more than 1,000, and the count of a part is at most that of the whole.
        const logs = [...sampleLogPart(part), ...(last && denseLogs ? denseLogs() : [])];
        let reused = 0;
        for (const log of logs) {
          // Without the memo: what testing every rule finds (the index off takes the memo with it).
          const withoutMemo = await everyRule(log);
          setLineFilterUse(true);
          setIndexUse(true);
          setShapeMemoUse('always');
          const memo = await analyzeLog(chunked(log.bytes));
          reused += setShapeMemoUse(true);
          expect(memo, log.name).toEqual(withoutMemo);
        }
        if (last) expect(reused).toBeGreaterThan(1_000);
      }, 120_000);
    }
  });
}
