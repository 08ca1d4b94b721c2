import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/index.js';
import { marksToken, tokenStart } from '../../../shared/logs/token-start.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, repeatedTo } from '../../support/growth.js';
import { seededRandom } from '../../support/random.js';

/**
 * Part of a token (attack-49 G): a token a line break cut in two, and a token whose tail a CI masked. Both rules know
 * a token by the start of its format, read off the format's expression (`tokenStart`).
 */
const next = seededRandom(0x49c0de);
const random = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** An AWS key id's body: base32. One holding a 0, 1, 8 or 9 is no key's, and after a start alone it is left (attack-49 G). */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const TOKENS: ReadonlyArray<readonly [string, string, number]> = [
  ['github-token', `ghp_${random(ALNUM, 36)}`, 4],
  ['npm-token', `npm_${random(ALNUM, 36)}`, 4],
  ['gitlab-token', `glpat-${random(ALNUM, 20)}`, 6],
  ['slack-token', `xoxb-${random('0123456789', 12)}-${random(ALNUM, 24)}`, 5],
  ['aws-access-key-id', `AKIA${random(BASE32, 16)}`, 4],
];

describe('tokenStart: the fixed start of a format', () => {
  it.each([
    [String.raw`\bgh[pousr]_[A-Za-z0-9]{30,255}\b`, { prefix: 'gh[pousr]_', body: '[A-Za-z0-9]', minLength: 4, firstChars: 'g' }],
    [String.raw`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`, { prefix: '(?:AKIA|ASIA)', body: '[A-Z0-9]', minLength: 4, firstChars: 'AA' }],
    [String.raw`\bya29\.[0-9A-Za-z_-]{20,}`, { prefix: String.raw`ya29\.`, body: '[0-9A-Za-z_-]', minLength: 5, firstChars: 'y' }],
    // An item a quantifier follows ends the start before it.
    [String.raw`\bsk-ant-(?:api\d\d-|admin\d\d-)?[A-Za-z0-9_-]{32,}`, { prefix: 'sk-ant-', body: null, minLength: 7, firstChars: 's' }],
    [String.raw`\bFLWSECK(?:_TEST)?-[a-h0-9]{32}-X\b`, { prefix: 'FLWSECK', body: null, minLength: 7, firstChars: 'F' }],
  ])('%s', (source, expected) => {
    expect(tokenStart(source)).toEqual(expected);
  });

  it('reads the first characters of a group\'s alternatives and of a small class', () => {
    expect(tokenStart(String.raw`\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}`)?.firstChars).toBe('srp');
    expect(tokenStart(String.raw`\b[MNO][A-Za-z\d_-]{23,27}\.`)?.firstChars).toBe('MNO');
    expect(tokenStart(String.raw`\b1\/\/0[A-Za-z0-9_-]{40,}`)?.firstChars).toBe('1');
  });

  it.each([
    ['a class first', String.raw`\b[0-9a-f]{32}-us\d{1,2}\b`],
    ['a key kept in front', String.raw`\b(AccountKey=)[A-Za-z0-9+/=]{20,}`],
    ['no leading \\b', 'eyJ[A-Za-z0-9_-]{8,}'],
  ])('has none: %s', (_, source) => {
    expect(tokenStart(source)).toBeNull();
  });

  it.each([
    ['SK', String.raw`\bSK[0-9a-f]{32}\b`],
    ['EAA', String.raw`\bEAA[A-Za-z0-9]{90,}`],
    ['pat', String.raw`\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b`],
    ['[MNO]', String.raw`\b[MNO][A-Za-z\d_-]{23,27}\.`],
  ])('a start that begins ordinary words too does not mark a token: %s', (_, source) => {
    const start = tokenStart(source);
    expect(start === null || !marksToken(start)).toBe(true);
  });
});

