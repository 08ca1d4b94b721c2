import { CLOCK_SKEW_MS } from '../domain/event-time.js';
import type { Incident } from '../domain/incident.js';
import { RetryableError } from '../errors.js';
import { firedAtOf } from '../domain/recovery.js';
import { shortHash } from '../domain/trigger.js';
import type { EscalationLedger, PublishMark, Sleep } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { APPROVAL_GROUP_KEY, requestMember } from './approval-group-mail.js';
import { requestMailedAt } from './approval-mail.js';
import { ALARM_GROUP_EARLY_MS, ALARM_GROUP_MINUTES, type DigestGrouping, MAX_GROUP_DIGEST_PARTS, OLDEST_LEAD_HOURS, groupDigestEntry, groupDigestKey, nameOnGroupDigest } from './page-claims.js';

const APPROVAL_REQUESTS: DigestGrouping = { key: APPROVAL_GROUP_KEY, what: 'approval requests grouped with the request at' };

/**
 * How long a grouped request's wait must still run after the later of its group's end and the request itself: the
 * reconciler sends the part it is named on by its next run after both (every 5 minutes in the stack; a late request
 * of an ended group goes on a later part), and on-call needs time to answer. A wait ending sooner (a policy's short
 * approvalTimeoutMinutes) is asked at once: counted from the group's end alone, a request handled 25 minutes late on
 * a 3-minute wait was grouped and never asked (attack-44a H2).
 */
const ANSWER_AFTER_DIGEST_MS = 2 * ALARM_GROUP_MINUTES * 60_000;

/** The incident's timeline entry of a request recorded on a group's digest: `<group start> <token hash>` (for people). */
const GROUPED = 'approval_grouped';

export interface ApprovalGroupDeps {
  escalationLedger: EscalationLedger;
  incidents: Pick<IncidentStore, 'update'>;
  clock: () => Date;
  /** How a wait for a holder's decision waits, on {@link ApprovalGroupDeps.clock} (session 45). */
  sleep: Sleep;
}

/**
 * How long the fact of how a request is asked is kept open for a retry to find: the longest approval wait
 * (approvalTimeoutMinutes is at most 7 days), after which its token answers nothing.
 */
const ASKING_KEPT_MINUTES = 7 * 24 * 60;
/**
 * How long a later request of the same problem waits for the holder's decision on how it is asked when the holder's
 * pending request names no end of its invocation (`decidesBy`: written before session 44, or run where the end is
 * unknown): the holder takes its problem's claim, then its place in a group, then writes the decision, a few ledger
 * writes apart, each of which a throttled DynamoDB with the SDK's retries can hold for seconds (attack-46a A4: 4 s).
 * Past it the holder is taken to have died in between, and the later request is asked itself (one e-mail more, never
 * one lost). With `decidesBy` the wait runs to the holder's end instead: past it the holder is certainly dead.
 */
const HOLDER_DECIDES_FALLBACK_MS = 10_000;
const HOLDER_DECIDES_POLL_MS = 200;
/** What a waiting Notify keeps of its own invocation for its work after the holder's decision (its e-mail and records). */
const AFTER_HOLDER_DECIDES_MS = 10_000;

/** How an alarm's e-mailed approval request is asked: in an e-mail of its own, or on the digest of the group that started at `groupStart`. */
export type RequestAsking = { alone: true } | { alone: false; groupStart: string };

/** The escalation ledger's item whose window's opener is how the request of `incidentId`'s wait on `taskToken` is asked. */
const askingKey = (incidentId: string, taskToken: string) => `approval:${incidentId}:${shortHash(taskToken)}:asking`;
const ALONE = 'alone';
const GROUPED_ON = 'grouped ';

function askingFrom(opener: string | undefined): RequestAsking | null {
  if (opener === ALONE) return { alone: true };
  return opener?.startsWith(GROUPED_ON) ? { alone: false, groupStart: opener.slice(GROUPED_ON.length) } : null;
}

/**
 * How the request of `incidentId`'s wait on `taskToken` is asked, as decided before anything asks it (see
 * {@link groupApprovalRequest}); null while undecided (its Notify has not got there, or died before). The one fact
 * every reader goes by: a later request of the problem counted on it or not, a retry finding its group again, a retry
 * with a new token saying what it replaces (session 44).
 */
export async function requestAsking(incidentId: string, taskToken: string, deps: Pick<ApprovalGroupDeps, 'escalationLedger'>): Promise<RequestAsking | null> {
  return askingFrom((await deps.escalationLedger.opener(askingKey(incidentId, taskToken)))?.owner);
}

/**
 * How the request of `incident`'s wait on `taskToken` was asked as the code before session 44 recorded it: grouped
 * only on the incident's timeline (`approval_grouped <start> <token hash>`), with no asking item (attack-46a A1). A
 * request that code grouped and whose Notify is retried with the same token after the deploy finds its group there,
 * as before session 44, rather than being decided again on the group open now (and e-mailed twice). Deploy-window
 * compatibility only: it can go once no request older than the deploy can be pending, the approval wait's maximum
 * ({@link ASKING_KEPT_MINUTES}, 7 days) after it.
 */
