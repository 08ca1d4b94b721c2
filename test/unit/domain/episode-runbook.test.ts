import { describe, expect, it } from 'vitest';
import { episodeRunbookClaimStands, episodeRunbookIncident, notEndedByOk, runbookHolderStarting, runbookStartUnconfirmed } from '../../../shared/domain/alarm-incident.js';
import type { Incident, StoredPlan } from '../../../shared/domain/incident.js';
import { alarm } from '../../support/incident-states.js';

/**
 * Which earlier open incident of an alarm the second incident of one unbroken episode (ALARM, INSUFFICIENT_DATA, ALARM)
 * counts its runbook on (shared/domain/alarm-incident.ts, `episodeRunbookIncident`): one run per episode, and the
 * runbook check of the same incident pages for it.
 */
const plan = (fields: Partial<StoredPlan> = {}): StoredPlan => ({
  action: 'run_runbook', proposed: 'run_runbook', reasons: [], requiresApproval: false, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:05.000Z', ...fields,
});
const first = (fields: Partial<Incident> = {}) => alarm({ id: 'cw-first', status: 'analyzed', failedAt: '2026-11-20T10:00:00.000Z', plan: plan(), ...fields });
const second = alarm({ id: 'cw-second', failedAt: '2026-11-20T10:07:00.000Z' });
/** Whether `second` counts on `earlier`'s runbook run: the one rule remediate and the runbook check go by. */
const countsOn = (earlier: Incident, incident: Incident) => episodeRunbookIncident([earlier], incident)?.id === earlier.id && earlier.id !== incident.id;
const ATTEMPTED = '2026-11-20T10:00:06.000Z';
const decided = (action: 'run_runbook' | 'escalate', applied: boolean) => ({ action, reason: '', applied, result: '', dryRun: false, decidedAt: '2026-11-20T10:03:00.000Z' });
/** A failed runbook step's decision, recorded saying it had not gone to its start (session 42). */
const failedUnmarked = () => ({ ...decided('run_runbook', false), failedBeforeRunbookStart: true });

describe('the runbook an unbroken episode counts on', () => {
  it('is the earlier incident whose runbook is running (its plan stored, no decision yet)', () => {
    expect(countsOn(first(), second)).toBe(true);
  });

  it('is the earlier incident whose runbook ran, applied or failed after its step went to start it (a failed one paged)', () => {
    expect(countsOn(first({ status: 'remediated', decision: decided('run_runbook', true) }), second)).toBe(true);
    expect(countsOn(first({ status: 'remediated', runbookStartAttemptedAt: ATTEMPTED, decision: decided('run_runbook', false) }), second)).toBe(true);
  });

  it('is the earlier incident whose step went to start the runbook, whatever it decided after (attack-44b R1, R2)', () => {
    // Its run still going when the step stopped following it, or finished Failed: both decide `escalate` (applied).
    expect(countsOn(first({ status: 'notified', runbookStartAttemptedAt: ATTEMPTED, runbookExecutionId: 'exec-1', decision: decided('escalate', true) }), second)).toBe(true);
    expect(countsOn(first({ status: 'notified', runbookStartAttemptedAt: ATTEMPTED, decision: decided('escalate', false) }), second)).toBe(true);
    // A retry after the start re-planned something else (the breaker its own failed run opened) and stored that plan.
    expect(countsOn(first({ status: 'notified', plan: plan({ action: 'escalate' }), runbookExecutionId: 'exec-1', decision: decided('escalate', true) }), second)).toBe(true);
    expect(episodeRunbookClaimStands(first({ status: 'notified', runbookExecutionId: 'exec-1', decision: decided('escalate', true) }), null)).toBe(true);
  });

  it('is not one whose runbook step failed before it went to start the runbook (session 42)', () => {
    expect(countsOn(first({ status: 'notified', decision: failedUnmarked() }), second)).toBe(false);
  });

  it('is one whose failed runbook decision was recorded before steps marked their start: it may have started it (attack-44b R11)', () => {
    expect(countsOn(first({ status: 'notified', decision: decided('run_runbook', false) }), second)).toBe(true);
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: decided('run_runbook', false) }), null)).toBe(true);
    // Counted on, not started again: with no marker its start is no question for the later incident to make again.
    expect(runbookStartUnconfirmed(first({ status: 'notified', decision: decided('run_runbook', false) }))).toBe(false);
  });

  it('is the earlier incident whose approved step took the claim, before it went to start the runbook (session 42)', () => {
    expect(countsOn(first({ status: 'awaiting_approval', runbookClaimedAt: ATTEMPTED }), second)).toBe(true);
    expect(countsOn(first({ status: 'notified', runbookClaimedAt: ATTEMPTED }), second)).toBe(false);
  });

  it('is not one whose runbook was only proposed, was a dry run, or was decided against', () => {
    expect(countsOn(first({ status: 'awaiting_approval' }), second)).toBe(false);
    expect(countsOn(first({ plan: plan({ dryRun: true }) }), second)).toBe(false);
    expect(countsOn(first({ decision: decided('escalate', false) }), second)).toBe(false);
    expect(countsOn(first({ plan: plan({ action: 'escalate' }) }), second)).toBe(false);
  });

  it('is not a later, resolved or the same incident', () => {
    expect(countsOn(first({ failedAt: '2026-11-20T10:08:00.000Z' }), second)).toBe(false);
    expect(countsOn(first({ status: 'resolved' }), second)).toBe(false);
    expect(countsOn(first({ id: 'cw-second' }), second)).toBe(false);
  });

  it('of two fired at the same time, exactly one runs it', () => {
    const a = first({ id: 'cw-a', failedAt: '2026-11-20T10:07:00.000Z' });
    const b = first({ id: 'cw-b', failedAt: '2026-11-20T10:07:00.000Z' });
    expect([countsOn(a, b), countsOn(b, a)]).toEqual([true, false]);
  });
});

