import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../../support/growth.js';

/**
 * The `jwt` rule reads each base64url run once (attack-47 I3): a hostile line of "eyJ" without a dot redacts in time
 * linear in its length (the rule as first written, /eyJ[…]{8,}\.eyJ[…]{8,}\.[…]{8,}/, read on to the line's end from
 * every "eyJ": quadratic, seconds for 64 KB), and the tokens it finds are the ones that rule found.
 */

const HOSTILE_CHARS = 65_536;
/** Hostile lines of 8 to 64 KB: a quadratic reading is ~1 s at the largest, a linear one a few milliseconds. */
const HOSTILE_SIZES = [8_192, 16_384, 32_768, HOSTILE_CHARS];
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const hostileLine = (chars: number): string => `${'eyJ'.repeat(chars / 4)} ${JWT}`;

describe('jwt rule on hostile runs', () => {
  it('redacts a 64 KB line of "eyJ" without a dot, and a token after it, in time linear in the line', () => {
    const filler = 'eyJ'.repeat(HOSTILE_CHARS / 4);

    expect(redactSecrets(hostileLine(HOSTILE_CHARS))).toBe(`${filler} [REDACTED:jwt]`);
    expect(cpuGrowthExponent(HOSTILE_SIZES, hostileLine, redactSecrets)).toBeLessThan(LINEAR_EXPONENT_BOUND);
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