function groupedOnTimeline(incident: Pick<Incident, 'history'>, taskToken: string): RequestAsking | null {
  const hash = shortHash(taskToken);
  const entry = incident.history.filter((item) => item.event === GROUPED && item.detail?.endsWith(` ${hash}`)).at(-1);
  const start = entry?.detail?.split(' ')[0];
  return start ? { alone: false, groupStart: start } : null;
}

/**
 * {@link requestAsking}, else as the code before session 44 recorded it ({@link groupedOnTimeline}); `onTimelineOnly`
 * when only the timeline says it, so the one writer of the decision can keep it on the ledger item too.
 */
async function askingOf(
  incident: Pick<Incident, 'id' | 'history'>,
  taskToken: string,
  deps: Pick<ApprovalGroupDeps, 'escalationLedger'>,
): Promise<{ asking: RequestAsking; onTimelineOnly: boolean } | null> {
  const recorded = await requestAsking(incident.id, taskToken, deps);
  if (recorded) return { asking: recorded, onTimelineOnly: false };
  const onTimeline = groupedOnTimeline(incident, taskToken);
  return onTimeline ? { asking: onTimeline, onTimelineOnly: true } : null;
}

/**
 * {@link requestAsking} of a holder of the problem's claim, waiting while it is undecided: read at once, a second
 * ALARM handled between the holder's claim and its decision took the claim over and was asked as well as the holder
 * (session 43 review, defect 1). The wait runs by the clock, not by reads (attack-46a A4), until the holder's
 * invocation has certainly ended (`decidesBy`, else {@link HOLDER_DECIDES_FALLBACK_MS}), or until this invocation must go on with its own work
 * ({@link AFTER_HOLDER_DECIDES_MS} before its end), whichever is first; a holder still undecided then that may outlive
 * this invocation fails it with a `RetryableError` (the state machine tries again) rather than being taken over. A
 * publish mark of its request appearing meanwhile answers too: it began e-mailing it alone.
 */
export async function holderAsking(
  holder: Pick<Incident, 'id' | 'history' | 'approval'>,
  taskToken: string,
  deps: Pick<ApprovalGroupDeps, 'escalationLedger' | 'clock' | 'sleep'> & { invocationEndsAt?: number | undefined },
): Promise<RequestAsking | null> {
  const decidesBy = Date.parse(holder.approval?.decidesBy ?? '');
  const until = Number.isFinite(decidesBy) ? decidesBy : deps.clock().getTime() + HOLDER_DECIDES_FALLBACK_MS;
  // Polled until the holder has certainly ended or this invocation must go on with its own work, whichever is first:
  // a holder that outlives this invocation most often decides a moment later (an alarm storm's waiter starts seconds
  // after its holder), so it is waited for, not failed at once (attack-46d D1).
  const ownLast = deps.invocationEndsAt === undefined ? Infinity : deps.invocationEndsAt - AFTER_HOLDER_DECIDES_MS;
  const waitUntil = Math.min(until, ownLast);
  for (;;) {
    const found = await askingOf(holder, taskToken, deps);
    if (found) return found.asking;
    if (await requestMailedAt(holder.id, taskToken, deps)) return { alone: true };
    const now = deps.clock().getTime();
    if (now >= until) return null;
    if (now >= waitUntil) {
      throw new RetryableError(`the approval request of ${holder.id} holding this problem's claim may still be deciding how it is asked until ${new Date(until).toISOString()}, past this invocation's end`);
    }
    await deps.sleep(Math.min(HOLDER_DECIDES_POLL_MS, waitUntil - now));
  }
}

/**
 * Decides how the request of `incident`'s wait on `taskToken` is asked, before it is named on a digest or e-mailed: the
 * item's first opener wins, so two attempts with the same token decide alike. What stands.
 */
export async function decideRequestAsking(incident: Incident, taskToken: string, asking: RequestAsking, deps: Pick<ApprovalGroupDeps, 'escalationLedger' | 'clock'>): Promise<RequestAsking> {
  const tally = await deps.escalationLedger.record({
    key: askingKey(incident.id, taskToken), incidentId: asking.alone ? ALONE : `${GROUPED_ON}${asking.groupStart}`, at: deps.clock(), windowMinutes: ASKING_KEPT_MINUTES,
    mayOpen: true, label: `how the approval request of ${incident.id} is asked`, digest: false,
  });
  return askingFrom(tally.owner) ?? asking;
}

