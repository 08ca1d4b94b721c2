import type { Category } from '../logs/types.js';
import { CURATED_ENTRIES } from './curated.js';
import type { KnowledgeEntry } from './entry.js';
import { containment, jaccard, shingles } from './similarity.js';
import type { KnowledgeStore } from './store.js';

/** Stored entries read per category for list/search/export: bounded, newest first. */
export const MAX_LISTED_PER_CATEGORY = 200;

/** Curated entries plus the stored ones (learned, imported), optionally of one category. */
export async function listEntries(store: KnowledgeStore, category?: Category): Promise<KnowledgeEntry[]> {
  const stored = category ? await store.listByCategory(category, MAX_LISTED_PER_CATEGORY) : await store.listAll(MAX_LISTED_PER_CATEGORY);
  const curated = CURATED_ENTRIES.filter((e) => !category || e.category === category);
  return [...stored, ...curated];
}

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
