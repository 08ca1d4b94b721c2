/**
 * A link from incident data, only if it is an http(s) URL. The URLs come from GitHub's signed payloads, which
 * ingest does not otherwise check, and a `javascript:` one would run in the dashboard's origin. The site's
 * Content-Security-Policy (`infra/constructs/dashboard-headers.ts`) blocks such a link too; this check does not
 * depend on every server sending it.
 */
export function webLink(url: string | null | undefined): string | null {
  return url && /^https?:\/\/[^\s]/i.test(url) ? url : null;
}
