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
    history.replaceState(null, '', auth.redirectUri + location.hash);
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
