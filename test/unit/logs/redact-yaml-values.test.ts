import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';

/**
 * A YAML mapping's plain value runs to the end of its line, spaces and all: a configuration file a build echoes
 * (`cat config.yml`, a Helm values dump) holds secrets written that way.
 */
describe('redactSecrets: a YAML value with spaces after a secret key', () => {
  it.each([
    ['a client secret of base64-ish words', 'client_secret: Zx81+Qw7Lp2 Mn5Bv8Cx+k3Yt', 'client_secret: [REDACTED:key-value-secret]'],
    ['an indented client secret', '    client_secret: Zx81+Qw7Lp2Mn5 Bv8Cx+k3Yt/abc', '    client_secret: [REDACTED:key-value-secret]'],
    ['an item of a sequence', '  - api_key: Qw7Lp2+Mn5Bv8Cx k3Yt+Zx81', '  - api_key: [REDACTED:key-value-secret]'],
    ['a password of words', 'password: correct horse battery staple', 'password: [REDACTED:key-value-secret]'],
    ['a value before a comment', 'client_secret: Zx81+Qw7Lp2 Mn5Bv8Cx+k3Yt  # rotated monthly', 'client_secret: [REDACTED:key-value-secret]  # rotated monthly'],
  ])('redacts the whole value: %s', (_label, line, expected) => {
    // Act
    const out = redactSecrets(line);

    // Assert
    expect(out).toBe(expected);
  });

  it.each([
    ['words after a token key', 'token: expected identifier, found punc'],
    ['a template', 'client_secret: ${{ secrets.CLIENT_SECRET }}'],
    ['a block scalar', 'private_key: |'],
    ['a key not at the start of its line', 'error: secret: not found in namespace default'],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });

  it('keeps a shell assignment before a command to its first word', () => {
    expect(redactSecrets('DB_PASSWORD=Wq7pLz2 ./migrate up')).toBe('DB_PASSWORD=[REDACTED:key-value-secret] ./migrate up');
  });
});

describe('redactSecrets: a client secret of words', () => {
  it.each([
    ['in a form body, + for each space', 'POST /oauth/token body: client_id=ci&client_secret=correct+horse+battery+staple&grant_type=client_credentials', 'POST /oauth/token body: client_id=ci&client_secret=[REDACTED:key-value-secret]&grant_type=client_credentials'],
    ['in JSON', '{"client_id":"ci","client_secret":"this is+my secret"}', '{"client_id":"ci","client_secret":"[REDACTED:key-value-secret]"}'],
  ])('redacts it %s', (_label, line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });

  it('keeps a placeholder', () => {
    expect(redactSecrets('client_secret=${CLIENT_SECRET} grant_type=client_credentials')).toBe('client_secret=${CLIENT_SECRET} grant_type=client_credentials');
  });
});
