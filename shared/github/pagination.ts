/**
 * GitHub paginates with a `Link` header. Only the *query* of the `rel="next"` URL is taken and re-applied to the
 * same route on the configured base URL: the token is then never sent to a host named by a response header, and
 * GHES installs whose links carry a different hostname than the one we were configured with still paginate.
 */

/** The query parameters of the `rel="next"` link (e.g. `{ per_page: '100', page: '3' }`), or null on the last page. */
export function nextPageQuery(link: string | undefined): Record<string, string> | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (!match?.[1] || match[2]?.split(/\s+/).includes('next') !== true) continue;
    let url: URL;
    try {
      url = new URL(match[1], 'https://api.github.com');
    } catch {
      return null;
    }
    return Object.fromEntries(url.searchParams);
  }
  return null;
}
