import type { Incident, NotificationRecord, RemediationAction } from '../domain/incident.js';
import { escalationPublished, reachedSomeone } from '../domain/notifications.js';

/** Actions that change something; their success is what "automatic action success rate" measures. */
const AUTOMATIC: ReadonlySet<RemediationAction> = new Set(['rerun_failed_jobs', 'open_fix_pr', 'run_runbook']);

export interface DailyMetrics {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  incidents: number;
  byCategory: Record<string, number>;
  flaky: number;
  escalations: number;
  automaticActions: number;
  automaticSuccesses: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Median seconds from the failure to the first PR comment or escalation of that day's incidents. */
  medianTimeToFirstCommentSeconds: number | null;
  /** Median seconds from the failure to recovery of that day's resolved incidents. */
  medianTimeToRecoverySeconds: number | null;
}

export interface MetricsSummary {
  from: string;
  to: string;
  /** Incidents read (bounded); `truncated` when the window held more. */
  incidents: number;
  truncated: boolean;
  resolved: number;
  flakyRate: number | null;
  automaticActionSuccessRate: number | null;
  escalations: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  medianTimeToFirstCommentSeconds: number | null;
  medianTimeToRecoverySeconds: number | null;
  byCategory: Record<string, number>;
  bySource: Record<string, number>;
  days: DailyMetrics[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * The fields of an incident the summary reads. `GET /metrics` keeps only these of up to 5,000 incidents: whole ones
 * (failure lines, history, the model's answer) can be hundreds of KB each, which a fork's runs can make them, and
 * 5,000 of them would not fit the read-api Lambda's memory.
 */
export interface SummaryIncident extends Pick<Incident, 'createdAt' | 'failedAt' | 'category' | 'source' | 'status' | 'timeToRecoverySeconds'> {
  notifications: Array<Pick<NotificationRecord, 'channel' | 'outcome' | 'at'>>;
  decision: Pick<NonNullable<Incident['decision']>, 'action' | 'applied' | 'dryRun'> | null;
  flaky: boolean;
  analysis: Pick<NonNullable<Incident['analysis']>, 'cost' | 'usage'> | null;
}

export function summaryIncidentOf(incident: Incident): SummaryIncident {
  const { analysis, decision } = incident;
  return {
    createdAt: incident.createdAt,
    failedAt: incident.failedAt,
    category: incident.category,
    source: incident.source,
    status: incident.status,
    timeToRecoverySeconds: incident.timeToRecoverySeconds,
    notifications: (incident.notifications ?? []).map(({ channel, outcome, at }) => ({ channel, outcome, at })),
    decision: decision ? { action: decision.action, applied: decision.applied, dryRun: decision.dryRun } : null,
    flaky: Boolean(incident.flaky),
    analysis: analysis ? { cost: analysis.cost, usage: analysis.usage } : null,
  };
}

/** Seconds from the failure to the first notification that reached someone (a PR comment or an escalation). */
export function timeToFirstCommentSeconds(incident: Pick<SummaryIncident, 'notifications' | 'failedAt' | 'createdAt'>): number | null {
  const first = (incident.notifications ?? [])
    .filter(reachedSomeone)
    .map((n) => n.at)
    .sort()[0];
  return first ? seconds(incident.failedAt ?? incident.createdAt, first) : null;
}

/** Whether the incident's automatic action worked: it was applied and the incident recovered. */
function automaticOutcome(incident: Pick<SummaryIncident, 'decision' | 'status'>): { attempted: boolean; succeeded: boolean } {
  const decision = incident.decision;
  const attempted = Boolean(decision?.applied && !decision.dryRun && AUTOMATIC.has(decision.action));
  return { attempted, succeeded: attempted && incident.status === 'resolved' };
}

/**
 * The dashboard's numbers over a window of incidents: per day (the charts) and in total. Pure, so the local runtime
 * and the read-API Lambda compute exactly the same thing from the same items.
 */
export function summarizeIncidents(incidents: readonly SummaryIncident[], window: { from: Date; to: Date; truncated?: boolean }): MetricsSummary {
  const days = new Map<string, DailyMetrics & { ttfc: number[]; ttr: number[] }>();
  for (let at = Date.UTC(window.from.getUTCFullYear(), window.from.getUTCMonth(), window.from.getUTCDate()); at <= window.to.getTime(); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    days.set(day, {
      day, incidents: 0, byCategory: {}, flaky: 0, escalations: 0, automaticActions: 0, automaticSuccesses: 0,
      inputTokens: 0, outputTokens: 0, costUsd: 0, medianTimeToFirstCommentSeconds: null, medianTimeToRecoverySeconds: null, ttfc: [], ttr: [],
    });
  }
  const byCategory: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  const allTtfc: number[] = [];
  const allTtr: number[] = [];
  let resolved = 0;
  let flaky = 0;
  let escalations = 0;
  let attempted = 0;
  let succeeded = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  for (const incident of incidents) {
    const day = days.get(incident.createdAt.slice(0, 10));
    if (!day) continue;
    const category = incident.category ?? 'unclassified';
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    bySource[incident.source] = (bySource[incident.source] ?? 0) + 1;
    day.incidents += 1;
    day.byCategory[category] = (day.byCategory[category] ?? 0) + 1;
    if (incident.flaky) {
      flaky += 1;
      day.flaky += 1;
    }
    const escalated = (incident.notifications ?? []).filter(escalationPublished).length;
    escalations += escalated;
    day.escalations += escalated;
    const action = automaticOutcome(incident);
    if (action.attempted) {
      attempted += 1;
      day.automaticActions += 1;
    }
    if (action.succeeded) {
      succeeded += 1;
      day.automaticSuccesses += 1;
    }
    const cost = incident.analysis?.cost;
    const tokensIn = cost?.inputTokens ?? incident.analysis?.usage?.inputTokens ?? 0;
    const tokensOut = cost?.outputTokens ?? incident.analysis?.usage?.outputTokens ?? 0;
    inputTokens += tokensIn;
    outputTokens += tokensOut;
    day.inputTokens += tokensIn;
    day.outputTokens += tokensOut;
    costUsd += cost?.estimatedUsd ?? 0;
    day.costUsd += cost?.estimatedUsd ?? 0;
    const ttfc = timeToFirstCommentSeconds(incident);
    if (ttfc !== null) {
      day.ttfc.push(ttfc);
      allTtfc.push(ttfc);
    }
    if (incident.status === 'resolved' && incident.timeToRecoverySeconds !== null && incident.timeToRecoverySeconds !== undefined) {
      resolved += 1;
      day.ttr.push(incident.timeToRecoverySeconds);
      allTtr.push(incident.timeToRecoverySeconds);
    }
  }
  const total = [...days.values()].reduce((n, d) => n + d.incidents, 0);
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    incidents: total,
    truncated: window.truncated ?? false,
    resolved,
    flakyRate: ratio(flaky, total),
    automaticActionSuccessRate: ratio(succeeded, attempted),
    escalations,
    inputTokens,
    outputTokens,
    costUsd: Math.round(costUsd * 1e6) / 1e6,
    medianTimeToFirstCommentSeconds: median(allTtfc),
    medianTimeToRecoverySeconds: median(allTtr),
    byCategory,
    bySource,
    days: [...days.values()].map(({ ttfc, ttr, ...day }) => ({
      ...day,
      costUsd: Math.round(day.costUsd * 1e6) / 1e6,
      medianTimeToFirstCommentSeconds: median(ttfc),
      medianTimeToRecoverySeconds: median(ttr),
    })),
  };
}
