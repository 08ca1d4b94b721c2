import { describe, expect, it } from 'vitest';
import { type TaskHandler, pipelineDefinition, runPipelineToEnd } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL run by the interpreter with stand-in tasks: an experiment arm's `delaySeconds` holds the
 * execution in a Wait state between planning a re-run and applying it (no sleeping Lambda).
 */
const definition = pipelineDefinition;

const run = (overrides: Record<string, TaskHandler>, waitMs?: number) =>
  runPipelineToEnd(overrides, waitMs === undefined ? {} : { WaitBeforeRerun: waitMs });

describe('incident pipeline: a delayed re-run', () => {
  it('waits the seconds the remediate step returned, then applies in ApplyAfterDelay and notifies', async () => {
    // Act: no override, so the Wait state really waits its SecondsPath
    const { states, calls, elapsedMs } = await run({ Remediate: async () => ({ awaitingApproval: false, awaitingDelay: true, delaySeconds: 1 }) });

    // Assert
    expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'ApplyAfterDelay', 'Notify']);
    expect(elapsedMs).toBeGreaterThanOrEqual(950);
    // The second remediate call sees the first one's result, which is how it knows the wait is over.
    expect(calls.find((c) => c.state === 'ApplyAfterDelay')?.input).toMatchObject({ remediation: { awaitingDelay: true, delaySeconds: 1 } });
  });

  it('goes straight to Notify when nothing waits (and when an older remediate result has no awaitingDelay)', async () => {
    const plain = await run({});
    const older = await run({ Remediate: async () => ({ awaitingApproval: false }) });

    expect(plain.states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'Notify']);
    expect(older.states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'Notify']);
  });

  it('still notifies when the delayed apply fails, with the error at $.remediateError', async () => {
    // Act
    const { states, calls } = await run(
      {
        Remediate: async () => ({ awaitingApproval: false, awaitingDelay: true, delaySeconds: 30 }),
        ApplyAfterDelay: async () => Promise.reject(Object.assign(new Error('boom'), { name: 'ValidationError' })),
      },
      0,
    );

    // Assert
    expect(states.slice(-2)).toEqual(['ApplyAfterDelay', 'Notify']);
    expect(calls.at(-1)?.input).toMatchObject({ remediateError: { Error: 'ValidationError' } });
  });

  it('waits again when the write budget refused the re-run after the wait, then notifies once it was applied', async () => {
    // Prepare: the first remediate and the first delayed apply are refused by the budget; the second apply re-runs
    let applies = 0;
    const budgetWait = (round: number) => ({ awaitingApproval: false, awaitingDelay: true, delaySeconds: 40, budgetWaitSince: '2026-01-01T00:00:00.000Z', budgetWaitRounds: round });

    // Act
    const { states, calls } = await run(
      {
        Remediate: async () => budgetWait(1),
        ApplyAfterDelay: async () => (++applies === 1 ? budgetWait(2) : { awaitingApproval: false, awaitingDelay: false, applied: true }),
      },
      0,
    );

    // Assert
    expect(states).toEqual(['Classify', 'KnowledgeLookup', 'Analyze', 'Remediate', 'ApplyAfterDelay', 'ApplyAfterDelay', 'Notify']);
    expect(calls.filter((c) => c.state === 'ApplyAfterDelay').map((c) => (c.input as { remediation: { budgetWaitRounds: number } }).remediation.budgetWaitRounds)).toEqual([1, 2]);
  });

  it('reads the wait from the remediate result and retries the delayed apply like the other remediate tasks', () => {
    const states = definition.States as Record<string, Record<string, unknown>>;
    expect(states.WaitBeforeRerun).toMatchObject({ Type: 'Wait', SecondsPath: '$.remediation.delaySeconds', Next: 'ApplyAfterDelay' });
    expect(states.ApplyAfterDelay).toMatchObject({ Type: 'Task', ResultPath: '$.remediation', Next: 'NeedsApproval' });
    expect(states.ApplyAfterDelay?.Retry).toEqual(states.ApplyApproved?.Retry);
    expect(states.ApplyAfterDelay?.Catch).toEqual(states.ApplyApproved?.Catch);
  });
});
