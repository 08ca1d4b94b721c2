import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The deployed dashboard's sign-in (infra/dashboard/src/auth.ts, api.ts) in a stand-in browser: sessionStorage,
 * location, history and fetch are stubs; the read API and Cognito answer through the stubbed fetch.
 */
const AUTH = { domain: 'https://guard-auth.auth.us-east-1.amazoncognito.com', clientId: 'client-1', redirectUri: 'https://dashboard.example/' };
const API = 'https://api.example/prod';

/** An ID token (unsigned: the dashboard reads only its expiry) valid for another hour. */
function token(name: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: name, exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
}

let storage: Map<string, string>;
let assigned: string[];
let replaced: string[];
let apiStatus: number;

function browser(hash: string, search = '') {
  storage = new Map();
  assigned = [];
  replaced = [];
  const location = {
    hash,
    search,
    assign: (url: string) => assigned.push(url),
  };
  vi.stubGlobal('location', location);
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  });
  vi.stubGlobal('history', {
    replaceState: (_state: unknown, _title: string, url: string) => {
      replaced.push(url);
      location.hash = new URL(url).hash;
      location.search = '';
    },
  });
  vi.stubGlobal('dispatchEvent', () => true);
  vi.stubGlobal('HashChangeEvent', class extends Event {});
  vi.stubGlobal('fetch', async (input: string | URL) => {
    const url = String(input);
    if (url === './config.json') return Response.json({ apiBase: API, auth: AUTH });
    if (url.endsWith('/oauth2/token')) return Response.json({ id_token: token('after-sign-in') });
    return apiStatus === 200 ? Response.json([]) : Response.json({ message: 'Unauthorized' }, { status: apiStatus });
  });
}

/** Through a variable: the project's type check has no DOM library, and the dashboard's own tsconfig checks these. */
const API_MODULE = '../../../infra/dashboard/src/api.js';

/** api.ts caches the site's config.json per page load: each test loads the modules afresh. */
async function api(): Promise<{ apiGet: (path: string) => Promise<unknown> }> {
  vi.resetModules();
  return import(API_MODULE);
}

describe('dashboard sign-in', () => {
  beforeEach(() => {
    apiStatus = 200;
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('signs in again when the API refuses a token this device still takes for valid, back to the same incident', async () => {
    // Prepare: a token the API no longer takes (its clock, or a redeployed pool), on an incident's page.
    browser('#/incidents/gh-1-2-1');
    storage.set('guard.idToken', token('refused'));
    apiStatus = 401;
    const { apiGet } = await api();

    // Act
    void apiGet('/incidents');
    await vi.waitFor(() => expect(assigned).toHaveLength(1));

    // Assert: to Cognito's sign-in, the refused token forgotten and the page remembered.
    expect(new URL(assigned[0] as string).origin + new URL(assigned[0] as string).pathname).toBe(`${AUTH.domain}/oauth2/authorize`);
    expect(storage.has('guard.idToken')).toBe(false);
    expect(storage.get('guard.returnTo')).toBe('#/incidents/gh-1-2-1');
  });

  it('comes back from the sign-in to the page it left', async () => {
    browser('', '?code=abc');
    storage.set('guard.pkceVerifier', 'verifier');
    storage.set('guard.returnTo', '#/incidents/gh-1-2-1');
    const { apiGet } = await api();

    await apiGet('/incidents');

    expect(replaced).toEqual([`${AUTH.redirectUri}#/incidents/gh-1-2-1`]);
  });

  it('stops and says so when the API refuses the token again right after signing in, instead of looping', async () => {
    browser('#/');
    storage.set('guard.idToken', token('refused'));
    storage.set('guard.refusedAt', String(Date.now() - 10_000));
    apiStatus = 401;
    const { apiGet } = await api();

    await expect(apiGet('/incidents')).rejects.toThrow(/refused the sign-in again right after signing in/);
    expect(assigned).toEqual([]);
  });
});
