import { describe, expect, it } from 'vitest';
import { runsEpisodeRunbook } from '../../../shared/domain/alarm-incident.js';
import type { Incident, StoredPlan } from '../../../shared/domain/incident.js';
import { alarm } from '../../support/incident-states.js';

/**
 * Which earlier open incident of an alarm the second incident of one unbroken episode (ALARM, INSUFFICIENT_DATA, ALARM)
 * counts its runbook on (shared/domain/alarm-incident.ts, `runsEpisodeRunbook`): one run per episode.
 */
const plan = (fields: Partial<StoredPlan> = {}): StoredPlan => ({
  action: 'run_runbook', proposed: 'run_runbook', reasons: [], requiresApproval: false, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:05.000Z', ...fields,
});
const first = (fields: Partial<Incident> = {}) => alarm({ id: 'cw-first', status: 'analyzed', failedAt: '2026-11-20T10:00:00.000Z', plan: plan(), ...fields });
const second = alarm({ id: 'cw-second', failedAt: '2026-11-20T10:07:00.000Z' });
const decided = (action: 'run_runbook' | 'escalate', applied: boolean) => ({ action, reason: '', applied, result: '', dryRun: false, decidedAt: '2026-11-20T10:03:00.000Z' });

describe('the runbook an unbroken episode counts on', () => {
  it('is the earlier incident whose runbook is running (its plan stored, no decision yet)', () => {
    expect(runsEpisodeRunbook(first(), second)).toBe(true);
  });

  it('is the earlier incident whose runbook ran, applied or failed (a failed one paged)', () => {
    expect(runsEpisodeRunbook(first({ status: 'remediated', decision: decided('run_runbook', true) }), second)).toBe(true);
    expect(runsEpisodeRunbook(first({ status: 'remediated', decision: decided('run_runbook', false) }), second)).toBe(true);
  });

  it('is not one whose runbook was only proposed, was a dry run, or was decided against', () => {
    expect(runsEpisodeRunbook(first({ status: 'awaiting_approval' }), second)).toBe(false);
    expect(runsEpisodeRunbook(first({ plan: plan({ dryRun: true }) }), second)).toBe(false);
    expect(runsEpisodeRunbook(first({ decision: decided('escalate', false) }), second)).toBe(false);
    expect(runsEpisodeRunbook(first({ plan: plan({ action: 'escalate' }) }), second)).toBe(false);
  });

  it('is not a later, resolved or the same incident', () => {
    expect(runsEpisodeRunbook(first({ failedAt: '2026-11-20T10:08:00.000Z' }), second)).toBe(false);
    expect(runsEpisodeRunbook(first({ status: 'resolved' }), second)).toBe(false);
    expect(runsEpisodeRunbook(first({ id: 'cw-second' }), second)).toBe(false);
  });

  it('of two fired at the same time, exactly one runs it', () => {
    const a = first({ id: 'cw-a', failedAt: '2026-11-20T10:07:00.000Z' });
    const b = first({ id: 'cw-b', failedAt: '2026-11-20T10:07:00.000Z' });
    expect([runsEpisodeRunbook(a, b), runsEpisodeRunbook(b, a)]).toEqual([true, false]);
  });
});
