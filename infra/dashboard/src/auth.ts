/**
 * Cognito hosted sign-in for the deployed dashboard: authorization code with PKCE (a browser cannot keep a client
 * secret). The ID token lives in sessionStorage only, so closing the tab signs out. Locally there is no `auth`.
 */
export interface AuthConfig {
  domain: string;
  clientId: string;
  redirectUri: string;
}

const TOKEN_KEY = 'guard.idToken';
const VERIFIER_KEY = 'guard.pkceVerifier';
/** The page (hash route) the reader was on when sent to sign in: the sign-in comes back to redirectUri only. */
const RETURN_KEY = 'guard.returnTo';
/** When the API last refused a token and the reader was sent to sign in again. */
const REFUSED_KEY = 'guard.refusedAt';
/** A refusal this soon after the last one is not an expiry that signing in cures: stop rather than loop. */
const REFUSED_AGAIN_MS = 5 * 60_000;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function expired(token: string): boolean {
  try {
    const payload = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return !payload.exp || payload.exp * 1000 < Date.now() + 30_000;
  } catch {
    return true;
  }
}

/** Redirects to the hosted sign-in page; resolves never (the page unloads). */
async function signIn(auth: AuthConfig): Promise<never> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem(VERIFIER_KEY, verifier);
  sessionStorage.setItem(RETURN_KEY, location.hash);
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: 'openid email',
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(verifier),
  }).toString();
  location.assign(url.toString());
  return new Promise<never>(() => {});
}

/** The ID token for the API's Cognito authorizer: from this session, from a sign-in redirect, or by signing in. */
export async function idToken(auth: AuthConfig): Promise<string> {
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored && !expired(stored)) return stored;
  const code = new URLSearchParams(location.search).get('code');
  const verifier = sessionStorage.getItem(VERIFIER_KEY);
  if (code && verifier) {
    const response = await fetch(new URL('/oauth2/token', auth.domain), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: auth.clientId, code, redirect_uri: auth.redirectUri, code_verifier: verifier }),
    });
    sessionStorage.removeItem(VERIFIER_KEY);
    const back = sessionStorage.getItem(RETURN_KEY) ?? '';
    sessionStorage.removeItem(RETURN_KEY);
    const before = location.hash;
    const route = /^#\/[\w/.-]*$/.test(back) ? back : before;
    history.replaceState(null, '', auth.redirectUri + route);
    // replaceState announces nothing: the router listens for hashchange.
    if (route !== before) dispatchEvent(new HashChangeEvent('hashchange'));
    if (response.ok) {
      const { id_token: token } = (await response.json()) as { id_token?: string };
      if (token) {
        sessionStorage.setItem(TOKEN_KEY, token);
        return token;
      }
    }
  }
  return signIn(auth);
}

/**
 * The API refused the ID token (401): it expired by the API's clock though not by this device's, or the pool or
 * its client changed under a redeploy. The token is forgotten and the reader sent to sign in again, back to the
 * same page; null, with nothing done but the forgetting, when that already happened moments ago (a refusal that
 * signing in does not cure would otherwise send the reader round the sign-in page for ever).
 */
export function signInAgain(auth: AuthConfig): Promise<never> | null {
  sessionStorage.removeItem(TOKEN_KEY);
  const last = Number(sessionStorage.getItem(REFUSED_KEY) ?? 0);
  if (Date.now() - last < REFUSED_AGAIN_MS) return null;
  sessionStorage.setItem(REFUSED_KEY, String(Date.now()));
  return signIn(auth);
}
