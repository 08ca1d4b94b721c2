/**
 * A link from incident data, only if it is an http(s) URL. The URLs come from GitHub's signed payloads, which
 * ingest does not otherwise check, and a `javascript:` one would run in the dashboard's origin (the deployed site
 * sends no Content-Security-Policy).
 */
export function webLink(url: string | null | undefined): string | null {
  return url && /^https?:\/\/[^\s]/i.test(url) ? url : null;
}
