import type {
  Incident,
  KnowledgeEntryMatch,
  KnowledgeRecommendation,
  KnowledgeSummary,
  RemediationAction,
} from '../domain/incident.js';
import { ACTION_PHRASES, type KnowledgeEntry, entryConfidence } from './entry.js';
import type { VariantParams } from '../experiments/params.js';
import { SIMILARITY_THRESHOLD, SIMILARITY_TOP_K, topSimilar } from './similarity.js';
import { recurringTextLooksLikeInstruction, unsafeAnswerSignals } from '../analysis/injection.js';
import { curatedForCategory } from './curated.js';

/** An entry's measured outcomes make it the recommendation only with this much evidence. */
export const RECOMMEND_MIN_ATTEMPTS = 3;
export const RECOMMEND_MIN_CONFIDENCE = 0.5;
/** The summary goes into the analysis prompt (capped at 1,000 characters there) and the PR comment. */
const MAX_SUMMARY_CHARS = 900;

export function toEntryMatch(entry: KnowledgeEntry, match: 'exact' | 'similar', score: number): KnowledgeEntryMatch {
  return {
    fingerprint: entry.fingerprint,
    source: entry.source,
    match,
    score,
    title: entry.title,
    category: entry.category,
    fix: entry.fix.slice(0, 5),
    prevention: entry.prevention,
    action: entry.action,
    attempts: entry.attempts,
    successes: entry.successes,
    confidence: Math.round(entryConfidence(entry) * 1000) / 1000,
    seen: entry.seen,
    lastSeen: entry.lastSeen,
  };
}

/**
 * Whether an entry's text reads as written to steer an automated reader: a title (a failure line) that gives
 * orders, or a fix that asks for approval, secrets or runs a download. Entries learned before such text was kept
 * out of the knowledge base, or imported, may hold it; they are never shown or put in a prompt.
 */
export function entryReadsAsInstruction(entry: Pick<KnowledgeEntry, 'title' | 'fix'>): boolean {
  // Read at every lookup (the curated entries, every time): both readings are kept by text.
  return recurringTextLooksLikeInstruction(entry.title) || unsafeAnswerSignals(entry.fix).length > 0;
}

/**
 * Exact entries first (the incident's repository's learned one, the shared imported and curated ones of this
 * fingerprint), then the top-k similar candidates above the threshold. `candidates` are the stored entries of the
 * incident's category its lookup may read (its repository's learned ones and the shared ones, one bounded query
 * each) plus the curated ones; the exact fingerprint is never reported twice.
 */
export function matchEntries(
  incident: Pick<Incident, 'fingerprint' | 'template'>,
  exactEntry: KnowledgeEntry | null,
  allCandidates: readonly KnowledgeEntry[],
  options: { threshold?: number; k?: number } = {},
): KnowledgeEntryMatch[] {
  const exact = exactEntry && !entryReadsAsInstruction(exactEntry) ? exactEntry : null;
  const candidates = allCandidates.filter((entry) => !entryReadsAsInstruction(entry));
  const matches: KnowledgeEntryMatch[] = [];
  // A shared entry (curated, imported) of the fingerprint is exact too, beside the repository's own learned one.
  const exactShared = candidates.filter((c) => c.source !== 'learned' && c.fingerprint === incident.fingerprint && c !== exact);
  if (exact) matches.push(toEntryMatch(exact, 'exact', 1));
  for (const entry of exactShared) matches.push(toEntryMatch(entry, 'exact', 1));
  if (incident.template) {
    const seen = new Set(matches.map((m) => `${m.source}:${m.fingerprint}`));
    const pool = candidates.filter(
      (c) => c.fingerprint !== incident.fingerprint && !seen.has(`${c.source}:${c.fingerprint}`) && (c.source !== 'learned' || c.fix.length > 0 || c.attempts > 0),
    );
    const similar = topSimilar(incident.template, pool, (c) => c.template, {
      threshold: options.threshold ?? SIMILARITY_THRESHOLD,
      k: options.k ?? SIMILARITY_TOP_K,
    });
    for (const { item, score } of similar) matches.push(toEntryMatch(item, 'similar', score));
  }
  return matches;
}

