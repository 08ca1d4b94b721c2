import { fallbackPageDue, givenUpUnpaged, notifyErrorOf } from '../domain/handoff.js';
import type { FallbackCause, Incident, NotificationRecord } from '../domain/incident.js';
import { DROPPED_FIELD, type IncidentListName } from '../domain/incident-lists.js';

const LIST_LABEL: Record<IncidentListName, string> = {
  history: 'stage entries',
  audit: 'audit entries',
  notifications: 'notifications',
  stageErrors: 'stage errors',
};

const CHANNEL_LABEL: Record<NotificationRecord['channel'], string> = { github_comment: 'PR comment', commit_comment: 'commit comment', sns: 'escalation' };

/** Why the reconciler's fallback told on-call, and what its page holds. */
const FALLBACK_PAGE: Record<FallbackCause, { why: string; page: string }> = {
  notify_failed: { why: 'the notify step failed', page: 'the page names this incident, not what failed' },
  pipeline_failed: { why: 'every execution of the pipeline failed', page: 'the page has what the guard had found' },
  not_started: { why: 'the pipeline would not start', page: 'the page has what was known of the failure' },
  reconcile_given_up: { why: "the reconciler's tries at it kept failing and it gave it up", page: 'the page says so, with what the guard had found' },
};

export type TimelineKind = 'stage' | 'decision' | 'action' | 'notification' | 'approval' | 'error' | 'outcome';

/** One thing that happened to an incident, with its time: what the incident page and `guard incidents show` list. */
export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  title: string;
  detail: string | null;
  actor: string | null;
}

/**
 * Every stage, decision, action, notification, approval, error and outcome of an incident in time order. Built
 * from the lists the stages append to the incident item, so it costs no extra read and cannot disagree with it.
 */
export function incidentTimeline(incident: Incident): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (at: string | null | undefined, kind: TimelineKind, title: string, detail: string | null = null, actor: string | null = null) => {
    if (at) entries.push({ at, kind, title, detail, actor });
  };
  for (const h of incident.history ?? []) add(h.at, h.event === 'resolved' ? 'outcome' : 'stage', h.event, h.detail ?? null);
  if (incident.plan) add(incident.plan.plannedAt, 'decision', `planned ${incident.plan.action}`, incident.plan.reasons.join('; ') || null);
  if (incident.decision) {
    const d = incident.decision;
    add(d.decidedAt, 'decision', `${d.action}${d.dryRun ? ' (dry run)' : d.applied ? ' applied' : ' not applied'}`, [d.reason, d.result].filter(Boolean).join(' — ') || null);
  }
  for (const a of incident.audit ?? []) add(a.at, 'action', `${a.action}: ${a.status}`, a.detail || null, a.actor);
  for (const n of incident.notifications ?? []) add(n.at, 'notification', `${CHANNEL_LABEL[n.channel]} ${n.outcome}`, [n.target, n.detail].filter(Boolean).join(' — ') || null);
  if (incident.approval) {
    const a = incident.approval;
    add(a.requestedAt, 'approval', 'approval requested');
    if (a.unresumed) {
      // Decided then, and never carried to the execution: "timed_out" at the maintainer's time read as their doing.
      const never = 'the guard could not resume the execution with it before its wait timed out';
      add(a.decidedAt, 'approval', `approval ${a.unresumed}, never resumed`, [never, a.reason].filter(Boolean).join(' — '), a.decidedBy);
    } else {
      add(a.decidedAt, 'approval', `approval ${a.status}`, a.reason, a.decidedBy);
    }
  }
  for (const e of incident.stageErrors ?? []) add(e.at, 'error', `${e.stage} failed`, e.error);
  const givenUp = givenUpUnpaged(incident);
  if (incident.notifyFailed) {
    const error = notifyErrorOf(incident);
    const failed = `the notify step failed after its retries${error ? ` (${error})` : ''}`;
    const at = incident.notifyFailedAt ?? incident.updatedAt;
    if (fallbackPageDue(incident)) add(at, 'error', 'notify failed: waiting for the fallback page', `${failed}; the reconciler pages on-call on its next run`);
    else if (givenUp) add(at, 'error', 'notify failed', `${failed}; the reconciler's fallback could not page on-call about it`);
    else add(at, 'error', 'notify failed', `${failed}; resolved before the reconciler's fallback paged anyone`);
  }
  if (givenUp) {
    const tried = givenUp.notifyFailed ? 'tell on-call that the notify step failed on it' : 're-drive it or page on-call about it';
    add(
      givenUp.at ?? incident.updatedAt,
      'error',
      'given up by the reconciler, nobody paged',
      `its tries to ${tried} failed ${givenUp.tries} times (the last: ${givenUp.error}); nothing tries again: look at the failure yourself, and at the reconciler's logs for this incident`,
      'reconciler',
    );
  }
  const fallback = incident.fallbackEscalation;
  if (fallback) {
    const { why, page } = FALLBACK_PAGE[fallback.cause];
    const told = fallback.paged ? `${why}: ${page}` : `${why}: counted on the page already sent for the same problem (one per escalation window; the rest are reported when it ends)`;
    add(fallback.at, 'notification', fallback.paged ? 'on-call paged by the fallback' : "counted on the fallback's open page", told, 'reconciler');
  }
  // A list over its bound kept its most recent entries (shared/domain/incident-lists.ts): the timeline says it is not whole.
  for (const [list, field] of Object.entries(DROPPED_FIELD) as Array<[IncidentListName, (typeof DROPPED_FIELD)[IncidentListName]]>) {
    const dropped = incident[field] ?? 0;
    if (dropped > 0) add(incident.createdAt, 'stage', `${dropped} earlier ${LIST_LABEL[list]} not kept`);
  }
  // A stable sort keeps same-instant entries in the order the stages wrote them.
  return entries.map((entry, i) => ({ entry, i })).sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.i - b.i).map(({ entry }) => entry);
}
