import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/index.js';

/**
 * The `jwt` rule reads each base64url run once (attack-47 I3): a hostile line of 64 KB redacts in well under a second,
 * and the tokens it finds are the ones the rule as first written (/eyJ[…]{8,}\.eyJ[…]{8,}\.[…]{8,}/) found.
 */

const HOSTILE_CHARS = 65_536;
const WELL_UNDER_A_SECOND_MS = 500;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

function timed(text: string): { out: string; ms: number } {
  const started = performance.now();
  const out = redactSecrets(text);
  return { out, ms: performance.now() - started };
}

describe('jwt rule on hostile runs', () => {
  it('redacts a 64 KB line of "eyJ" without a dot, and a token after it, in well under a second', () => {
    const filler = 'eyJ'.repeat(HOSTILE_CHARS / 4);
    const { out, ms } = timed(`${filler} ${JWT}`);

    expect(out).toBe(`${filler} [REDACTED:jwt]`);
    expect(ms).toBeLessThan(WELL_UNDER_A_SECOND_MS);
  });

  it.each([
    ['first part too short, the token in the next parts', `eyJab.${JWT}`, 'eyJab.[REDACTED:jwt]'],
    ['second part too short, the token after it', `eyJaaaaaaaaaa.eyJbb.${JWT}`, 'eyJaaaaaaaaaa.eyJbb.[REDACTED:jwt]'],
    ['second part not a JSON header', `eyJaaaaaaaaaa.xyzzyxyzzy.${JWT}`, 'eyJaaaaaaaaaa.xyzzyxyzzy.[REDACTED:jwt]'],
    ['several "eyJ" in the first part: from the first', `id=eyJaeyJ${JWT.slice(3)}`, 'id=[REDACTED:jwt]'],
    ['glued to a word in front, which stays', `session${JWT}`, 'session[REDACTED:jwt]'],
    ['two tokens joined by a dot', `${JWT}.${JWT}`, '[REDACTED:jwt].[REDACTED:jwt]'],
  ])('%s', (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves runs of "eyJ" that never take the token shape as they are', () => {
    expect(redactSecrets('eyJeyJeyJeyJ.eyJ.eyJeyJ x')).toBe('eyJeyJeyJeyJ.eyJ.eyJeyJ x');
  });
});
