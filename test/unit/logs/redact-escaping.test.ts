import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';

/**
 * A secret inside a quoted string, inside JSON logged as a string (a request body in a structured log line), one or
 * more levels deep: redaction replaces the whole value and nothing around it, so every level still parses and no
 * backslash is left to escape the marker or the quote after it.
 */
const parsesAsJson = (text: string): unknown => JSON.parse(text);

/** `inner` as a JSON string field of an outer JSON log line. */
const logged = (inner: unknown): string => JSON.stringify({ level: 'error', msg: 'request failed', body: JSON.stringify(inner) });

/** Every word of `secret` longer than two characters: none may be left in the redacted text. */
const partsOf = (secret: string): string[] => secret.split(/[\s"\\]+/).filter((part) => part.length > 2);

describe('redactSecrets keeps escaped JSON well-formed', () => {
  it.each([
    ['a password with spaces', 'correct horse battery'],
    ['a password with a quote', 'ab"cd efgh'],
    ['a password ending in a backslash', 'Wq7pLz2x\\'],
    ['a password with a backslash and a quote', 'Wq\\"7p Lz2'],
    ['a password of three short words', 'my pw is'],
  ])('JSON inside a JSON string: %s', (_label, password) => {
    // Prepare
    const line = logged({ user: 'deploy', password, retry: true });

    // Act
    const out = redactSecrets(line);

    // Assert
    const outer = parsesAsJson(out) as { body: string };
    expect(parsesAsJson(outer.body)).toEqual({ user: 'deploy', password: '[REDACTED:key-value-secret]', retry: true });
    for (const part of partsOf(password)) expect(out).not.toContain(part);
  });

  it('JSON inside a JSON string inside a JSON string', () => {
    // Prepare
    const password = 'hunter2 two "three"';
    const line = JSON.stringify({ event: 'proxy', request: JSON.stringify({ body: JSON.stringify({ password, keep: 'me' }) }) });

    // Act
    const out = redactSecrets(line);

    // Assert
    const request = parsesAsJson((parsesAsJson(out) as { request: string }).request) as { body: string };
    expect(parsesAsJson(request.body)).toEqual({ password: '[REDACTED:key-value-secret]', keep: 'me' });
    for (const part of partsOf(password)) expect(out).not.toContain(part);
  });

  it.each([
    ['with spaces', 'abcd efgh ijkl'],
    ['with an escaped quote', 'ab"cd ef'],
    ['longer than 200 characters with a backslash at the 200th', `${'a'.repeat(199)}\\q${'z'.repeat(60)}`],
  ])('plain JSON keeps its quotes: a password %s', (_label, password) => {
    // Act
    const out = redactSecrets(JSON.stringify({ password, user: 'deploy' }));

    // Assert
    expect(parsesAsJson(out)).toEqual({ password: '[REDACTED:key-value-secret]', user: 'deploy' });
  });

  it('a quoted flag value inside a JSON string keeps the string well-formed', () => {
    // Prepare
    const line = JSON.stringify({ cmd: 'mysqladmin --password "Wq7p Lz2x" status', code: 1 });

    // Act
    const out = redactSecrets(line);

    // Assert
    expect(parsesAsJson(out)).toEqual({ cmd: 'mysqladmin --password "[REDACTED:cli-password-flag]" status', code: 1 });
  });
});

describe('redactSecrets reads a quoted value that starts with or holds an escaped quote to its real closing quote (review of session 32)', () => {
  it.each([
    ['a password that starts with an escaped quote', 'password', '"quoted" Wq7pLz2xK9mN'],
    ['a password that is an escaped quote and a word', 'password', '"Wq7pLz2xK9mN'],
    ['a secret with an escaped quote after two characters', 'api_secret', 'ab"Wq7pLz2xK9mNRt5Yu8'],
    ['a secret that starts with an escaped quote', 'api_secret', '"Wq7pLz2xK9mNRt5Yu8" tail'],
    ['a token with an escaped quote after one character', 'token', 'x"Wq7pLz2xK9mNRt5Yu8'],
  ])('plain JSON: %s', (_label, key, value) => {
    // Act
    const out = redactSecrets(JSON.stringify({ [key]: value, user: 'deploy' }));

    // Assert
    expect(parsesAsJson(out)).toEqual({ [key]: '[REDACTED:key-value-secret]', user: 'deploy' });
    for (const part of partsOf(value)) expect(out).not.toContain(part);
  });

  it.each([
    ['password', '"quoted" Wq7pLz2xK9mN'],
    ['api_secret', 'ab"Wq7pLz2xK9mNRt5Yu8'],
  ])('JSON inside a JSON string: %s', (key, value) => {
    // Prepare
    const line = logged({ [key]: value, retry: true });

    // Act
    const out = redactSecrets(line);

    // Assert
    const outer = parsesAsJson(out) as { body: string };
    expect(parsesAsJson(outer.body)).toEqual({ [key]: '[REDACTED:key-value-secret]', retry: true });
    for (const part of partsOf(value)) expect(out).not.toContain(part);
  });

  it('a shell-quoted value that holds an escaped quote', () => {
    // Act
    const out = redactSecrets('export API_SECRET="ab\\"Wq7pLz2xK9mNRt5Yu8"');

    // Assert
    expect(out).toBe('export API_SECRET="[REDACTED:key-value-secret]"');
  });

  it('control: a value that is a short word in escaped quotes is kept', () => {
    // Act
    const out = redactSecrets(JSON.stringify({ api_secret: '"none"', user: 'deploy' }));

    // Assert
    expect(out).toBe(JSON.stringify({ api_secret: '"none"', user: 'deploy' }));
  });
});
