import { mkdtempSync, rmSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHA256_JS, esbuildOptionsFor, nativeSha256Only } from '../../infra/constructs/function-bundle.js';
import { FUNCTION_NAMES, bundledLikeSynth, functionBundle } from './support.js';

/** `@smithy/core`'s SHA-256 over Web Crypto, which falls back to `Sha256Js` (see the last test). */
const SHA256_WEB_CRYPTO = /(?:^|[\\/])node_modules[\\/]@smithy[\\/]core[\\/]dist-(?:es|cjs)[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256WebCrypto\.js$/;

/**
 * The bundles carry no SHA-256 in JavaScript (`nativeSha256Only`, infra/constructs/function-bundle.ts): the SDK's
 * `Sha256Node` hashes with node:crypto wherever it has SHA-256, so every signature is the one it was.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-sha256-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

interface Signed {
  digests: string[];
  authorization: string;
  pureJsFails: string;
}

/**
 * A DynamoDB client's hash (its `sha256`, what its requests are signed with) on a plain and a keyed input, a SigV4
 * signature of a fixed request made with it, and what making `Sha256Js` does, bundled with synth's options, with
 * its plugins or none.
 */
async function bundledSigning(label: string, withPlugins: boolean): Promise<Signed> {
  const source = [
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import { Sha256Js } from '@smithy/core/checksum';`,
    `import { SignatureV4 } from '@smithy/signature-v4';`,
    `const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };`,
    `const Hash = new DynamoDBClient({ region: 'eu-west-1', credentials }).config.sha256;`,
    `const hex = async (secret, data) => { const hash = new Hash(secret); hash.update(data); return Buffer.from(await hash.digest()).toString('hex'); };`,
    `export const digests = await Promise.all([hex(undefined, 'abc'), hex('key', 'The quick brown fox jumps over the lazy dog')]);`,
    `const signer = new SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: Hash });`,
    `const request = { method: 'POST', protocol: 'https:', hostname: 'dynamodb.eu-west-1.amazonaws.com', path: '/', query: {}, headers: { host: 'dynamodb.eu-west-1.amazonaws.com', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: '{"TableName":"incidents"}' };`,
    `export const authorization = (await signer.sign(request, { signingDate: new Date(Date.UTC(2026, 10, 29)) })).headers.authorization;`,
    `let made = 'made';`,
    `try { new Sha256Js().update('abc'); } catch (error) { made = error.message; }`,
    `export const pureJsFails = made;`,
  ].join('\n');
  return (await bundledLikeSynth<Signed>(outdir, label, source, withPlugins)).module;
}

describe('SHA-256 in the bundles', () => {
  it('signs as the SDK signed with its JavaScript fallback bundled, with node:crypto\'s digests', async () => {
    const native = await bundledSigning('native', true);
    const withFallback = await bundledSigning('with-fallback', false);
    expect({ ...native, pureJsFails: undefined }).toEqual({ ...withFallback, pureJsFails: undefined });
    expect(native.digests).toEqual([
      createHash('sha256').update('abc').digest('hex'),
      createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
    ]);
    expect(native.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261129\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    // The fallback, made anyway, says why instead of hashing.
    expect([native.pureJsFails, withFallback.pureJsFails]).toEqual(['node:crypto has no sha256 here, and this bundle has no SHA-256 in JavaScript', 'made']);
  });

  it('no function bundle, built as synth builds it, holds the JavaScript SHA-256', async () => {
    const carried: string[] = [];
    for (const name of FUNCTION_NAMES) {
      expect(esbuildOptionsFor(name, join(outdir, name, 'index.mjs')).plugins).toContain(nativeSha256Only);
      const { metafile } = await functionBundle(name);
      const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith('index.mjs'))?.[1];
      for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
        if (SHA256_JS.test(input) && bytesInOutput > 200) carried.push(`${name}: ${bytesInOutput}`);
        // The only maker of Sha256Js a Node.js bundle may hold is Sha256Node's fallback: Sha256WebCrypto makes one for
        // any input of 8 MB or more, and where crypto.subtle is missing, so the stand-in would throw there.
        if (SHA256_WEB_CRYPTO.test(input) && bytesInOutput > 0) carried.push(`${name}: Sha256WebCrypto ${bytesInOutput}`);
      }
    }
    expect(carried).toEqual([]);
  });
});
