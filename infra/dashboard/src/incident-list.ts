/** What the list keeps of an incident: its id, when it was created, and whatever the rows show (the API's list item). */
interface Row {
  id: string;
  createdAt: string;
}

/**
 * What "older incidents" loaded for one query (`key`): every incident seen past the live first page, and where the
 * next page starts (null: where the first page's says; '' after the last page).
 */
export interface OlderPages<T extends Row = Row> {
  key: string;
  items: T[];
  cursor: string | null;
}

/** Nothing loaded yet: no rows of any type. */
export const noOlderPages = (key: string): OlderPages<never> => ({ key, items: [], cursor: null });

/** `items` with `newer` in place of the same ids, and the others added. */
function upsert<T extends Row>(items: readonly T[], newer: readonly T[]): T[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of newer) byId.set(item.id, item);
  return [...byId.values()];
}

/**
 * An older page, answered for the query `key`, with the first page it goes on from (`first`: kept too, see
 * {@link withFirstPage}). A page asked for before the filters changed belongs to the old query and is dropped; a
 * page loaded twice (a double tap) adds nothing twice.
 */
export function withOlderPage<T extends Row>(state: OlderPages<T>, key: string, first: readonly T[], page: readonly T[], cursor: string | null): OlderPages<T> {
  if (state.key !== key) return state;
  return { key, items: upsert(upsert(state.items, first), page), cursor: cursor ?? '' };
}

/**
 * A live refresh of the first page while older pages are shown. New incidents push the first page's oldest out
 * of it; the older pages begin after where the first page ended when they were loaded, so those pushed out would
 * be in neither: they are kept here (as last read) and {@link listRows} shows them between.
 */
export function withFirstPage<T extends Row>(state: OlderPages<T>, key: string, first: readonly T[]): OlderPages<T> {
  if (state.key !== key || state.items.length === 0) return state;
  return { ...state, items: upsert(state.items, first) };
}

/**
 * The list as shown: the live first page, then what was seen of older incidents, newest first, each once. An
 * incident seen before within the first page's span but not in it now no longer matches the filters: it goes.
 */
export function listRows<T extends Row>(first: readonly T[], older: readonly T[]): T[] {
  const shown = new Set(first.map((item) => item.id));
  const end = first.at(-1)?.createdAt;
  const rest = older.filter((item) => !shown.has(item.id) && (end === undefined || item.createdAt <= end));
  return [...first, ...rest.sort((a, b) => b.createdAt.localeCompare(a.createdAt))];
}
