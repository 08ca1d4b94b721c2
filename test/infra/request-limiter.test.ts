import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptionsFor } from '../../infra/constructs/function-bundle.js';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';

/**
 * The bundles run Octokit's retry and throttling plugins on shared/github/request-limiter.ts instead of Bottleneck
 * (BUNDLE_ALIASES). The project's GitHub access (`createGitHubRest`, with both plugins and the write pacers) bundled
 * as synth bundles it, once so and once with Bottleneck, answers the same requests the same way: what each call
 * returned or threw, how many requests reached GitHub, and how many were in flight at most. That the function
 * bundles synth writes hold no Bottleneck is checked in test/infra/bundling.test.ts.
 */
const outdir = mkdtempSync(join(tmpdir(), 'guard-request-limiter-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const BOTTLENECK_INPUT = /(?:^|[\\/])node_modules[\\/]bottleneck[\\/]/;

const SCENARIOS = `
import { createGitHubRest } from ${JSON.stringify(join(PROJECT_ROOT, 'shared/github/rest.ts'))};

const json = (status, body, headers = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const SECONDARY = { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' };

/** Runs one call on a client whose fetch answers the i-th request with answers[i] (the last one after that). */
async function run(route, params, answers) {
  let requests = 0;
  const fetch = async () => answers[Math.min(requests++, answers.length - 1)]();
  const rest = createGitHubRest({ token: 'ghp_' + 'x'.repeat(36), fetch, retries: 3, retryBaseDelayMs: 1, writeIntervalMs: 0, maxRateLimitWaitSeconds: 60 });
  try {
    const response = await rest.call('the call', route, params);
    return { requests, status: response.status };
  } catch (error) {
    return { requests, error: error.name, message: error.message };
  }
}

/**
 * Fourteen reads at once. Each is answered once ten have been in flight and the requests already due since have had
 * their turn (a timer behind theirs), or after a second whatever the count: so a limit of ten lets exactly ten in
 * before the first answer, and none lets in all fourteen.
 */
async function atOnce() {
  let inFlight = 0;
  let most = 0;
  let open;
  const opened = new Promise((resolve) => { open = resolve; setTimeout(resolve, 1000); });
  const fetch = async () => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    if (inFlight === 10) setTimeout(open, 100);
    await opened;
    inFlight -= 1;
    return json(200, { ok: true });
  };
  const rest = createGitHubRest({ token: 'ghp_' + 'x'.repeat(36), fetch, retries: 0, writeIntervalMs: 0 });
  const statuses = await Promise.all(Array.from({ length: 14 }, (_, i) => rest.call('a read', 'GET /repos/{owner}/{repo}/issues/{n}', { owner: 'o', repo: 'r', n: i }).then((r) => r.status)));
  return { most, statuses };
}

const read = ['GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' }];
const write = ['POST /repos/{owner}/{repo}/issues/{n}/labels', { owner: 'o', repo: 'r', n: 1, labels: ['x'] }];
export const results = {
  fiveHundredOnce: await run(...read, [() => json(502, { message: 'bad gateway' }), () => json(200, { id: 1 })]),
  fiveHundredAlways: await run(...read, [() => json(502, { message: 'bad gateway' })]),
  secondaryOnce: await run(...write, [() => json(403, SECONDARY, { 'retry-after': '0' }), () => json(200, [])]),
  secondaryAlways: await run(...write, [() => json(403, SECONDARY, { 'retry-after': '0' })]),
  primaryPast: await run(...read, [() => json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }), () => json(200, {})]),
  primaryTooLong: await run(...read, [() => json(429, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) })]),
  notFound: await run(...read, [() => json(404, { message: 'Not Found' })]),
  network: await run(...read, [() => { throw new TypeError('fetch failed'); }]),
  atOnce: await atOnce(),
};
`;

/** The scenarios above bundled with synth's options (remediate's), with the stand-in or with Bottleneck itself. */
async function bundledScenarios(label: string, withStandIn: boolean): Promise<{ results: Record<string, unknown>; bottleneckBytes: number }> {
  const entry = join(outdir, `${label}.ts`);
  writeFileSync(entry, SCENARIOS);
  const outfile = join(outdir, `${label}.mjs`);
  const options = esbuildOptionsFor('remediate', outfile);
  const alias = Object.fromEntries(Object.entries(options.alias).filter(([from]) => withStandIn || from !== 'bottleneck/light.js'));
  const result = await build({ ...options, entryPoints: [entry], nodePaths: [join(PROJECT_ROOT, 'node_modules')], alias, sourcemap: false, metafile: true, logLevel: 'error' });
  const inputs = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith(`${label}.mjs`))?.[1].inputs ?? {};
  const bottleneckBytes = Object.entries(inputs)
    .filter(([input]) => BOTTLENECK_INPUT.test(input))
    .reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
  const module = (await import(pathToFileURL(outfile).href)) as { results: Record<string, unknown> };
  return { results: module.results, bottleneckBytes };
}

describe('Octokit on the request limiter in the bundles', () => {
  it('retries, waits out rate limits and limits concurrency as it did on Bottleneck', async () => {
    const standIn = await bundledScenarios('stand-in', true);
    const bottleneck = await bundledScenarios('bottleneck', false);
    expect(standIn.bottleneckBytes).toBe(0);
    expect(bottleneck.bottleneckBytes).toBeGreaterThan(10_000);
    expect(standIn.results).toEqual(bottleneck.results);
    // What they agree on: each scenario took the path it was written for.
    const requests = Object.fromEntries(Object.entries(standIn.results).map(([name, result]) => [name, (result as { requests?: number }).requests]));
    expect(requests).toEqual({ fiveHundredOnce: 2, fiveHundredAlways: 4, secondaryOnce: 2, secondaryAlways: 4, primaryPast: 2, primaryTooLong: 1, notFound: 1, network: 4, atOnce: undefined });
    expect(standIn.results.atOnce).toEqual({ most: 10, statuses: Array.from({ length: 14 }, () => 200) });
  });
});
