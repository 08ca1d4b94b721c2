import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';

// Built from parts so the repository itself does not carry strings that look like live credentials.
const BODY = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2dF4hJ6k';
const GHP = `ghp_${BODY}`;
const AKIA = `AKIA${'Q'.repeat(12)}7ABC`;

/** `text` in full-width forms (U+FF01–U+FF5E), as some terminals and fonts print ASCII. */
const fullWidth = (text: string): string => [...text].map((char) => String.fromCodePoint(char.codePointAt(0)! + 0xfee0)).join('');
/** `text` in mathematical bold letters and digits (outside the BMP: two UTF-16 units each). */
const mathBold = (text: string): string =>
  [...text]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (code >= 97 && code <= 122) return String.fromCodePoint(0x1d41a + code - 97);
      if (code >= 65 && code <= 90) return String.fromCodePoint(0x1d400 + code - 65);
      if (code >= 48 && code <= 57) return String.fromCodePoint(0x1d7ce + code - 48);
      return char;
    })
    .join('');
const hex = (text: string): string => Buffer.from(text).toString('hex');

describe('redactSecrets: tokens in look-alike characters', () => {
  it.each([
    ['full-width', `token ${fullWidth(GHP)} set`, fullWidth(BODY), 'github-token'],
    ['a full-width prefix', `token ${fullWidth('ghp_')}${BODY} set`, BODY, 'github-token'],
    ['a Cyrillic h in the prefix', `token g\u04bbp_${BODY} set`, BODY, 'github-token'],
    ['a Cyrillic A in an AWS key id', `key=\u0410KIA${'Q'.repeat(12)}7ABC`, `KIA${'Q'.repeat(12)}7ABC`, 'aws-access-key-id'],
    ['a Greek Alpha and Iota in an AWS key id', `key=\u0391K\u0399A${'Q'.repeat(12)}7ABC`, `${'Q'.repeat(12)}7ABC`, 'aws-access-key-id'],
    ['Cyrillic letters in the body', `export GH_TOKEN=ghp_${BODY.replace(/a/g, '\u0430').replace(/e/g, '\u0435')}`, 'B3dE5gH7jK9mN1pQ3sT5vW7yZ9', 'github-token'],
    ['mathematical bold', `token ${mathBold(GHP)} set`, mathBold(BODY.slice(0, 12)), 'github-token'],
  ])('redacts a token in %s', (_label, line, secret, kind) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
  });

  it('keeps the text around a look-alike token as it was', () => {
    expect(redactSecrets(`Ошибка: токен g\u04bbp_${BODY} отклонён`)).toBe('Ошибка: токен [REDACTED:github-token] отклонён');
  });

  it.each([
    ['Russian', 'Ошибка сборки: не найден файл конфигурации АКТИВНЫЙ_ПРОФИЛЬ_ТЕСТОВОЙ_СРЕДЫ_ОКРУЖЕНИЯ'],
    ['Greek', 'Σφάλμα: η δοκιμή ΑΚΙΑ απέτυχε μετά από 3 προσπάθειες'],
    ['full-width punctuation in Japanese', 'ビルドに失敗しました（終了コード：１）'],
    ['Cyrillic capitals that fold to a key-like word', 'СТАТУС: АКТИВЕН, КОД ВОЗВРАТА 0'],
  ])('keeps %s text', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});

describe('redactSecrets: tokens written in hex', () => {
  it('redacts a token printed as hex (xxd -p, od, a hex dump of a variable)', () => {
    expect(redactSecrets(`echo $GH_TOKEN | xxd -p\n${hex(GHP)}`)).toBe('echo $GH_TOKEN | xxd -p\n[REDACTED:hex-secret]');
    expect(redactSecrets(`secret=0x${hex(`ci:${AKIA}`).toUpperCase()}`)).toBe('secret=[REDACTED:hex-secret]');
  });

  it('redacts a token hex-encoded and wrapped at 60 columns, as xxd -p prints it', () => {
    // Prepare
    const encoded = hex(`token=${GHP}\n`);
    const lines = encoded.match(/.{1,60}/g)!;

    // Act
    const out = redactSecrets(lines.join('\n')).split('\n');

    // Assert
    expect(out).toEqual(lines.map(() => '[REDACTED:hex-secret]'));
  });

  it.each([
    ['a commit', 'HEAD is now at 8c1f2e7d9a0b3c4d5e6f708192a3b4c5d6e7f809 fix: tokenizer'],
    ['a sha256 digest', 'sha256:3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a'],
    ['hex of ordinary text', `payload ${hex('the build finished with two warnings')}`],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
