import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/core';
import { LruObject } from 'toad-cache';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUNDLE_ALIASES, PROJECT_ROOT } from '../../../infra/constructs/guard-function.js';
import { createGitHubClients } from '../../../shared/github/clients.js';
import * as noGraphql from '../../../shared/github/no-graphql.js';
import * as noLruCache from '../../../shared/github/no-lru-cache.js';
import type { GitHubPort } from '../../../shared/ports.js';
import { TEST_APP_ID, TEST_APP_SLUG, testAppKeys } from '../../support/app-keys.js';
import type { FakeGitHub } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

/**
 * The stand-ins the Lambda bundles give Octokit for what it builds and Pipeline Guard never uses: its GraphQL client
 * (shared/github/no-graphql.ts) and auth-app's default installation-token cache (shared/github/no-lru-cache.ts).
 * Tests run the packages themselves, so these check that nothing the project runs reaches what the stand-ins refuse.
 */
describe('the Octokit stand-ins the Lambda bundles are built with', () => {
  it('stand in for @octokit/graphql and toad-cache alone', () => {
    const standIns = Object.entries(BUNDLE_ALIASES).filter(([, to]) => to.endsWith('/no-graphql.ts') || to.endsWith('/no-lru-cache.ts'));
    expect(standIns).toEqual([
      ['@octokit/graphql', './shared/github/no-graphql.ts'],
      ['toad-cache', './shared/github/no-lru-cache.ts'],
    ]);
  });

  describe('GraphQL', () => {
    it('builds as @octokit/core builds the package’s client, and refuses every query', async () => {
      // @octokit/core's constructor: `this.graphql = withCustomRequest(this.request).defaults(requestDefaults)`.
      expect(typeof new Octokit().graphql.defaults).toBe('function');
      expect(typeof noGraphql.withCustomRequest().defaults).toBe('function');
      const graphql = noGraphql.withCustomRequest().defaults();
      await expect(graphql('query { viewer { login } }')).rejects.toThrow(noGraphql.GraphqlNotBundledError);
      await expect(graphql.defaults()({ query: '{}' })).rejects.toThrow(/not bundled/);
    });

    it('is called nowhere the functions reach: no source of theirs sends a GraphQL query or imports the client', () => {
      // Every module the Lambdas bundle lives under shared/ or functions/; the CLI and the local runtime run unbundled.
      const offenders: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (entry.name.endsWith('.ts') && !entry.name.endsWith('no-graphql.ts') && /\.graphql\b|@octokit\/graphql|\/graphql['"`]/.test(readFileSync(path, 'utf8'))) offenders.push(relative(PROJECT_ROOT, path));
        }
      };
      walk(join(PROJECT_ROOT, 'shared'));
      walk(join(PROJECT_ROOT, 'functions'));
      expect(offenders).toEqual([]);
    });
  });

  describe('the default installation-token cache', () => {
    it('builds as auth-app builds the package’s, has every method auth-app calls on a cache, and refuses each', () => {
      const cache = new noLruCache.Lru();
      const authApp = readFileSync(fileURLToPath(import.meta.resolve('@octokit/auth-app')), 'utf8');
      const called = [...new Set([...authApp.matchAll(/\bcache\.(\w+)\(/g)].map((call) => call[1] as string))];
      // Sanity: the reads and writes of its token cache are found.
      expect(called).toEqual(expect.arrayContaining(['get', 'set']));
      for (const method of called) expect(typeof (cache as unknown as Record<string, unknown>)[method], method).toBe('function');
      expect(() => cache.get()).toThrow(noLruCache.DefaultTokenCacheNotBundledError);
      expect(() => cache.set()).toThrow(/not bundled/);
    });

    describe("is never read or written by the App's flows (run on the package's cache, watched)", () => {
      const repo = { owner: 'octo', repo: 'app' };
      const INSTALLATION = 51234987;
      let fake: FakeGitHub;
      eachTestWithFakeGitHub((started) => {
        fake = started;
        fake.app = { id: TEST_APP_ID, slug: TEST_APP_SLUG, publicKey: testAppKeys().publicKey };
        fake.login = `${TEST_APP_SLUG}[bot]`;
        fake.runs.set(42, { status: 'completed', run_attempt: 1 });
        fake.repositoryInstallations.set('octo/app', INSTALLATION);
        fake.jobs.set('42/1', [{ id: 1, name: 'test', conclusion: 'failure' }]);
      }, { prefix: '/api/v3' });
      afterEach(() => vi.restoreAllMocks());

      it('finds the installation with the App JWT, then reads, re-runs and learns its login as the installation', async () => {
        // Prepare: every toad-cache LRU (auth-app's default cache is one) watched
        const uses = ['get', 'set', 'delete', 'clear'].map((method) => vi.spyOn(LruObject.prototype, method as 'get'));
        const clients = createGitHubClients({
          auth: { kind: 'app', appId: TEST_APP_ID, privateKey: testAppKeys().privateKey },
          client: { baseUrl: fake.baseUrl, retries: 1, retryBaseDelayMs: 1, writeIntervalMs: 0 },
        });

        // Act
        const installation = await clients.installationFor?.(repo);
        const client = clients.forInstallation(installation ?? null) as GitHubPort;
        await client.listFailedJobs(repo, 42, 1);
        await client.rerunFailedJobs(repo, 42);
        await client.botLogin();

        // Assert: the flows ran (a JWT lookup and a token exchange), and no default cache was asked or filled
        expect(installation).toBe(INSTALLATION);
        expect(fake.apiCalls()).toContain(`POST /api/v3/app/installations/${INSTALLATION}/access_tokens`);
        expect(uses.map((use) => use.mock.calls.length)).toEqual([0, 0, 0, 0]);
        // Sanity: the watch sees a use of the package's cache.
        new LruObject(1, 0).get('x');
        expect(uses[0]?.mock.calls.length).toBe(1);
      });
    });
  });
});
