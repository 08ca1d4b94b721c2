import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { setIndexUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/task-names');

describe('the digit-shape memo, on lines a learnt task name is read past', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
  });

  it('finds what reading every line finds when a learnt name and an unknown one share a digit shape', async () => {
    // Prepare: `app1: src/a.c:10:5: error: …` (a learnt name) and `app2: src/a.c:10:5: error: …` (not learnt).
    const log = readFileSync(resolve(FIXTURES, 'learnt-name-shape.log'), 'utf8');
    setIndexUse(false);
    setShapeMemoUse(false);
    const everyLine = await analyzeLog(log);
    setIndexUse(true);
    setShapeMemoUse('always');
    // Act
    const memo = await analyzeLog(log);
    // Assert
    expect(everyLine.failures.map((f) => [f.rule, f.startLine])).toEqual([['cc.error', 4], ['generic.error-word', 5]]);
    expect(memo).toEqual(everyLine);
  });
});
