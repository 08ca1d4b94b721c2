/**
 * The incident fields a CloudWatch alarm trigger determines on its own, as github-incident.ts does for GitHub:
 * used by ingest (which stores the incident before the execution starts), classify and notify.
 */
import type { AlarmDetails, HistoryEntry, Incident } from './incident.js';
import { alarmShape } from './alarm-shape.js';
import { CLOCK_SKEW_MS, EARLIEST_EVENT_TIME, eventTimeAt, untrustedDetail } from './event-time.js';
import { failureTimeOf, firedAtOf, secondsToRecovery } from './recovery.js';
import { type AlarmEvent, type AlarmTrigger, alarmArnOf, alarmScope } from './trigger.js';
import { redactSecrets } from '../logs/redact.js';

/** What the alarm is and measures, from its state-change event. */
export function alarmDetails(trigger: AlarmTrigger): AlarmDetails {
  const { event } = trigger;
  const shape = alarmShape(event);
  return {
    name: event.detail.alarmName,
    arn: alarmArnOf(event),
    account: event.account,
    region: event.region,
    state: event.detail.state.value,
    previousState: event.detail.previousState?.value ?? null,
    reason: safeRedact(event.detail.state.reason),
    stateChangedAt: event.detail.state.timestamp,
    ...shape,
    description: shape.description ? safeRedact(shape.description) : null,
  };
}

/**
 * The incident fields of an alarm trigger handled at `now`: its details (reason and description redacted) and when it
 * fired (see {@link stateChangedAtOf}); a stamp too far ahead of `now` to trust is kept in its history.
 */
export function alarmIncidentFields(trigger: AlarmTrigger, now: Date): Pick<Incident, 'id' | 'source'> & Partial<Incident> {
  const alarm = alarmDetails(trigger);
  const changed = stateChangedAtOf(trigger.event, now);
  return {
    id: trigger.incidentId,
    source: 'cloudwatch',
    alarm: changed?.aheadStamp ? { ...alarm, stampAhead: true } : changed?.earlyStamp ? { ...alarm, stampEarly: true } : alarm,
    ...(changed ? { failedAt: changed.at.toISOString() } : {}),
    ...(changed && untrustedStamp(changed)
      ? { history: [{ at: now.toISOString(), event: 'received' }, { at: now.toISOString(), event: changed.aheadStamp ? 'alarm_time_ahead' : 'alarm_time_too_early', detail: aheadDetail(changed) }] }
      : {}),
  };
}

/** An alarm event's time as read by {@link stateChangedAtOf}. */
export interface AlarmEventTime {
  at: Date;
  /** The event's own stamp, when it was more than CLOCK_SKEW_MS ahead of the handling clock (`at` is that clock's time). */
  aheadStamp?: string;
  /** The event's own stamp, when it was before {@link EARLIEST_EVENT_TIME} (`at` is the handling clock's time). */
  earlyStamp?: string;
}

/** The event's own stamp when it was not trusted (ahead of the clock, or too early), else undefined. */
export const untrustedStamp = (time: AlarmEventTime): string | undefined => time.aheadStamp ?? time.earlyStamp;

/** The history or log line of an alarm event read at the handling time because its stamp was ahead, or too early. */
export function aheadDetail(time: AlarmEventTime): string {
  return untrustedDetail("the alarm event's time", untrustedStamp(time), { at: time.at, untrusted: time.earlyStamp ? 'early' : 'ahead' });
}

/**
 * When the alarm changed state, as read at `now` (the handling clock): `detail.state.timestamp` (CloudWatch's
 * `2026-11-20T10:00:00.000+0000`), else the event's `time`; null when neither reads as a time. Events of one alarm are
 * ordered by this, never by arrival: EventBridge retries a target for up to 2 hours, so an OK can arrive before the
 * ALARM it ended, or again later, with its past time. A time more than {@link CLOCK_SKEW_MS} ahead of `now` is
 * not trusted and reads as `now` (with `aheadStamp`): no real state change is in the future, while a stamp a day ahead
 * (a hand-made event POSTed to the local runtime, a replay tool that restamps) ordered after every real event until
 * then: an ALARM held the alarm's runbook claim past every real OK, an OK silenced every real ALARM (attack-42b G1, G3).
 * A time before {@link EARLIEST_EVENT_TIME} is no CloudWatch stamp either, and reads as `now` the same way (`earlyStamp`):
 * this keeps the incident's `failedAt`, by which its OKs, open ALARMs and episodes are ordered, on a real time. It is
 * not the guard of attack-43b F6 (Notify crashing on a stamp at the earliest time a Date holds): `alarm.stateChangedAt`
 * keeps the raw stamp, and the alarm group that crashed reads it; groupAlarmPage (shared/notify/page-claims.ts)
 * bounds it before any arithmetic, and carries F6.
 */
