import * as z from '../zod.js';
import { REMEDIATION_ACTIONS, type RemediationAction } from '../domain/incident.js';
import { CATEGORIES, type Category } from '../logs/types.js';
import { confidenceScore } from './confidence.js';

export const KNOWLEDGE_SOURCES = ['curated', 'learned', 'imported'] as const;
export type KnowledgeSource = (typeof KNOWLEDGE_SOURCES)[number];

export interface ActionStats {
  attempts: number;
  successes: number;
}

/**
 * One knowledge-base entry: what a failure looks like (fingerprint + normalized template), what fixes it, and how
 * often the recorded action worked. Curated entries ship with the code; learned ones grow from one repository's (or
 * the alarms') incidents and are read by its incidents alone; imported ones come from `guard kb import` and, like
 * the curated ones, are shared by every repository.
 */
export interface KnowledgeEntry {
  fingerprint: string;
  source: KnowledgeSource;
  /** Whose learned entry this is (`repo:<id>`, `alarms`: see scope.ts); none for a shared (curated, imported) one. */
  scope?: string;
  /** The scope's repository's full name when the entry last learned something: for display only (scope.ts). */
  repository?: string;
  template: string;
  category: Category;
  title: string;
  fix: string[];
  prevention: string | null;
  /** The action this entry recommends: the one with the best confidence, or the curated default. */
  action: RemediationAction;
  /** Outcomes of `action`. */
  attempts: number;
  successes: number;
  /** Outcomes per action ever tried against this failure. */
  actions: Partial<Record<RemediationAction, ActionStats>>;
  /** The learned fix's own record (incidents whose analysis proposed it: recovered, or re-run failed again). */
  fixOutcomes?: { successes: number; failures: number };
  /** Incidents with this fingerprint that went through knowledge lookup. */
  seen: number;
  feedbackUp: number;
  feedbackDown: number;
  lastSeen: string | null;
  tags: string[];
}

/** Bounds for anything that reaches the table from outside (imports, learned fixes written by an analyzer). */
export const ENTRY_LIMITS = { template: 2_000, title: 200, fixStep: 500, fixSteps: 10, prevention: 1_000, tags: 20, tag: 50 } as const;

export const actionSchema = z.enum(REMEDIATION_ACTIONS);
export const categorySchema = z.enum(CATEGORIES);

/**
 * Picks the action to recommend: the one whose Wilson lower bound is highest (so 1/1 does not beat 40/50), or
 * `fallback` when nothing has been tried.
 */
export function bestAction(actions: KnowledgeEntry['actions'], fallback: RemediationAction): { action: RemediationAction } & ActionStats {
  let best: ({ action: RemediationAction; score: number } & ActionStats) | null = null;
  for (const [action, stats] of Object.entries(actions) as Array<[RemediationAction, ActionStats]>) {
    if (!stats || stats.attempts <= 0) continue;
    const score = confidenceScore(stats.successes, stats.attempts);
    if (!best || score > best.score || (score === best.score && stats.attempts > best.attempts)) best = { action, score, ...stats };
  }
  if (best) return { action: best.action, attempts: best.attempts, successes: best.successes };
  const fallbackStats = actions[fallback];
  return { action: fallback, attempts: fallbackStats?.attempts ?? 0, successes: fallbackStats?.successes ?? 0 };
}

/** The entry's confidence: the 95 % Wilson lower bound of its recommended action's success rate. */
export function entryConfidence(entry: Pick<KnowledgeEntry, 'attempts' | 'successes'>): number {
  return confidenceScore(entry.successes, entry.attempts);
}

export const ACTION_PHRASES: Record<RemediationAction, string> = {
  comment_only: 'a manual fix',
  rerun_failed_jobs: 're-running the failed jobs',
  open_fix_pr: 'a fix PR',
  run_runbook: 'the runbook',
  escalate: 'escalation',
};