/** Experiment variant, then a promoted policy, then an entry whose action has proven itself. */
export function recommend(
  entries: readonly KnowledgeEntryMatch[],
  experiment: { experimentId: string; variant: string; action: RemediationAction; params: VariantParams } | null,
  policy: { action: RemediationAction; experimentId: string; variant: string; params: VariantParams; scope: string } | null,
): KnowledgeRecommendation | null {
  if (experiment) {
    return { action: experiment.action, source: 'experiment', detail: `experiment ${experiment.experimentId}, variant ${experiment.variant}`, params: experiment.params };
  }
  if (policy) {
    return {
      action: policy.action,
      source: 'policy',
      detail: `promoted from experiment ${policy.experimentId} (variant ${policy.variant}) for ${policy.scope.toLowerCase()}`,
      params: policy.params,
      experimentId: policy.experimentId,
      variant: policy.variant,
    };
  }
  const proven = entries.find((e) => e.attempts >= RECOMMEND_MIN_ATTEMPTS && e.confidence >= RECOMMEND_MIN_CONFIDENCE);
  if (proven) {
    return {
      action: proven.action,
      source: 'knowledge',
      detail: `${ACTION_PHRASES[proven.action]} worked ${proven.successes} of ${proven.attempts} times (lower bound ${proven.confidence.toFixed(2)})`,
    };
  }
  return null;
}

function times(n: number): string {
  return `${n} time${n === 1 ? '' : 's'}`;
}

/**
 * Folds knowledge-base entries into the history summary: the count and per-action outcomes of the exact entry
 * replace the history's when they know more (the history reads at most 50 incidents), and the text says what was
 * seen and what fixed it — e.g. "Seen 7 times; re-running the failed jobs fixed it 6 of 7 times."
 */
export function withEntries(history: KnowledgeSummary, entries: KnowledgeEntryMatch[], exact: KnowledgeEntry | null, recommendation: KnowledgeRecommendation | null): KnowledgeSummary {
  const seenBefore = Math.max(history.seenBefore, exact ? exact.seen : 0);
  const actionOutcomes = { ...history.actionOutcomes };
  if (exact) {
    for (const [action, stats] of Object.entries(exact.actions) as Array<[RemediationAction, { attempts: number; successes: number }]>) {
      const known = actionOutcomes[action];
      if (!known || stats.attempts > known.attempts) actionOutcomes[action] = { ...stats };
    }
  }
  const parts: string[] = [];
  if (seenBefore === 0) parts.push('First time this failure has been seen.');
  else {
    const recovered = history.matches.filter((m) => m.recovered).length;
    parts.push(`Seen ${times(seenBefore)} before${history.matches.length > 0 ? `; recovered ${times(recovered)}` : ''}.`);
    for (const [action, stats] of Object.entries(actionOutcomes) as Array<[RemediationAction, { attempts: number; successes: number }]>) {
      if (stats.attempts > 0) parts.push(`${capitalize(ACTION_PHRASES[action])} fixed it ${stats.successes} of ${times(stats.attempts)}.`);
    }
  }
  for (const entry of entries.slice(0, 3)) {
    if (entry.match === 'exact' && entry.source === 'learned') continue;
    const how = entry.match === 'exact' ? 'Known failure' : `Similar (${entry.score.toFixed(2)})`;
    const fix = entry.fix[0] ? `: ${entry.fix[0]}` : '';
    parts.push(`${how} — ${entry.title} [${entry.source}]${fix}.`);
  }
  if (recommendation) parts.push(`Recommended: ${ACTION_PHRASES[recommendation.action]} (${recommendation.detail}).`);
  let summary = parts.join(' ');
  if (summary.length > MAX_SUMMARY_CHARS) summary = `${summary.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
  return { ...history, seenBefore, actionOutcomes, summary, entries, recommendation };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What {@link createLearning}'s lookup needs from this module (its `entryLookup` option). */
export const ENTRY_LOOKUP = { matchEntries, recommend, withEntries, curatedForCategory };
export type EntryLookup = typeof ENTRY_LOOKUP;