export function stateChangedAtOf(event: AlarmEvent, now: Date): AlarmEventTime | null {
  for (const text of [event.detail.state.timestamp, event.time]) {
    const { at, untrusted } = eventTimeAt(text, now);
    if (untrusted === 'unreadable') continue;
    return untrusted === 'ahead' ? { at, aheadStamp: text } : untrusted === 'early' ? { at, earlyStamp: text } : { at };
  }
  return null;
}

/**
 * Whether an OK of the alarm at `okAt` ended this ALARM, handled at `now`: it came at or after the ALARM's state change.
 * Never when either time is unknown (an ALARM whose time cannot be read is handled as it always was).
 */
export function alarmOverBy(event: AlarmEvent, okAt: Date | null, now: Date): boolean {
  const firedAt = stateChangedAtOf(event, now);
  // As alarmOkLeavesOpen reads a stored incident: an ALARM read at the handling time (its stamp ahead) is ended by an
  // OK up to CLOCK_SKEW_MS before it, whichever of the two was handled first.
  const allowance = firedAt && untrustedStamp(firedAt) ? CLOCK_SKEW_MS : 0;
  return firedAt !== null && okAt !== null && okAt.getTime() >= firedAt.at.getTime() - allowance;
}

/**
 * Why an OK at `okAt` does not end an open alarm incident, or null when it does: the incident's ALARM came after
 * it (a late or redelivered OK from before the alarm fired again), so it is a newer ALARM that OK knows nothing of.
 */
export function alarmOkLeavesOpen(incident: Pick<Incident, 'failedAt' | 'createdAt' | 'alarm'>, okAt: Date): string | null {
  const firedAt = failureTimeOf(incident);
  // An ALARM whose stamp was ahead was read as the time it was handled, on a clock that agrees with CloudWatch's only
  // within CLOCK_SKEW_MS: an OK stamped less than that before is not known to be older, and ends it (else the
  // alarm's real OK, a moment before, left it holding the runbook claim: attack-42b G1).
  const allowance = incident.alarm?.stampAhead || incident.alarm?.stampEarly ? CLOCK_SKEW_MS : 0;
  if (Number.isNaN(firedAt) || firedAt - allowance <= okAt.getTime()) return null;
  return `the OK at ${okAt.toISOString()} is older than the alarm at ${new Date(firedAt).toISOString()}`;
}

/**
 * The fields (and history entry) that record an alarm incident as resolved by an OK noted before `stage` handled
 * its ALARM, as the outcome recorder records an OK (state, time to recovery), with a note of why nothing ran.
 */
export function recoveredAlarmFields(
  incident: Pick<Incident, 'alarm' | 'failedAt' | 'createdAt'>,
  okAt: Date,
  stage: string,
  now: Date,
): { fields: Pick<Incident, 'status' | 'resolvedAt' | 'timeToRecoverySeconds' | 'resolvedBy'> & Partial<Pick<Incident, 'alarm'>>; history: HistoryEntry } {
  const seconds = secondsToRecovery(incident, okAt);
  const resolvedAt = okAt.toISOString();
  return {
    fields: {
      status: 'resolved',
      resolvedAt,
      timeToRecoverySeconds: seconds,
      resolvedBy: `alarm OK before ${stage}`,
      ...(incident.alarm ? { alarm: { ...incident.alarm, state: 'OK', previousState: incident.alarm.state, stateChangedAt: resolvedAt } } : {}),
    },
    history: {
      at: now.toISOString(),
      event: 'resolved',
      detail: `the alarm was back to OK at ${resolvedAt}, before ${stage} handled this ALARM: nothing was run and nobody paged`,
    },
  };
}

/**
 * An alarm back in ALARM within this many minutes of the OK that ended its previous incident is one flapping episode
 * with it: counted on the page (and the approval request) on-call already has. Later than that it is a new episode,
 * which pages (and asks) again. 15 minutes: a few evaluation periods of a 1- to 5-minute alarm.
 */
export const ALARM_FLAP_MINUTES = 15;

/**
 * How `incident`, an alarm's ALARM, stands to `earlier`, the same alarm's incident that holds its problem's page or
 * approval request, by the alarm's own state-change times (never by arrival): `flap` when it fired again within
 * {@link ALARM_FLAP_MINUTES} of the OK that resolved `earlier`, `new` (a new episode) when later than that; null when
 * `earlier` still fires, either is not an alarm's, or a time is unknown or out of order. An ALARM whose stamp was not
 * trusted (`stampAhead`, `stampEarly`) goes by the time it was read at, its `failedAt`: by its raw stamp one stamped
 * before 2000 fired before every OK (counted on the old episode's page, not paged as new) and one a day ahead was a
 * new episode however soon it flapped (session 42).
 */
