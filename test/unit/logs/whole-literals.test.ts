import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scanLine, setIndexUse, setWholeLiteralUse, testRuleAt, WHOLE_LITERALS } from '../../../shared/logs/dispatch.js';
import { analyzeLog } from '../../../shared/logs/index.js';
import { checkedLiterals } from '../../../shared/logs/literal-index.js';
import { cleanLine } from '../../../shared/logs/reader.js';
import { RULE_TABLE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHECKED = [...WHOLE_LITERALS.keys()].map((id) => ({ id, at: RULE_TABLE.findIndex((rule) => rule.id === id) }));

/** Every line of the repository's sample logs and real tools' logs (fixtures), cleaned as the scanner reads them. */
function corpusLogs(): Array<{ name: string; text: string }> {
  const logs: Array<{ name: string; text: string }> = [];
  const events = join(ROOT, 'events', 'logs');
  for (const f of readdirSync(events)) logs.push({ name: f, text: readFileSync(join(events, f), 'utf8') });
  for (const dir of ['gha-real-tools', 'jenkins-real-tools']) {
    const folder = join(ROOT, 'test', 'fixtures', dir);
    if (!existsSync(folder)) continue;
    for (const f of readdirSync(folder)) if (!f.endsWith('.json')) logs.push({ name: `${dir}/${f}`, text: readFileSync(join(folder, f), 'utf8') });
  }
  return logs;
}

/** Lines built from the pieces the two rules' expressions and the index's cut literals are made of. */
function generatedLines(count: number): string[] {
  const random = seededRandom(67);
  const pieces = [
    'src/a.ts(12,5)', 'foo_test.cc(27)', 'unknown file', 'file.cpp:27', ': Failure', ': failure', '): error: ', '): error TS2345: ', '): error', '): Error: ',
    'Value of', 'Expected', 'Failed', 'expected', 'ERROR', 'Error', 'error', 'FAIL', 'FAILED', 'Fail', 'fail', ' FAILED', 'test_x', 'test', 'tests/test_a.py',
    ' ', '  ', '\t', '(', ')', ':', '0', '9', 'x', 'é', '😀',
  ];
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(random() * 7) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
}

afterEach(() => {
  setWholeLiteralUse(true);
  setIndexUse(null);
});

describe('whole literals looked for before a rule\'s expression', () => {
  it('are what the literal reader reads from each rule\'s expression, case kept', () => {
    expect(CHECKED.length).toBeGreaterThan(0);
    for (const { id, at } of CHECKED) {
      expect(at, id).toBeGreaterThanOrEqual(0);
      expect(WHOLE_LITERALS.get(id), id).toEqual(checkedLiterals((RULE_TABLE[at] as (typeof RULE_TABLE)[number]).re));
    }
  });

  it('are held by every line an expression matches, for every rule of the table (sample lines, the corpus, generated lines)', () => {
    // Each distinct line once: an expression's answer depends on the text alone (none is global or sticky), and the
    // corpus's logs repeat their runners' lines (66,558 sample and corpus lines, 22,564 distinct, session 70).
    const lines = [...new Set([...sampleLines(), ...corpusLogs().flatMap((log) => log.text.split('\n').map(cleanLine)), ...generatedLines(20_000)])];
    expect(RULE_TABLE.filter((rule) => rule.re.global || rule.re.sticky)).toEqual([]);
    const wrong: string[] = [];
    let ruled = 0;
    for (const rule of RULE_TABLE) {
      const lits = checkedLiterals(rule.re);
      if (lits === null) continue;
      ruled++;
      for (const text of lines) {
        if (rule.re.test(text) && !lits.some((lit) => text.includes(lit))) wrong.push(`${rule.id}: ${JSON.stringify(text)} holds none of ${JSON.stringify(lits)}`);
      }
    }
    expect(ruled).toBeGreaterThan(100);
    expect(wrong.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('change no answer of the rule walk\'s test (every line of the corpus and generated lines), and rule out a compiler\'s error line', () => {
    const lines = [...corpusLogs().flatMap((log) => log.text.split('\n').map(cleanLine)), ...generatedLines(20_000), 'src/a.ts(12,5): error TS2345: Argument of type'];
    const answers = (use: boolean): boolean[] => {
      setWholeLiteralUse(use);
      return lines.flatMap((text) => {
        scanLine(text);
        return CHECKED.map(({ at }) => testRuleAt(at, text));
      });
    };
    const before = answers(false);
    const after = answers(true);
    expect(after).toEqual(before);
    expect(after).toEqual(lines.flatMap((text) => CHECKED.map(({ at }) => (RULE_TABLE[at] as (typeof RULE_TABLE)[number]).re.test(text))));
    expect(before.filter(Boolean).length, 'lines each rule matches').toBeGreaterThan(CHECKED.length);
    // The compiler's line holds `): error` and `error`, which the index reads, and none of the whole literals.
    const tsc = 'src/a.ts(12,5): error TS2345: Argument of type';
    for (const { id } of CHECKED) expect((WHOLE_LITERALS.get(id) ?? []).some((lit) => tsc.includes(lit)), id).toBe(false);
  }, 60_000);

  it('change no analysis (the corpus, and logs of gtest failures, result tables and compiler errors), with the literal index and without', async () => {
    const random = seededRandom(15);
    const gtest = Array.from({ length: 3_000 }, (_, i) => {
      switch (i % 6) {
        case 0:
          return `src/m${i}.ts(${i},5): error TS2345: Argument of type 'A${i}' is not assignable`;
        case 1:
          return `foo_test.cc(${i}): error: Value of: x${i}`;
        case 2:
          return `foo_test.cc:${i}: Failure`;
        case 3:
          return `test_case_${i}  ${random() < 0.5 ? 'FAILED' : 'ERROR'}`;
        case 4:
          return `test_${i} FAILED`;
        default:
          return `[  FAILED  ] Suite.Test${i} (0 ms)`;
      }
    }).join('\n');
    const logs = [...corpusLogs(), { name: 'gtest and tsc', text: gtest }];
    for (const indexUse of [true, false]) {
      for (const log of logs) {
        setIndexUse(indexUse);
        setWholeLiteralUse(false);
        const before = await analyzeLog(log.text);
        setIndexUse(indexUse);
        setWholeLiteralUse(true);
        expect(await analyzeLog(log.text), `${log.name}, index ${indexUse}`).toEqual(before);
      }
    }
  }, 120_000);
});
