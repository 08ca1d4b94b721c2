/**
 * Similarity of failure templates (the masked text from `fingerprintOf`). Two failures that differ only in a
 * test name, a file or a package share most of their words and word pairs, so the Jaccard index of those sets
 * ranks them close while unrelated failures of the same category stay apart.
 *
 * Why exact Jaccard and not MinHash: a lookup compares against at most a few dozen candidates (those of the same
 * category, fetched with one bounded query), where the exact index is cheaper than computing signatures and has
 * no estimation error.
 */

/** Scores below this are not reported as similar (see README, "Knowledge base"). */
export const SIMILARITY_THRESHOLD = 0.35;
/** Similar entries reported per lookup. */
export const SIMILARITY_TOP_K = 3;

const MAX_TEMPLATE_CHARS = 4_000;
const MAX_TOKENS = 400;
/** Words that say nothing about which failure it is. Masks such as `<n>` are dropped as well. */
const STOP_WORDS = new Set(['the', 'a', 'an', 'of', 'to', 'in', 'at', 'on', 'is', 'was', 'and', 'or', 'for', 'with', 'by', 'be', 'it', 'error', 'n']);

/** Lower-cased word tokens of a template, without masks (`<n>`, `<hex>`, …) and stop words. */
export function tokenize(template: string): string[] {
  const text = template.slice(0, MAX_TEMPLATE_CHARS).toLowerCase().replace(/<[a-z]+>/g, ' ');
  const tokens: string[] = [];
  for (const token of text.split(/[^a-z0-9_]+/)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    tokens.push(token);
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/** Shingles: the words and the adjacent word pairs (pairs keep some word order, so "not found" ≠ "found, not"). */
export function shingles(template: string): Set<string> {
  const tokens = tokenize(template);
  const set = new Set<string>(tokens);
  for (let i = 1; i < tokens.length; i += 1) set.add(`${tokens[i - 1]} ${tokens[i]}`);
  return set;
}

/** |A ∩ B| / |A ∪ B|; 0 for two empty sets (nothing in common is not "identical"). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export interface Scored<T> {
  item: T;
  score: number;
}

/**
 * The `k` candidates most similar to `template`, best first, keeping only scores ≥ `threshold`. Ties keep the
 * candidates' order (callers pass the most recently seen first).
 */
export function topSimilar<T>(
  template: string,
  candidates: readonly T[],
  templateOf: (candidate: T) => string,
  options: { threshold?: number; k?: number } = {},
): Array<Scored<T>> {
  const threshold = options.threshold ?? SIMILARITY_THRESHOLD;
  const k = options.k ?? SIMILARITY_TOP_K;
  const target = shingles(template);
  return candidates
    .map((item, index) => ({ item, index, score: jaccard(target, shingles(templateOf(item))) }))
    .filter((entry) => entry.score >= threshold)
    .sort((x, y) => y.score - x.score || x.index - y.index)
    .slice(0, k)
    .map(({ item, score }) => ({ item, score: Math.round(score * 1000) / 1000 }));
}

/** |Q ∩ T| / |Q|: how much of a short query a longer text covers (for `guard kb search`). */
export function containment(query: ReadonlySet<string>, text: ReadonlySet<string>): number {
  if (query.size === 0) return 0;
  let shared = 0;
  for (const item of query) if (text.has(item)) shared += 1;
  return shared / query.size;
}
