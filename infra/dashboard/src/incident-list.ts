import type { Incident } from './types.js';

/**
 * What "older incidents" loaded for one query (`key`): every incident seen past the live first page, and where the
 * next page starts (null: where the first page's says; '' after the last page).
 */
export interface OlderPages {
  key: string;
  items: Incident[];
  cursor: string | null;
}

export const noOlderPages = (key: string): OlderPages => ({ key, items: [], cursor: null });

/** `items` with `newer` in place of the same ids, and the others added. */
function upsert(items: readonly Incident[], newer: readonly Incident[]): Incident[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of newer) byId.set(item.id, item);
  return [...byId.values()];
}

/**
 * An older page, answered for the query `key`, with the first page it goes on from (`first`: kept too, see
 * {@link withFirstPage}). A page asked for before the filters changed belongs to the old query and is dropped; a
 * page loaded twice (a double tap) adds nothing twice.
 */
export function withOlderPage(state: OlderPages, key: string, first: readonly Incident[], page: readonly Incident[], cursor: string | null): OlderPages {
  if (state.key !== key) return state;
  return { key, items: upsert(upsert(state.items, first), page), cursor: cursor ?? '' };
}

/**
 * A live refresh of the first page while older pages are shown. New incidents push the first page's oldest out
 * of it; the older pages begin after where the first page ended when they were loaded, so those pushed out would
 * be in neither: they are kept here (as last read) and {@link listRows} shows them between.
 */
export function withFirstPage(state: OlderPages, key: string, first: readonly Incident[]): OlderPages {
  if (state.key !== key || state.items.length === 0) return state;
  return { ...state, items: upsert(state.items, first) };
}

/**
 * The list as shown: the live first page, then what was seen of older incidents, newest first, each once. An
 * incident seen before within the first page's span but not in it now no longer matches the filters: it goes.
 */
export function listRows(first: readonly Incident[], older: readonly Incident[]): Incident[] {
  const shown = new Set(first.map((item) => item.id));
  const end = first.at(-1)?.createdAt;
  const rest = older.filter((item) => !shown.has(item.id) && (end === undefined || item.createdAt <= end));
  return [...first, ...rest.sort((a, b) => b.createdAt.localeCompare(a.createdAt))];
}
