import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog } from '../../../shared/logs/index.js';
import { chunked, PARTS, sampleLogPart } from '../../support/sample-logs.js';

/*
 * The line filter's first whole-corpus comparison, in a file of its own (session 72: with the other two and the filter's
 * own tests, line-filter.test.ts was ~48 s of CPU in one process, a serial chain of ~96 s in a full run on 2 cores):
 * every sample log read with the filter and without it. The parts and their logs: test/support/sample-logs.ts.
 */

afterEach(() => {
  setLineFilterUse(null);
  setIndexUse(null);
  setShapeMemoUse(true);
});

describe('analyzeLog with the line filter', () => {
  for (const { part, title } of PARTS) {
    it(`finds exactly what reading every line finds (every sample log, chunked awkwardly: ${title})`, async () => {
      // The index by the usual count, whatever an earlier file of the worker left (setLineFilterUse resets the bytes
      // counted towards the filter's threshold).
      setIndexUse(null);
      setShapeMemoUse(true);
      for (const log of sampleLogPart(part)) {
        setLineFilterUse(false);
        const everyLine = await analyzeLog(chunked(log.bytes));
        setLineFilterUse(true);
        const filtered = await analyzeLog(chunked(log.bytes));
        expect(filtered, log.name).toEqual(everyLine);
      }
    }, 120_000);
  }
});