describe('a token cut in two by a line break', () => {
  for (const [id, token, prefixLength] of TOKENS) {
    it(`${id}: both halves are replaced wherever the break falls, the text around kept`, () => {
      for (let at = 1; at < token.length; at++) {
        const out = redactSecrets(`+ echo ${token.slice(0, at)}\n${token.slice(at)} > /tmp/t`);
        const [first, second] = out.split('\n');
        // After a first piece that is a whole token by itself, the next line's word may be a word (`Done`): it is taken
        // when it reads as generated (the row below). A piece of three characters or fewer tells nothing.
        const firstWhole = redactSecrets(token.slice(0, at)) !== token.slice(0, at);
        if (!firstWhole && token.length - Math.max(at, prefixLength) > 3) expect(out, `break after ${at}`).not.toContain(token.slice(Math.max(at, prefixLength)));
        if (at - prefixLength > 3) expect(out, `break after ${at}`).not.toContain(token.slice(prefixLength, at));
        expect(first?.startsWith('+ echo '), `break after ${at}`).toBe(true);
        expect(second?.endsWith(' > /tmp/t'), `break after ${at}`).toBe(true);
      }
    });
  }

  it('takes the next line\'s word after a whole token when it reads as generated, not a word', () => {
    const token = 'ghp_R8kz3Qm1Lx7Vt2Wn9Pb4Hc6Jd0Fs5Gy8EaUo';
    expect(redactSecrets(`${token.slice(0, 34)}\n${token.slice(34)} ok`)).toBe('[REDACTED:github-token]\n[REDACTED:github-token] ok');
    expect(redactSecrets(`${token.slice(0, 34)}\nDoneBuilding ok`)).toBe('[REDACTED:github-token]\nDoneBuilding ok');
  });

  it('keeps the prefix both lines share (a timestamp, a service name) and the line break', () => {
    const [, token] = TOKENS[0] as readonly [string, string, number];
    const text = `web-1  | 2026-11-27 03:11:05 login ${token.slice(0, 20)}\nweb-1  | 2026-11-27 03:11:06 ${token.slice(20)}`;
    expect(redactSecrets(text)).toBe('web-1  | 2026-11-27 03:11:05 login [REDACTED:github-token]\nweb-1  | 2026-11-27 03:11:06 [REDACTED:github-token]');
  });

  it('reads a token over three lines, its middle line whole', () => {
    const [, token] = TOKENS[1] as readonly [string, string, number];
    expect(redactSecrets(`${token.slice(0, 10)}\n${token.slice(10, 30)}\n${token.slice(30)} ok`)).toBe('[REDACTED:npm-token]\n[REDACTED:npm-token]\n[REDACTED:npm-token] ok');
  });
});

describe('a token whose tail a CI masked', () => {
  it.each(TOKENS.map(([id, token, prefixLength]) => [id, token, prefixLength] as const))('%s: the visible part goes, the mask stays', (id, token, prefixLength) => {
    expect(redactSecrets(`using ${token.slice(0, prefixLength + 6)}***`)).toBe(`using [REDACTED:${id}]***`);
  });

  it('tries a later start when the first one is not a token (`key-` before a GitHub token)', () => {
    const [, token] = TOKENS[0] as readonly [string, string, number];
    expect(redactSecrets(`id=key-zz-${token.slice(0, 12)}***`)).toBe('id=key-zz-[REDACTED:github-token]***');
  });

  it('reads each mask back to the one before it only', () => {
    expect(redactSecrets('ghp_***ab***')).toBe('ghp_***ab***');
  });
});

describe('the cost of reading for parts of tokens grows with the text, no faster', () => {
  // Each shape makes one of the two readers work at every line or mask: a word and a token start at each line's end,
  // lines a token's body fills (a chain of wrapped lines), masks after token starts, starts bundled before a mask.
  const SIZES = [32_768, 65_536, 131_072, 262_144];
  it.each([
    ['token starts ending every line', 'x ghp_a\nghp_a\n'],
    ['lines a token body fills', `ghp_${'a1B2'.repeat(19)}\n`],
    ['a token start ending every line, the next line indented', `ghp_${'a'.repeat(20)}\n  at x\n`],
    ['masks after token starts', 'ghp_ab***'],
    ['token starts bundled before masks', `${'github_pat_'.repeat(40)}***`],
    ['masks after a long body', `ghp_${'a'.repeat(600)}***`],
  ])('%s', (_, unit) => {
    expect(cpuGrowthExponent(SIZES, repeatedTo(unit), (text) => redactSecrets(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  }, 60_000);
});
