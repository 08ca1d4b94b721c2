import { describe, expect, it } from 'vitest';
import { type TaskHandler, pipelineDefinition, runPipelineToEnd } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL run by the interpreter with stand-in tasks: a PR comment the write budget refused waits in
 * WaitForWriteBudget and Notify runs again with its previous result, until the comment is posted — no fallback
 * e-mail, no failed execution.
 */
const definition = pipelineDefinition;
type Handler = TaskHandler;

const run = (notify: Handler, waitMs?: number, remediate?: Handler) =>
  runPipelineToEnd({ Notify: notify, ...(remediate ? { Remediate: remediate } : {}) }, waitMs === undefined ? {} : { WaitForWriteBudget: waitMs });

/** Notify as the step behaves: pending for the first `spent` rounds (counting them from `$.notify`), then posted. */
function notifyPendingFor(spent: number, waitSeconds: number): Handler {
  return async (value) => {
    const previous = (value as { notify?: { commentPending?: boolean; pendingRounds?: number } }).notify;
    const round = previous?.commentPending ? (previous.pendingRounds ?? 0) + 1 : 1;
    if (round <= spent) return { incidentId: 'gh-1-2-1', status: 'remediated', notifications: 1, commentPending: true, waitSeconds, pendingSince: '2026-01-01T00:00:00.000Z', pendingRounds: round };
    return { incidentId: 'gh-1-2-1', status: 'notified', notifications: 2, commentPending: false };
  };
}

describe('incident pipeline: a PR comment waiting for the write budget', () => {
  it('waits the seconds Notify returned, runs Notify again with its previous result, and ends with the comment posted', async () => {
    // Act: no override, so the Wait state really waits its SecondsPath (1 s per round)
    const { states, calls, output, elapsedMs } = await run(notifyPendingFor(2, 1));

    // Assert
    expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'Notify', 'Notify', 'Notify']);
    expect(elapsedMs).toBeGreaterThanOrEqual(1900);
    const notifyInputs = calls.filter((c) => c.state === 'Notify').map((c) => (c.input as { notify?: unknown }).notify ?? null);
    expect(notifyInputs).toEqual([null, expect.objectContaining({ pendingRounds: 1 }), expect.objectContaining({ pendingRounds: 2 })]);
    expect(output.notify).toMatchObject({ status: 'notified', commentPending: false });
    expect(output).not.toHaveProperty('notifyError');
    expect(states).not.toContain('RecordNotifyFailed');
  });

  it('ends at once when Notify posted (and when an older Notify result has no commentPending)', async () => {
    const posted = await run(notifyPendingFor(0, 1));
    const older = await run(async () => ({ incidentId: 'gh-1-2-1', status: 'notified', notifications: 1 }));

    expect(posted.states.filter((s) => s === 'Notify')).toHaveLength(1);
    expect(older.states.filter((s) => s === 'Notify')).toHaveLength(1);
  });

  it('does not retry a WriteBudgetExhaustedError in Notify (the step turns it into a wait) and never e-mails a content-free fallback for a wait', async () => {
    // Many rounds with the wait shortened: the loop is the state machine's, the bound is the step's.
    const { states } = await run(notifyPendingFor(25, 600), 0);

    expect(states.filter((s) => s === 'Notify')).toHaveLength(26);
    expect(states).not.toContain('RecordNotifyFailed');
    const notify = definition.States.Notify as { Retry: Array<{ ErrorEquals: string[] }>; Next: string };
    expect(notify.Retry.flatMap((r) => r.ErrorEquals)).not.toContain('WriteBudgetExhaustedError');
    expect(notify.Next).toBe('CommentPending');
    expect(definition.States.WaitForWriteBudget).toMatchObject({ Type: 'Wait', SecondsPath: '$.notify.waitSeconds', Next: 'Notify' });
  });

  it('lets a write of remediation refused by the budget retry far longer than a transient error, so the budget alone pages nobody', async () => {
    // More refusals than the transient retrier's 3 attempts: before, the fourth went to Catch and escalated.
    let refusals = 0;
    const remediate: Handler = async () => {
      if (refusals < 12) {
        refusals += 1;
        throw Object.assign(new Error('GitHub write budget spent for token'), { name: 'WriteBudgetExhaustedError' });
      }
      return { awaitingApproval: false, awaitingDelay: false, action: 'rerun_failed_jobs', applied: true };
    };

    const { states, output } = await run(notifyPendingFor(0, 1), undefined, remediate);

    expect(states.filter((s) => s === 'Remediate')).toHaveLength(13);
    expect(output).not.toHaveProperty('remediateError');
    expect(output.remediation).toMatchObject({ applied: true });
    expect(states).not.toContain('RecordNotifyFailed');
  });
});
