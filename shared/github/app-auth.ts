/**
 * GitHub App authentication helpers: the App's credentials as configuration gives them, and the cache of
 * installation tokens that `@octokit/auth-app` consults before asking GitHub for a new one.
 */
import { createPrivateKey } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { createExpiringCache } from '../expiring-cache.js';

export interface GitHubAppCredentials {
  appId: number;
  /** PEM, PKCS#1 (what GitHub hands out) or PKCS#8. */
  privateKey: string;
}

/**
 * Accepts the private key as GitHub's .pem file content, or squeezed onto one line with literal `\n` (how keys
 * survive .env files and some secret UIs). Fails at start, naming the setting, when it is not an RSA private key,
 * rather than at the first request with a JWT-signing error.
 */
export function normalizePrivateKey(raw: string, setting = 'GITHUB_APP_PRIVATE_KEY'): string {
  const pem = raw.includes('\\n') && !raw.includes('\n') ? raw.replace(/\\n/g, '\n') : raw;
  const trimmed = `${pem.trim()}\n`;
  let type: string | undefined;
  try {
    type = createPrivateKey(trimmed).asymmetricKeyType;
  } catch {
    throw new ConfigError(`${setting} is not a PEM private key (paste the whole .pem file GitHub generated)`);
  }
  if (type !== 'rsa') throw new ConfigError(`${setting} must be an RSA key (GitHub App keys are RSA), got ${type ?? 'unknown'}`);
  return trimmed;
}

/** The cache interface `@octokit/auth-app` accepts through its `cache` option. */
export interface InstallationTokenCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** Tokens are dropped this long before GitHub's `expires_at`, so a step never starts a call with a dying token. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
/** When the cached value carries no readable expiry: GitHub installation tokens live one hour. */
const FALLBACK_LIFETIME_MS = 55 * 60_000;

/**
 * Installation tokens cached until shortly before they expire, shared by every installation's client in the
 * process (a warm Lambda reuses them across invocations). auth-app's own default cache keeps tokens for a fixed
 * 59 minutes from when it stored them; this one reads the expiry GitHub returned (the third `|`-separated field
 * of auth-app's cache value) and takes the clock as a dependency so expiry is testable.
 */
export function createInstallationTokenCache(options: { clock?: () => Date; maxEntries?: number } = {}): InstallationTokenCache {
  const clock = options.clock ?? (() => new Date());
  const maxEntries = options.maxEntries ?? 500;
  const tokens = createExpiringCache<string, string>({ maxEntries, ttlMs: FALLBACK_LIFETIME_MS, now: () => clock().getTime() });
  return {
    get: (key) => tokens.get(key),
    set(key, value) {
      const expiresAt = Date.parse(value.split('|')[2] ?? '');
      tokens.set(key, value, Number.isNaN(expiresAt) ? FALLBACK_LIFETIME_MS : expiresAt - EXPIRY_MARGIN_MS - clock().getTime());
    },
  };
}
