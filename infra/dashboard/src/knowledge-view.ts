import type { KnowledgeEntry, LearnedScope } from './types.js';

/**
 * The knowledge page's words. Learned entries are kept per scope (a repository, by its id, or the alarms:
 * shared/knowledge/scope.ts), so the page shows the shared entries with one chosen scope's learned ones, each labelled
 * by whose it is: by the repository's name, which a learned write records for display, as an id tells a reader nothing.
 */
export function scopeLabel(scope: Pick<LearnedScope, 'scope' | 'repository'>): string {
  if (scope.repository) return scope.repository;
  return scope.scope === 'alarms' ? 'CloudWatch alarms' : scope.scope;
}

/** Where an entry comes from: whose learned entry it is, or that it is shared (imported, curated). */
export function entryOrigin(entry: Pick<KnowledgeEntry, 'source' | 'scope' | 'repository'>): string {
  return entry.scope ? `learned by ${scopeLabel({ scope: entry.scope, repository: entry.repository ?? null })}` : `${entry.source}, shared`;
}

/** What the page says when it lists nothing: `scope` is the chosen scope's label (null: shared entries only). */
export function emptyKnowledgeText(view: { submitted: string; scope: string | null; scopes: number }): string {
  if (view.submitted) return `No knowledge entry matches “${view.submitted}”.`;
  if (view.scope) return `Nothing learned by ${view.scope} and no shared entry: entries are learned from its incidents as they recover, or imported with guard kb import.`;
  if (view.scopes === 0) return 'Nothing learned yet, and no shared entry: each repository (and the alarms) learns from its own incidents as they recover; shared entries are imported with guard kb import.';
  return 'No shared entry: shared entries are imported with guard kb import; what the guard learned is kept per repository: choose whose learned entries to show above.';
}