/**
 * Groups the approval request of an alarm's wait on `taskToken` as its pages are grouped (shared/notify/page-claims.ts):
 * alarms of the deployment that fire within {@link ALARM_GROUP_MINUTES} of the first that asks make one group. The lead
 * (the first) is asked at once and alone: one alarm is most often all there is, and its runbook must not wait five
 * minutes for a digest. Each later alarm's request is recorded on the group's digest (one record per incident and
 * token, its member). Alone or grouped is decided once per request, before anything asks it, on a ledger item of its
 * own ({@link decideRequestAsking}, session 44): a retry finds its own record again, on the group and part it was
 * named on, whatever group started since, and the problem's later requests read it to know whether they may be
 * counted on it. It is e-mailed with the group's
 * others, each with its own commands, by the reconciler when the group ends (shared/reconcile/digests.ts): a storm asks
 * twice, not once per alarm. The digest's claim refuses a request recorded after it, which goes on the next part (sent
 * by the reconciler's next run): none is lost, and the claim sends none twice. The group's start, end and the part the
 * request was named on; null when it is asked at once: the lead, a request of no alarm, an alarm fired ahead of the
 * clock or more than a day back, or before its group (handled late), a wait that would end too soon after the digest,
 * every part claimed or full. `alone`: asked alone whatever the group (a retry that says what it replaces, which only
 * its own e-mail does), unless an earlier attempt with this token decided otherwise.
 */
export async function groupApprovalRequest(incident: Incident, taskToken: string, deps: ApprovalGroupDeps, alone = false): Promise<{ start: string; end: string; part: number } | null> {
  if (incident.source !== 'cloudwatch') return null;
  // Remembered by incident and token: a retry is found again, and a re-driven execution's new token is a request of its own.
  const request = { incidentId: `${incident.id}:${shortHash(taskToken)}`, member: requestMember(incident.id, taskToken) };
  // Grouped by the code before session 44 (its timeline only): kept as the decision, so every reader finds it (attack-46a A1).
  const found = await askingOf(incident, taskToken, deps);
  const decided = found && (found.onTimelineOnly ? await decideRequestAsking(incident, taskToken, found.asking, deps) : found.asking);
  if (decided) return decided.alone ? null : nameRequest(decided.groupStart, request, deps);
  const start = alone ? null : await groupToJoin(incident, deps);
  const asking = await decideRequestAsking(incident, taskToken, start ? { alone: false, groupStart: start } : { alone: true }, deps);
  if (asking.alone) return null;
  // The digest is due only for a window with repeats: its first part is opened by a marker, so every request is one.
  const marker = { incidentId: `${groupDigestKey(asking.groupStart, 1, APPROVAL_REQUESTS)}:opened`, member: `(approval requests grouped with the request at ${asking.groupStart})` };
  await deps.escalationLedger.record(groupDigestEntry(asking.groupStart, 1, marker, true, APPROVAL_REQUESTS));
  await deps.incidents.update(incident.id, {}, { history: [{ at: deps.clock().toISOString(), event: GROUPED, detail: `${asking.groupStart} ${shortHash(taskToken)}` }] });
  return nameRequest(asking.groupStart, request, deps);
}

/**
 * The start of the group whose later place `incident`'s request takes (see {@link groupApprovalRequest}); null when it
 * is asked alone: the lead, an alarm fired ahead of the clock, more than a day back or before its group, a wait that
 * would end too soon after the digest.
 */
async function groupToJoin(incident: Incident, deps: ApprovalGroupDeps): Promise<string | null> {
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
  return start;
}

/**
 * When a digest of the group that the request of `incident`'s wait on `taskToken` was grouped on, naming it, was
 * claimed to be sent: it may have e-mailed it (whether it did, the records of what it asked say only until it is
 * marked sent); null when the request was not grouped, or no part naming it was claimed. For a retry with a new token,
 * whose e-mail must say what it replaces as every other retry's does (session 43 review, defect 2).
 */
export async function groupMailedAt(incident: Pick<Incident, 'id' | 'history'>, taskToken: string, deps: Pick<ApprovalGroupDeps, 'escalationLedger'>): Promise<PublishMark | null> {
  const asking = (await askingOf(incident, taskToken, deps))?.asking;
  if (!asking || asking.alone) return null;
  const member = requestMember(incident.id, taskToken);
  for (let part = 1; part <= MAX_GROUP_DIGEST_PARTS; part += 1) {
    const at = await deps.escalationLedger.digestClaimedNaming(groupDigestKey(asking.groupStart, part, APPROVAL_REQUESTS), member);
    if (at) return { at, certain: false };
  }
  return null;
}

/** Names `request` on the digest of the group that started at `start`: where, or null when every part was claimed or full. */
async function nameRequest(start: string, request: { incidentId: string; member: string }, deps: ApprovalGroupDeps): Promise<{ start: string; end: string; part: number } | null> {
  const named = await nameOnGroupDigest(start, request, deps, APPROVAL_REQUESTS);
  return named ? { start, end: new Date(Date.parse(start) + ALARM_GROUP_MINUTES * 60_000).toISOString(), part: named.part } : null;
}
