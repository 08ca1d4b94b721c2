import { CLOCK_SKEW_MS } from '../domain/event-time.js';
import type { Incident } from '../domain/incident.js';
import { firedAtOf } from '../domain/recovery.js';
import { shortHash } from '../domain/trigger.js';
import type { EscalationLedger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { APPROVAL_GROUP_KEY, requestMember } from './approval-group-mail.js';
import { ALARM_GROUP_EARLY_MS, ALARM_GROUP_MINUTES, type DigestGrouping, OLDEST_LEAD_HOURS, groupDigestEntry, groupDigestKey, nameOnGroupDigest } from './page-claims.js';

const APPROVAL_REQUESTS: DigestGrouping = { key: APPROVAL_GROUP_KEY, what: 'approval requests grouped with the request at' };

/**
 * How long a grouped request's wait must still run after the later of its group's end and the request itself: the
 * reconciler sends the part it is named on by its next run after both (every 5 minutes in the stack; a late request
 * of an ended group goes on a later part), and on-call needs time to answer. A wait ending sooner (a policy's short
 * approvalTimeoutMinutes) is asked at once: counted from the group's end alone, a request handled 25 minutes late on
 * a 3-minute wait was grouped and never asked (attack-44a H2).
 */
const ANSWER_AFTER_DIGEST_MS = 2 * ALARM_GROUP_MINUTES * 60_000;

/** The incident's timeline entry of a request recorded on a group's digest: `<group start> <token hash>`. */
const GROUPED = 'approval_grouped';

export interface ApprovalGroupDeps {
  escalationLedger: EscalationLedger;
  incidents: Pick<IncidentStore, 'update'>;
  clock: () => Date;
}

/**
 * The start of the group whose digest `incident`'s request with `taskToken` was recorded on, or null when none was.
 * Written on the incident before the digest names it: a Notify run again with the token finds its group whatever
 * group started since (asked at once instead, the old group's digest e-mailed the token too: attack-44a H4).
 */
function groupedRequestStart(incident: Incident, taskToken: string): string | null {
  const hash = shortHash(taskToken);
  return incident.history.filter((entry) => entry.event === GROUPED && entry.detail?.endsWith(` ${hash}`)).at(-1)?.detail?.split(' ')[0] ?? null;
}

/**
 * Groups the approval request of an alarm's wait on `taskToken` as its pages are grouped (shared/notify/page-claims.ts):
 * alarms of the deployment that fire within {@link ALARM_GROUP_MINUTES} of the first that asks make one group. The lead
 * (the first) is asked at once and alone: one alarm is most often all there is, and its runbook must not wait five
 * minutes for a digest. Each later alarm's request is recorded on the group's digest (one record per incident and
 * token, its member, first noted on the incident; a retry finds its own record again, on the group and part it was
 * named on, whatever group started since) and e-mailed with the group's
 * others, each with its own commands, by the reconciler when the group ends (shared/reconcile/digests.ts): a storm asks
 * twice, not once per alarm. The digest's claim refuses a request recorded after it, which goes on the next part (sent
 * by the reconciler's next run): none is lost, and the claim sends none twice. The group's start, end and the part the
 * request was named on; null when it is asked at once: the lead, a request of no alarm, an alarm fired ahead of the
 * clock or more than a day back, or before its group (handled late), a wait that would end too soon after the digest,
 * every part claimed or full.
 */
export async function groupApprovalRequest(incident: Incident, taskToken: string, deps: ApprovalGroupDeps): Promise<{ start: string; end: string; part: number } | null> {
  if (incident.source !== 'cloudwatch') return null;
  // Remembered by incident and token: a retry is found again, and a re-driven execution's new token is a request of its own.
  const request = { incidentId: `${incident.id}:${shortHash(taskToken)}`, member: requestMember(incident.id, taskToken) };
  const recorded = groupedRequestStart(incident, taskToken);
  if (recorded) return nameRequest(recorded, request, deps);
  const firedAt = firedAtOf(incident);
  const handled = deps.clock().getTime();
  if (!Number.isFinite(firedAt) || firedAt > handled + CLOCK_SKEW_MS || firedAt < handled - OLDEST_LEAD_HOURS * 3_600_000) return null;
  const lead = await deps.escalationLedger.record({
    key: APPROVAL_GROUP_KEY, incidentId: incident.id, at: new Date(firedAt), windowMinutes: ALARM_GROUP_MINUTES, mayOpen: true, digest: false,
    label: `approval requests grouped with the request of ${incident.alarm?.name ?? incident.id}`, startedBy: new Date(firedAt + ALARM_GROUP_EARLY_MS),
  });
  const start = lead.windowStart;
  if (lead.send || lead.alreadySent || lead.owner === incident.id || !start) return null;
  const end = Date.parse(start) + ALARM_GROUP_MINUTES * 60_000;
  if (firedAt < Date.parse(start) - ALARM_GROUP_EARLY_MS || firedAt > end) return null;
  const expiresAt = incident.approval?.expiresAt;
  if (expiresAt && Date.parse(expiresAt) < Math.max(end, handled) + ANSWER_AFTER_DIGEST_MS) return null;
  // The digest is due only for a window with repeats: its first part is opened by a marker, so every request is one.
  const marker = { incidentId: `${groupDigestKey(start, 1, APPROVAL_REQUESTS)}:opened`, member: `(approval requests grouped with the request at ${start})` };
  await deps.escalationLedger.record(groupDigestEntry(start, 1, marker, true, APPROVAL_REQUESTS));
  await deps.incidents.update(incident.id, {}, { history: [{ at: new Date(handled).toISOString(), event: GROUPED, detail: `${start} ${shortHash(taskToken)}` }] });
  return nameRequest(start, request, deps);
}

/**
 * Whether `incidentId` leads the latest approval-request group: the write that opened the group's window made it the
 * lead, which is asked at once and alone (see {@link groupApprovalRequest}). Durable from that write on, before its
 * e-mail's publish mark; an incident that took a later place in the group (grouped, or killed before it said so on its
 * timeline) does not lead it. Once a newer group opened, the lead of an older one is not known here.
 */
export async function leadsApprovalGroup(incidentId: string, deps: Pick<ApprovalGroupDeps, 'escalationLedger'>): Promise<boolean> {
  return (await deps.escalationLedger.opener(APPROVAL_GROUP_KEY))?.owner === incidentId;
}

/** Names `request` on the digest of the group that started at `start`: where, or null when every part was claimed or full. */
async function nameRequest(start: string, request: { incidentId: string; member: string }, deps: ApprovalGroupDeps): Promise<{ start: string; end: string; part: number } | null> {
  const named = await nameOnGroupDigest(start, request, deps, APPROVAL_REQUESTS);
  return named ? { start, end: new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString(), part: named.part } : null;
}