describe('one rule for the run and for its check', () => {
  const ran = (id: string, failedAt: string) => first({ id, failedAt, status: 'notified', decision: decided('run_runbook', true) });

  it('names the incident itself when no earlier one of its episode started the runbook (its own check pages)', () => {
    const self = ran('cw-self', '2026-11-20T10:07:00.000Z');
    expect(episodeRunbookIncident([self, ran('cw-later', '2026-11-20T10:09:00.000Z')], self)?.id).toBe('cw-self');
    expect(episodeRunbookIncident([first({ id: 'cw-asked', status: 'awaiting_approval' })], self)?.id).toBe('cw-self');
  });

  it('names the earliest that started it, running or ran, whichever incident of the episode asks', () => {
    const running = first({ id: 'cw-running', failedAt: '2026-11-20T10:01:00.000Z' });
    const open = [ran('cw-b', '2026-11-20T10:07:00.000Z'), running, ran('cw-c', '2026-11-20T10:09:00.000Z')];
    for (const incident of open) expect(episodeRunbookIncident(open, incident)?.id).toBe('cw-running');
  });

  it('names none for an incident that did not start it and has no earlier one that did', () => {
    expect(episodeRunbookIncident([], second)).toBeNull();
    expect(episodeRunbookIncident([first({ failedAt: '2026-11-20T10:08:00.000Z' })], second)).toBeNull();
  });
});

describe('the holder of an alarm’s runbook claim', () => {
  const ok = (at: string) => new Date(at);

  it('stands while its runbook is running or ran and no OK came since it fired', () => {
    expect(episodeRunbookClaimStands(first(), null)).toBe(true);
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: decided('run_runbook', true) }), ok('2026-11-20T09:59:59.000Z'))).toBe(true);
    expect(episodeRunbookClaimStands(first({ status: 'remediated', runbookStartAttemptedAt: ATTEMPTED, decision: decided('run_runbook', false) }), null)).toBe(true);
  });

  it('stands while its execution has not decided yet (a retried or resumed step starts the runbook)', () => {
    for (const status of ['received', 'classified', 'analyzed'] as const) expect(episodeRunbookClaimStands(first({ status, plan: undefined }), null), status).toBe(true);
  });

  it('does not stand once an OK ended its episode, whether or not that OK resolved it', () => {
    expect(episodeRunbookClaimStands(first({ status: 'resolved', decision: decided('run_runbook', true) }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: decided('run_runbook', true) }), ok('2026-11-20T10:00:00.000Z'))).toBe(false);
  });

  it('stands while the runbook it was approved to run is followed: its start answered, its decision not yet recorded (session 41)', () => {
    expect(episodeRunbookClaimStands(first({ status: 'awaiting_approval', runbookExecutionId: 'exec-1' }), null)).toBe(true);
  });

  it('stands once its approved step went to start the runbook, before the start answered (attack-43a F1)', () => {
    expect(episodeRunbookClaimStands(first({ status: 'awaiting_approval', runbookStartAttemptedAt: ATTEMPTED }), null)).toBe(true);
  });

  it('stands once its approved step took the claim, before it went to start the runbook (session 42)', () => {
    expect(episodeRunbookClaimStands(first({ status: 'awaiting_approval', runbookClaimedAt: ATTEMPTED }), null)).toBe(true);
  });

  it('stands from the claim an approved step took, which its claim item says, before its runbookClaimedAt is written (attack-44b R12)', () => {
    expect(episodeRunbookClaimStands(first({ status: 'awaiting_approval' }), null, true)).toBe(true);
    expect(episodeRunbookClaimStands(first({ status: 'notified' }), null, true)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: failedUnmarked() }), null, true)).toBe(false);
  });

  it('does not stand when it ended without starting the runbook, waits for an approval, or is gone', () => {
    // Its runbook step failed before it went to start it, on every try (session 42), approved or not.
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: failedUnmarked() }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', runbookClaimedAt: ATTEMPTED, decision: failedUnmarked() }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', runbookClaimedAt: ATTEMPTED }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', plan: undefined }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'notified', decision: decided('escalate', false) }), null)).toBe(false);
    // Its plan stored, its step ended before it went to start the runbook (its Catch's Notify recorded no decision).
    expect(episodeRunbookClaimStands(first({ status: 'notified' }), null)).toBe(false);
    expect(episodeRunbookClaimStands(first({ status: 'awaiting_approval' }), null)).toBe(false);
    expect(episodeRunbookClaimStands(null, null)).toBe(false);
  });
});

