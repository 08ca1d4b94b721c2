import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactorWith, redactSecrets } from '../../../shared/logs/redact.js';
import { GATE_AFTER_CHARS, LINE_PATTERN_EXPRESSIONS, LiteralPatternGate } from '../../../shared/logs/redaction/pattern-gate.js';
import { LINE_PATTERNS } from '../../../shared/logs/redaction/patterns.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const gated = redactorWith(new LiteralPatternGate(0));
/** The gate before its automaton is built: each pattern's literals looked for with `includes`. */
const gatedByIncludes = redactorWith(new LiteralPatternGate(Number.POSITIVE_INFINITY));

function logsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.log'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('the redaction pattern gate', () => {
  it('reads the expressions of the line patterns, in their order', () => {
    expect(LINE_PATTERN_EXPRESSIONS).toEqual(LINE_PATTERNS.map((pattern) => pattern.re));
  });

  it('looks for the same literals with includes until the process has read enough text to pay for the automaton', () => {
    // Prepare
    const slack = LINE_PATTERNS.findIndex((pattern) => pattern.id === 'slack-token');
    const gate = new LiteralPatternGate(100);
    const answers = (): boolean[] => ['x'.repeat(60), 'xoxb-1234567890-abcdefghijkl', 'plain text without any of its literals'].map((text) => {
      gate.read(text);
      return gate.may(slack);
    });
    // Act, Assert: 60 + 28 characters are read before the automaton is built, 38 more after it.
    expect(answers()).toEqual([false, true, false]);
    expect(answers()).toEqual([false, true, false]);
    expect(GATE_AFTER_CHARS).toBeGreaterThan(20 * 200);
  });

  it('runs every pattern on a text past an excerpt\'s size until the automaton is built (asking the literals of a long text did not stay linear)', () => {
    const slack = LINE_PATTERNS.findIndex((pattern) => pattern.id === 'slack-token');
    const gate = new LiteralPatternGate(Number.POSITIVE_INFINITY);
    gate.read('plain text without any of its literals');
    expect(gate.may(slack)).toBe(false);
    gate.read('plain text '.repeat(400));
    expect(gate.may(slack)).toBe(true);
  });

  // A replacement's marker can hold the literal a later pattern needs: the token's marker ends in `token]`, and the
  // generic key rule then reads `github-token]: value` as a key and its value. Text without the literal before the
  // token's replacement must still get that rule.
  it.each([
    ['ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A: Xk29fPq7Lm3Zr8Tb', '[REDACTED:github-token]: [REDACTED:key-value-secret]'],
    ['xoxb-1234567890-abcdefghijkl: Xk29fPq7Lm3Zr8Tb', '[REDACTED:slack-token]: [REDACTED:key-value-secret]'],
  ])('reads the text again after a replacement: %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
    expect(gated(text)).toBe(expected);
  });

  it('redacts every 20-line excerpt of every fixture log as redactSecrets does, cut ends and all, before and after its automaton is built', () => {
    const logs = logsUnder(FIXTURES);
    expect(logs.length).toBeGreaterThan(200);
    let excerpts = 0;
    for (const log of logs) {
      const lines = readFileSync(log, 'utf8').split('\n');
      for (let from = 0; from < lines.length; from += 20) {
        const text = lines.slice(from, from + 20).join('\n');
        const cut = { atStart: from > 0, atEnd: from + 20 < lines.length };
        const expected = redactSecrets(text, cut);
        if (gated(text, cut) !== expected) expect.fail(`${log}, lines ${from + 1}-${from + 20}: the gate changed the redaction`);
        if (gatedByIncludes(text, cut) !== expected) expect.fail(`${log}, lines ${from + 1}-${from + 20}: the gate before its automaton changed the redaction`);
        excerpts += 1;
      }
    }
    expect(excerpts).toBeGreaterThan(1000);
  });
});
