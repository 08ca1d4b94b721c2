import type { Category } from '../logs/types.js';
import { CURATED_ENTRIES } from './curated.js';
import type { KnowledgeEntry } from './entry.js';
import { containment, jaccard, shingles } from './similarity.js';
import type { KnowledgeStore } from './store.js';

/** Stored entries read per category for list/search/export: bounded, newest first. */
export const MAX_LISTED_PER_CATEGORY = 200;

/**
 * The shared entries (imported, curated) and, with `scope` (`repo:<id>`, `alarms`: see scope.ts), what that scope
 * learned, optionally of one category: what a failure of that scope may be shown.
 */
export async function listEntries(store: KnowledgeStore, category?: Category, scope?: string): Promise<KnowledgeEntry[]> {
  const read = (entryScope: string | null) => (category ? store.listByCategory(category, MAX_LISTED_PER_CATEGORY, entryScope) : store.listAll(MAX_LISTED_PER_CATEGORY, entryScope));
  const learned = scope ? await read(scope) : [];
  const curated = CURATED_ENTRIES.filter((e) => !category || e.category === category);
  return [...learned, ...(await read(null)), ...curated];
}

/** A knowledge scope as an operator names it: `repo:<GitHub repository id>` or `alarms`. */
export const KNOWLEDGE_SCOPE_FORM = /^(repo:[1-9]\d{0,19}|alarms)$/;

/**
 * Free-text search: an entry scores by how much of the query its title, template, fix and tags cover, blended with
 * the Jaccard index so a precise match outranks a long entry that happens to contain every word.
 */
export function searchEntries(entries: readonly KnowledgeEntry[], text: string, limit = 10): Array<{ entry: KnowledgeEntry; score: number }> {
  const query = shingles(text);
  return entries
    .map((entry) => {
      const body = shingles([entry.title, entry.template, entry.fix.join(' '), entry.tags.join(' '), entry.category.replace('_', ' ')].join('\n'));
      return { entry, score: Math.round((0.8 * containment(query, body) + 0.2 * jaccard(query, body)) * 1000) / 1000 };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}
