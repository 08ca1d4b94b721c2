import { describe, expect, it } from 'vitest';
import { anchoredLead } from '../../../shared/logs/anchored-lead.js';
import { LANGUAGE_TWINS, RULE_TABLE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

/** Every expression of the rule tables, the look-backs' first, and where each came from. */
function tableExpressions(): Array<{ name: string; re: RegExp }> {
  const out: Array<{ name: string; re: RegExp }> = [];
  for (const rule of [...RULE_TABLE, ...LANGUAGE_TWINS]) {
    const { lookback } = rule;
    if (lookback !== undefined) {
      out.push({ name: `${rule.id} lookback.re`, re: lookback.re });
      for (const [part, re] of [['through', lookback.through], ['first', lookback.first], ['atLimit', lookback.atLimit], ['farthest', lookback.farthest], ['heading.re', lookback.heading?.re]] as const) {
        if (re !== undefined) out.push({ name: `${rule.id} lookback.${part}`, re });
      }
    }
    for (const [part, re] of [['re', rule.re], ['cont', rule.cont], ['end', rule.end]] as const) if (re !== undefined) out.push({ name: `${rule.id} ${part}`, re });
  }
  return out;
}

/**
 * Lines that begin with part of `lead` and go on otherwise, or with all of it and a character of the expression's
 * own source: they sit right at the lead's edge, where a lead one character too long (or one an optional item ends)
 * would say no to a line the expression matches.
 */
function edgeLines(source: string, lead: string, random: () => number): string[] {
  const pieces = [...new Set([...source.replace(/\\[sdwb]/g, ' '), ' ', '  ', '0', 'x', 'é'])];
  const tail = (): string => Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
  const lines: string[] = [];
  for (let cut = 0; cut <= lead.length; cut++) for (let k = 0; k < 8; k++) lines.push(lead.slice(0, cut) + tail());
  return lines;
}

describe('the literal lead of an anchored expression', () => {
  it('is the literal characters right after ^, up to a quantified item or another construct', () => {
    expect(anchoredLead(/^TSError: ⨯ Unable to compile TypeScript:$/)).toBe('TSError: ⨯ Unable to compile TypeScript:');
    expect(anchoredLead(/^=== RUN\s/)).toBe('=== RUN');
    expect(anchoredLead(/^\[junit\] Testcase: \S+/)).toBe('[junit] Testcase: ');
    expect(anchoredLead(/^a\.b\/c/)).toBe('a.b/c');
    // An item a quantifier follows may be absent or repeated: the lead stops before it.
    expect(anchoredLead(/^ab?c/)).toBe('a');
    expect(anchoredLead(/^ab*c/)).toBe('a');
    expect(anchoredLead(/^ab+c/)).toBe('a');
    expect(anchoredLead(/^ {2}\S/)).toBe('');
    expect(anchoredLead(/^\*{5} /)).toBe('');
    expect(anchoredLead(/^a\.?b/)).toBe('a');
    expect(anchoredLead(/^x(?:ERROR: )?usage/)).toBe('x');
    expect(anchoredLead(/^\s*FAIL\s+\S/)).toBe('');
    expect(anchoredLead(/^[A-Za-z_][\w.]*$/)).toBe('');
  });

  it('is empty where a match need not start with fixed characters at 0', () => {
    expect(anchoredLead(/TSError: /)).toBe('');
    expect(anchoredLead(/^abc|^def/)).toBe('');
    expect(anchoredLead(/^a\|b/)).toBe('');
    expect(anchoredLead(/^abc/i)).toBe('');
    expect(anchoredLead(/^abc/m)).toBe('');
    expect(anchoredLead(/^abc/u)).toBe('');
  });

  it('begins every line each expression of the rule tables matches (sample lines and lines at each lead\'s edge)', () => {
    const samples = sampleLines();
    const random = seededRandom(69);
    const wrong: string[] = [];
    let led = 0;
    for (const { name, re } of tableExpressions()) {
      const lead = anchoredLead(re);
      if (lead === '') continue;
      led++;
      for (const line of [...samples, ...edgeLines(re.source, lead, random)]) {
        if (re.test(line) && !line.startsWith(lead)) wrong.push(`${name} ${JSON.stringify(lead)}: ${JSON.stringify(line)}`);
      }
    }
    expect(led).toBeGreaterThan(20);
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});
