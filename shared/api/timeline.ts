import type { Incident } from '../domain/incident.js';
import { DROPPED_FIELD, type IncidentListName } from '../domain/incident-lists.js';

const LIST_LABEL: Record<IncidentListName, string> = {
  history: 'stage entries',
  audit: 'audit entries',
  notifications: 'notifications',
  stageErrors: 'stage errors',
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
  for (const n of incident.notifications ?? []) add(n.at, 'notification', `${n.channel === 'github_comment' ? 'PR comment' : 'escalation'} ${n.outcome}`, [n.target, n.detail].filter(Boolean).join(' — ') || null);
  if (incident.approval) {
    const a = incident.approval;
    add(a.requestedAt, 'approval', 'approval requested');
    add(a.decidedAt, 'approval', `approval ${a.status}`, a.reason, a.decidedBy);
  }
  for (const e of incident.stageErrors ?? []) add(e.at, 'error', `${e.stage} failed`, e.error);
  if (incident.notifyFailed) add(incident.notifyFailedAt ?? incident.updatedAt, 'error', 'every notification path failed');
  // A list over its bound kept its most recent entries (shared/domain/incident-lists.ts): the timeline says it is not whole.
  for (const [list, field] of Object.entries(DROPPED_FIELD) as Array<[IncidentListName, (typeof DROPPED_FIELD)[IncidentListName]]>) {
    const dropped = incident[field] ?? 0;
    if (dropped > 0) add(incident.createdAt, 'stage', `${dropped} earlier ${LIST_LABEL[list]} not kept`);
  }
  // A stable sort keeps same-instant entries in the order the stages wrote them.
  return entries.map((entry, i) => ({ entry, i })).sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.i - b.i).map(({ entry }) => entry);
}
