import { createPublicKey, generateKeyPairSync } from 'node:crypto';

/**
 * One RSA key pair per test process, in the format GitHub hands out for App keys (PKCS#1 PEM). Generated, never
 * checked in: a private key in the repository would trip every secret scanner, and rightly so.
 */
let pair: { privateKey: string; publicKey: ReturnType<typeof createPublicKey> } | undefined;

export function testAppKeys() {
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    pair = { privateKey, publicKey: createPublicKey(publicKey) };
  }
  return pair;
}

export const TEST_APP_ID = 1_048_576;
export const TEST_APP_SLUG = 'pipeline-guard';
