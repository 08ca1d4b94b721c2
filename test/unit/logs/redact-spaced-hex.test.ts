import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/logs/redact.js';
import { seededBytes } from '../../support/random.js';

const bytes = seededBytes(0x5eed4e);
/** `length` random bytes in hex, `groupBytes` bytes to a group, groups separated by `separator`. */
function spacedHex(length: number, groupBytes: number, separator = ' '): string {
  const hex = bytes(length).toString('hex');
  return (hex.match(new RegExp(`.{1,${groupBytes * 2}}`, 'g')) ?? []).join(separator);
}

describe('redactSecrets: hex with spaces between byte groups after a secret key', () => {
  it.each([
    ['bytes one by one (od -An -tx1)', 'ENCRYPTION_KEY=', spacedHex(32, 1)],
    ['two bytes to a group (xxd)', 'master_key: ', spacedHex(32, 2)],
    ['four bytes to a group (od -tx4)', 'client_secret = ', spacedHex(48, 4)],
    ['an AES-128 key of 16 bytes', 'aes encryption_key: ', spacedHex(16, 1)],
    ['upper case', 'SIGNING_KEY=', spacedHex(32, 1).toUpperCase()],
    ['an odd last group', 'secret_key: ', spacedHex(33, 2)],
    ['a password key', 'db_password=', spacedHex(32, 2)],
  ])('redacts %s', (_label, key, hex) => {
    // Act
    const out = redactSecrets(`${key}${hex} (from vault)`);

    // Assert
    expect(out).toBe(`${key}[REDACTED:key-value-secret] (from vault)`);
  });

  it('keeps the quotes around a quoted value', () => {
    // Prepare
    const line = `{"api_key": "${spacedHex(32, 1)}", "region": "eu-west-1"}`;

    // Act / Assert
    expect(redactSecrets(line)).toBe('{"api_key": "[REDACTED:key-value-secret]", "region": "eu-west-1"}');
  });

  it.each([
    ['a few bytes', `token: ${spacedHex(4, 1)}`],
    ['a digest after a key that names no secret', `sha256: ${spacedHex(32, 1)}`],
    ['a hexdump line', `00000010  ${spacedHex(16, 1)}  |................|`],
    ['hex of mixed case', `secret_key: de AD be EF de AD be EF de AD be EF de AD be EF`],
  ])('keeps %s', (_label, line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
