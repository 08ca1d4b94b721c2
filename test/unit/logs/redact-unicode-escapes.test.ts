import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';
import { seededRandom } from '../../support/random.js';

const next = seededRandom(0x0075_0073);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (length: number): string => Array.from({ length }, () => ALNUM[Math.floor(next() * ALNUM.length)]).join('');
/** Every character of `text` as a JSON `\uXXXX` escape, as some serialisers write non-ASCII-safe output. */
const escaped = (text: string): string => [...text].map((char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`).join('');

const TOKEN = `ghp_${random(36)}`;

describe('redactSecrets: text written with JSON \\uXXXX escapes', () => {
  it.each([
    ['a key with an escaped letter', '{"\\u0070assword":"Wq7pLz2xK9"}', '{"\\u0070assword":"[REDACTED:key-value-secret]"}'],
    ['a key escaped whole', `{"${escaped('password')}":"hunter22","user":"ci"}`, `{"${escaped('password')}":"[REDACTED:key-value-secret]","user":"ci"}`],
    ['a secret escaped whole', `{"api_secret":"${escaped(random(24))}"}`, '{"api_secret":"[REDACTED:key-value-secret]"}'],
    ['a token with an escaped first letter', `{"msg":"pushing with \\u0067${TOKEN.slice(1)}"}`, '{"msg":"pushing with [REDACTED:github-token]"}'],
    ['a token escaped whole', `{"msg":"pushing with ${escaped(TOKEN)} now"}`, '{"msg":"pushing with [REDACTED:github-token] now"}'],
    ['a key escaped in JSON inside a JSON string', '{"body":"{\\"\\\\u0070assword\\":\\"hunter22\\"}"}', '{"body":"{\\"\\\\u0070assword\\":\\"[REDACTED:key-value-secret]\\"}"}'],
    ['a password whose first letter is escaped', '"password":"\\u0073ecret-Wq7pLz2"', '"password":"[REDACTED:key-value-secret]"'],
  ])('redacts %s', (_label, line, expected) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).toBe(expected);
  });

  it.each([
    ['accented text and a dash', '{"msg":"caf\\u00e9 \\u2014 build ok"}'],
    ['an escaped quote before a word', '{"msg":"say \\u0022hello\\u0022 to the build"}'],
    ['a Windows path', '{"path":"C:\\\\users\\\\u0041dmin\\\\build"}'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