export function alarmEpisodeAfter(
  incident: Pick<Incident, 'source' | 'alarm' | 'failedAt' | 'createdAt'>,
  earlier: Pick<Incident, 'source' | 'status' | 'resolvedAt'> | null | undefined,
): 'flap' | 'new' | null {
  if (incident.source !== 'cloudwatch' || earlier?.source !== 'cloudwatch' || earlier.status !== 'resolved' || !earlier.resolvedAt) return null;
  const firedAt = incident.alarm?.stampAhead || incident.alarm?.stampEarly ? failureTimeOf(incident) : firedAtOf(incident);
  const okAt = Date.parse(earlier.resolvedAt);
  if (!Number.isFinite(firedAt) || !Number.isFinite(okAt) || firedAt < okAt) return null;
  return firedAt - okAt < ALARM_FLAP_MINUTES * 60_000 ? 'flap' : 'new';
}

/** Fired first, by the alarm's own state-change time; ties by id, so that of two at once exactly one is first. */
function firedBefore(a: Incident, b: Incident): number {
  const byTime = failureTimeOf(a) - failureTimeOf(b);
  if (byTime) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Statuses of an incident whose execution has not reached its decision yet: a crashed or retried step comes back to it. */
const BEFORE_DECISION: ReadonlySet<Incident['status']> = new Set(['received', 'classified', 'analyzed']);

/**
 * Whether `incident`'s runbook started or is starting: planned for real (not a dry run), and not decided otherwise.
 * The runbook started once its step went to start it (`runbookStartAttemptedAt`, or the execution its start answered),
 * whatever was decided or planned after: a decision that the step failed then says nothing of the start (a timeout of
 * the start is no answer), and neither does `escalate` for a run still going when the step stopped following it or
 * one that finished Failed (attack-44b R1, R2: read as no run, the episode's next ALARM started a second), nor a
 * retry's plan stored after the start. One decided without going to its start started nothing: its runbook step failed
 * before it (the rate-limit reservation timed out on every try; session 42: read as started, it left its episode with
 * no run at all), as its decision says (`failedBeforeRunbookStart`). A failed decision that does not say so, recorded
 * before steps marked their start, counts as a run (attack-44b R11): its start may have been made with its answer
 * lost, and a second restart is an action nobody asked for, while its failure paged on-call already.
 * Before a decision it is starting while its step still runs towards the start: an automatic step by its status
 * (BEFORE_DECISION: a retried or resumed step comes back to it), an approved one once it took the claim
 * (`runbookClaimedAt`; its status still says it waits). One only proposed (an approval request still waiting, refused
 * or timed out) started nothing, and neither did one approved that has not taken the claim. Nor one whose step ended
 * before its start (its Catch's Notify recorded no decision): a later incident of the episode runs the runbook. An
 * alarm's OK resolves every open incident of the alarm, ending the episode.
 */
function startedItsRunbook(incident: Incident): boolean {
  if (incident.status === 'resolved') return false;
  if (incident.runbookStartAttemptedAt || incident.runbookExecutionId) return true;
  if (incident.plan?.action !== 'run_runbook' || incident.plan.dryRun) return false;
  if (incident.decision) return incident.decision.action === 'run_runbook' && (incident.decision.applied || !incident.decision.failedBeforeRunbookStart);
  return BEFORE_DECISION.has(incident.status) || (incident.status === 'awaiting_approval' && Boolean(incident.runbookClaimedAt));
}

/**
 * Whether the runbook start of `holder`, whose run its alarm's episode counts on, is not known to have happened: its
 * step went to start it (`runbookStartAttemptedAt`), and neither the execution its start answered
 * (`runbookExecutionId`) nor an applied decision was recorded; a decision that its runbook step failed says nothing of
 * the start either (a timeout of the start is no answer). Its start may have failed on every try and the failure's
 * record with it (a Lambda timeout while SSM or DynamoDB hang), its Catch recording no decision (attack-42b G2). The
 * start repeated with its client token tells (`confirmRunbookStart`); asked only here, since SSM documents no time
 * after which it forgets a token, and a start repeated then for a run that did happen would be a second run. Never
 * for a holder that has not gone to its start: its step may yet refuse it (its rate-limit slot taken meanwhile), and a
 * start made for it would run past the limit while it records that nothing ran (attack-43a F3).
 */
export function runbookStartUnconfirmed(holder: Incident): boolean {
  return startedItsRunbook(holder) && Boolean(holder.runbookStartAttemptedAt) && !holder.decision?.applied && !holder.runbookExecutionId;
}

/**
 * Whether `holder`, whose runbook its alarm's episode counts on, is between its claim and its start: its step still
 * runs towards the start (`startedItsRunbook` before a decision: an automatic step by its status, an approved one by
 * its status and its claim) and has neither gone to it (no start marker, no execution) nor decided. Whether it runs
 * the runbook is not known yet: it may still die before its start (its rate-limit reservation timing out on every
 * try), so a later incident of the episode counts on it only once it went to its start, and takes over once it failed
 * before it (attack-44b R6, session 42). `claimedApproved`: the claim item says an approved step took it, before its
 * `runbookClaimedAt` is written (`episodeRunbookClaimStands`).
 */
export function runbookHolderStarting(holder: Incident, claimedApproved = false): boolean {
  if (holder.decision || holder.runbookStartAttemptedAt || holder.runbookExecutionId || holder.status === 'resolved') return false;
  return startedItsRunbook(holder) || (claimedApproved && holder.status === 'awaiting_approval');
}

/**
 * The incident whose runbook `incident`'s unbroken episode counts on (ALARM, INSUFFICIENT_DATA, ALARM: no OK between,
 * as an OK resolves every open incident of the alarm): of `open`, the alarm's open incidents, and `incident` itself,
 * the first to fire, at or before `incident`, whose runbook started or is starting; null when none did. Remediate
 * starts no second run for an incident it names another for; the reconciler claims the page that the runbook did not
 * fix the alarm under the incident it names, so that one episode pages once. One rule for both, so that the incident
 * whose run counts is the one whose check pages.
 */
export function episodeRunbookIncident(open: readonly Incident[], incident: Incident): Incident | null {
  const candidates = [incident, ...open.filter((other) => other.id !== incident.id)];
  const runners = candidates.filter((other) => firedBefore(other, incident) <= 0 && startedItsRunbook(other));
  return runners.sort(firedBefore)[0] ?? null;
}

/**
 * Of an alarm's open incidents, those its latest OK (`latestOk`, as noted for the alarm) has not ended: an OK resolves
 * the 25 newest only (MAX_RESOLVED_PER_EVENT), so the earlier incidents of a longer episode can stay open after the OK
 * that ended it, and would be taken for the next episode's.
 */
export function notEndedByOk(open: readonly Incident[], latestOk: Date | null): Incident[] {
  return latestOk ? open.filter((incident) => alarmOkLeavesOpen(incident, latestOk) !== null) : [...open];
}

/**
 * Whether `holder`, the incident holding its alarm's runbook claim (shared/stores/runbook-checks.ts), still holds it
 * for the episode the alarm is in: its episode has not ended, and it started the runbook or may still start it.
 *
 * Its episode ended when an OK came at or after it fired (`latestOk`, the alarm's latest noted OK; an OK resolves only
 * the 25 newest open incidents, so a holder of a longer episode can be left open by the OK that ended it) or resolved
 * it. It may still start the runbook while its execution has not decided (a step retried, or resumed after a crash
 * between the claim and the start, is granted the claim again). One that ended without starting it (Remediate failed
 * for good before the start and the state machine's Catch went to Notify, or it went to wait for an approval after a
 * retry) holds nothing: a later incident of the episode runs it. Gone (its TTL ran out): nothing either.
 *
 * `claimedApproved`: the claim item says an approved step took it (shared/stores/runbook-checks.ts). Such a holder
 * goes to its start from the write that took the claim, while its status still says it waits for approval: it stands
 * until its decision, before its own `runbookClaimedAt` is written too (attack-44b R12).
 */
export function episodeRunbookClaimStands(holder: Incident | null, latestOk: Date | null, claimedApproved = false): boolean {
  if (!holder || holder.status === 'resolved') return false;
  if (latestOk && alarmOkLeavesOpen(holder, latestOk) === null) return false;
  return startedItsRunbook(holder) || BEFORE_DECISION.has(holder.status) || (claimedApproved && holder.status === 'awaiting_approval');
}

/** An alarm's open incidents read to tell whether it still fires: the OK resolves as many (MAX_RESOLVED_PER_EVENT). */
export const OPEN_ALARM_INCIDENTS_READ = 25;

export function alarmIncidentScope(trigger: AlarmTrigger): string {
  return alarmScope(alarmDetails(trigger).arn);
}

/** Redaction fails closed: if it cannot run, the text is withheld. */
function safeRedact(text: string): string {
  try {
    return redactSecrets(text);
  } catch {
    return '[withheld: redaction unavailable]';
  }
}
