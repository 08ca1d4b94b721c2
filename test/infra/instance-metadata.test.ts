import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { esbuildOptionsFor, noInstanceMetadataRegion } from '../../infra/constructs/function-bundle.js';
import { FUNCTION_NAMES, bundledLikeSynth, functionBundle } from './support.js';

/**
 * The bundles carry no region lookup in the EC2 instance metadata service (`noInstanceMetadataRegion`,
 * infra/constructs/function-bundle.ts): Lambda's environment names the region, so the SDK never asks, and where it
 * would, the stand-in answers what the service's absence answers.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-imds-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const saved = { ...process.env };
afterEach(() => {
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_EXECUTION_ENV', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

interface Resolved {
  region: string;
  auto: string;
  pinned: string;
}

/** What a DynamoDB client without a region resolves, and the `auto` defaults mode for it and for another region. */
async function resolvedRegions(label: string, withPlugins: boolean): Promise<Resolved> {
  const source = [
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';`,
    `import { resolveDefaultsModeConfig } from '@smithy/core/config';`,
    `const answer = async (read) => { try { return await read(); } catch (error) { return 'error: ' + error.message; } };`,
    `export const region = await answer(() => new DynamoDBClient({}).config.region());`,
    `export const auto = await answer(() => resolveDefaultsModeConfig({ defaultsMode: 'auto' })());`,
    `export const pinned = await answer(() => resolveDefaultsModeConfig({ defaultsMode: 'auto', region: 'us-east-1' })());`,
  ].join('\n');
  const { region, auto, pinned } = (await bundledLikeSynth<Resolved>(outdir, label, source, withPlugins)).module;
  return { region, auto, pinned };
}

describe('the region in the bundles', () => {
  it("resolves as the SDK resolved with its instance metadata lookup bundled, in Lambda's environment and with no region anywhere", async () => {
    // No profile files: the region comes from the environment or nowhere.
    process.env.AWS_CONFIG_FILE = join(outdir, 'no-config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(outdir, 'no-credentials');
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs22.x';
    const lambda = await resolvedRegions('lambda-without', true);
    expect(lambda).toEqual(await resolvedRegions('lambda-with', false));
    expect(lambda).toEqual({ region: 'eu-west-1', auto: 'in-region', pinned: 'cross-region' });
    delete process.env.AWS_REGION;
    delete process.env.AWS_EXECUTION_ENV;
    const nowhere = await resolvedRegions('nowhere-without', true);
    // The lookup bundled, told there is no service to ask (as in Lambda), answers alike.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    expect(nowhere).toEqual(await resolvedRegions('nowhere-with', false));
    expect(nowhere).toEqual({ region: 'error: Region is missing', auto: 'error: Region is missing', pinned: 'standard' });
  });

  it('no function bundle, built as synth builds it, holds the instance metadata lookup', async () => {
    const carried: string[] = [];
    for (const name of FUNCTION_NAMES) {
      expect(esbuildOptionsFor(name, join(outdir, name, 'index.mjs')).plugins).toContain(noInstanceMetadataRegion);
      const { code } = await functionBundle(name);
      if (code.includes('169.254.169.254') || code.includes('/latest/meta-data/placement/region')) carried.push(name);
    }
    expect(carried).toEqual([]);
  });
});