describe("whether the start of the runbook an episode counts on is not known to have happened (session 41)", () => {
  it('is not known once its step went to start it and neither its execution nor an applied decision is recorded, or its step recorded a failure', () => {
    expect(runbookStartUnconfirmed(first({ runbookStartAttemptedAt: ATTEMPTED }))).toBe(true);
    expect(runbookStartUnconfirmed(first({ status: 'notified', runbookStartAttemptedAt: ATTEMPTED }))).toBe(true);
    expect(runbookStartUnconfirmed(first({ status: 'notified', runbookStartAttemptedAt: ATTEMPTED, decision: decided('run_runbook', false) }))).toBe(true);
    expect(runbookStartUnconfirmed(first({ status: 'awaiting_approval', runbookStartAttemptedAt: ATTEMPTED }))).toBe(true);
  });

  it('is no question before its step went to start it: the step may yet refuse (attack-43a F3)', () => {
    expect(runbookStartUnconfirmed(first())).toBe(false);
    expect(runbookStartUnconfirmed(first({ status: 'notified' }))).toBe(false);
  });

  it('is known once its start answered an execution or its run was decided applied', () => {
    expect(runbookStartUnconfirmed(first({ runbookExecutionId: 'exec-1' }))).toBe(false);
    expect(runbookStartUnconfirmed(first({ status: 'notified', runbookExecutionId: 'exec-1', decision: decided('run_runbook', false) }))).toBe(false);
    expect(runbookStartUnconfirmed(first({ status: 'remediated', decision: decided('run_runbook', true) }))).toBe(false);
  });

  it('is no question for one that started nothing: only proposed, a dry run, or decided against', () => {
    expect(runbookStartUnconfirmed(first({ status: 'awaiting_approval' }))).toBe(false);
    expect(runbookStartUnconfirmed(first({ plan: plan({ dryRun: true }) }))).toBe(false);
    expect(runbookStartUnconfirmed(first({ decision: decided('escalate', true) }))).toBe(false);
  });
});

describe('the open incidents of an alarm that no OK has ended', () => {
  it('leaves out those that fired at or before the latest OK (an OK resolves the 25 newest only), and keeps the rest', () => {
    const before = first({ id: 'cw-before', failedAt: '2026-11-20T10:00:00.000Z' });
    const at = first({ id: 'cw-at', failedAt: '2026-11-20T10:30:00.000Z' });
    const after = first({ id: 'cw-after', failedAt: '2026-11-20T11:00:00.000Z' });
    expect(notEndedByOk([after, at, before], new Date('2026-11-20T10:30:00.000Z')).map((i) => i.id)).toEqual(['cw-after']);
    expect(notEndedByOk([after, at, before], null).map((i) => i.id)).toEqual(['cw-after', 'cw-at', 'cw-before']);
  });
});

describe('a holder between its claim and its start (attack-44b R6, session 42)', () => {
  it('is one whose step runs towards its start without having gone to it: automatic by its status, approved by its claim', () => {
    expect(runbookHolderStarting(first())).toBe(true);
    expect(runbookHolderStarting(first({ status: 'awaiting_approval', runbookClaimedAt: ATTEMPTED }))).toBe(true);
    // Approved, its claim item says so before its runbookClaimedAt is written (R12).
    expect(runbookHolderStarting(first({ status: 'awaiting_approval' }), true)).toBe(true);
  });

  it('is not one that went to its start, decided, ended, or only waits for an approval', () => {
    expect(runbookHolderStarting(first({ runbookStartAttemptedAt: ATTEMPTED }))).toBe(false);
    expect(runbookHolderStarting(first({ runbookExecutionId: 'exec-1' }))).toBe(false);
    expect(runbookHolderStarting(first({ status: 'remediated', decision: decided('run_runbook', true) }))).toBe(false);
    expect(runbookHolderStarting(first({ status: 'remediated', decision: failedUnmarked() }))).toBe(false);
    expect(runbookHolderStarting(first({ status: 'notified' }), true)).toBe(false);
    expect(runbookHolderStarting(first({ status: 'resolved' }), true)).toBe(false);
    expect(runbookHolderStarting(first({ status: 'awaiting_approval' }))).toBe(false);
  });
});
