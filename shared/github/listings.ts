/**
 * GitHub's listings read page by page over one identity's REST access (rest.ts): the run reads, comments and
 * collaborators use them; a function that lists nothing (remediate) builds none, so its bundle leaves them out.
 */
import type * as z from '../zod.js';
import type { BeforePage } from '../ports.js';
import { nextPageQuery } from './pagination.js';
import { type GitHubRest, parseBody } from './rest.js';

export interface GitHubListings {
  /** Pages of a listing, parsed, lazily: callers that find what they need stop fetching. */
  pages<T>(what: string, route: string, params: Record<string, unknown>, schema: z.ZodMiniType<T>, maxPages: number, beforePage?: BeforePage): AsyncGenerator<T, void, undefined>;
  /** Page `page` of a listing (100 a page), and whether its `Link` header names a next one. */
  onePage<T>(what: string, route: string, params: Record<string, unknown>, schema: z.ZodMiniType<T[]>, page: number): Promise<{ items: T[]; more: boolean }>;
  /** At most `limit` items of a listing, and whether that was all of it (fewer than `limit` came back). */
  firstItems<T>(what: string, route: string, params: Record<string, unknown>, schema: z.ZodMiniType<T[]>, limit: number, beforePage?: BeforePage): Promise<{ items: T[]; complete: boolean }>;
}

export function listingsOf({ call }: Pick<GitHubRest, 'call'>): GitHubListings {
  async function* pages<T>(
    what: string,
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodMiniType<T>,
    maxPages: number,
    beforePage?: BeforePage,
  ): AsyncGenerator<T, void, undefined> {
    let query: Record<string, string> = {};
    for (let page = 1; page <= maxPages; page += 1) {
      beforePage?.();
      const response = await call(what, route, { ...params, per_page: 100, ...query });
      yield parseBody(schema, response, what);
      const next = nextPageQuery(response.headers.link);
      if (!next) return;
      query = next;
    }
  }

  async function onePage<T>(what: string, route: string, params: Record<string, unknown>, schema: z.ZodMiniType<T[]>, page: number): Promise<{ items: T[]; more: boolean }> {
    const response = await call(what, route, { ...params, per_page: 100, page });
    return { items: parseBody(schema, response, what), more: nextPageQuery(response.headers.link) !== null };
  }

  async function firstItems<T>(
    what: string,
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodMiniType<T[]>,
    limit: number,
    beforePage?: BeforePage,
  ): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    for await (const page of pages(what, route, params, schema, Math.ceil(limit / 100), beforePage)) items.push(...page);
    return { items: items.slice(0, limit), complete: items.length < limit };
  }

  return { pages, onePage, firstItems };
}
