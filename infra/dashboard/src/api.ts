import { type AuthConfig, idToken, signInAgain } from './auth.js';
import { showHidden } from './text.js';

/** `config.json` next to index.html: locally served by the runtime, in AWS written by the stack's deployment. */
interface SiteConfig {
  apiBase: string;
  auth: AuthConfig | null;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let config: Promise<SiteConfig> | null = null;

function siteConfig(): Promise<SiteConfig> {
  config ??= fetch('./config.json')
    .then((r) => (r.ok ? (r.json() as Promise<SiteConfig>) : { apiBase: '', auth: null }))
    .catch(() => ({ apiBase: '', auth: null }));
  return config;
}

/** GET from the read API; the response body and headers (the next-page cursor is a header). */
export async function apiGet<T>(path: string, query: Record<string, string | undefined> = {}): Promise<{ body: T; headers: Headers }> {
  const { apiBase, auth } = await siteConfig();
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));
  const url = `${apiBase.replace(/\/$/, '')}${path}${params.size ? `?${params}` : ''}`;
  const headers: Record<string, string> = auth ? { authorization: await idToken(auth) } : {};
  // A browser says only "Failed to fetch" (Chrome) or "NetworkError…" (Firefox): say which side did not answer.
  const response = await fetch(url, { headers }).catch((error: unknown) => {
    throw new ApiError(`the API did not answer (${error instanceof Error ? error.message : String(error)})`, 0);
  });
  // Every string the page shows comes through here: hidden characters become visible marks (see showHidden).
  const body = (await response
    .text()
    .then((text) => JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' ? showHidden(value) : value)))
    .catch(() => null)) as (T & { message?: string }) | null;
  if (response.status === 401 && auth) {
    const redirect = signInAgain(auth);
    if (redirect) return redirect;
    throw new ApiError('the API refused the sign-in again right after signing in (401): close this tab and sign in again; if it goes on, the dashboard stack\'s sign-in settings need a look', 401);
  }
  if (!response.ok) throw new ApiError(body?.message ?? `${response.status} ${response.statusText}`, response.status);
  return { body: body as T, headers: response.headers };
}
