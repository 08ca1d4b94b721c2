import { afterEach } from 'vitest';
import { setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { everyRuleParts } from '../../support/every-rule-parts.js';

/*
 * The line filter's other two whole-corpus comparisons (see line-filter-every-line.test.ts), parts 1 to 5 of the
 * corpus: testing every rule against the literal index, and against the digit-shape memo (test/support/every-rule-parts.ts;
 * parts 6 to 8 in line-filter-every-rule-2.test.ts).
 */

afterEach(() => {
  setLineFilterUse(null);
  setIndexUse(null);
  setShapeMemoUse(true);
});

everyRuleParts(0);
