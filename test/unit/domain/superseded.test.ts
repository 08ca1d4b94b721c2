import { describe, expect, it } from 'vitest';
import { type GreenRunNote, supersededFields } from '../../../shared/domain/recovery.js';

/**
 * A failure classified after what supersedes it (shared/domain/recovery.ts, `supersededFields`): a green run judged by
 * the rules of a green run delivered after the failure, or a later attempt of its own run delivered failing.
 */
const NOW = new Date('2026-11-20T12:00:00Z');
const failure = { runId: 500, runAttempt: 1, runNumber: 482, failedAt: '2026-11-20T09:19:47.000Z', createdAt: '2026-11-20T11:59:00.000Z' };

function green(fields: Partial<GreenRunNote> = {}): GreenRunNote {
  return { runId: 500, runAttempt: 2, runNumber: 482, resolvedBy: 'run 500 (attempt 2)', completedAt: new Date('2026-11-20T09:40:00Z'), ...fields };
}

describe('a failure delivered after what supersedes it', () => {
  it('is resolved by a later green attempt of its run, as of that attempt, with its time to recovery', () => {
    expect(supersededFields(failure, { green: green(), newestRun: null, laterAttemptFailed: null }, NOW)?.fields).toEqual({
      status: 'resolved',
      resolvedAt: '2026-11-20T09:40:00.000Z',
      timeToRecoverySeconds: 1213,
      resolvedBy: 'run 500 (attempt 2)',
      supersededBy: 'run 500 (attempt 2)',
    });
  });

  it('is resolved by a later run of its workflow and branch that completed after it', () => {
    const later = green({ runId: 501, runAttempt: 1, runNumber: 483, resolvedBy: 'run 501' });
    expect(supersededFields(failure, { green: later, newestRun: null, laterAttemptFailed: null }, NOW)?.fields).toMatchObject({ status: 'resolved', resolvedBy: 'run 501' });
  });

  it('is not resolved by a green run that completed before it, nor by an earlier run number, nor by an attempt of its run no later than it', () => {
    const before = green({ runId: 501, runAttempt: 1, runNumber: 483, completedAt: new Date('2026-11-20T09:10:00Z') });
    const earlierRun = green({ runId: 499, runAttempt: 2, runNumber: 481 });
    const sameAttempt = green({ runAttempt: 1 });
    for (const note of [before, earlierRun, sameAttempt]) expect(supersededFields(failure, { green: note, newestRun: null, laterAttemptFailed: null }, NOW)).toBeNull();
    expect(supersededFields({ ...failure, runAttempt: 3 }, { green: green(), newestRun: null, laterAttemptFailed: null }, NOW)).toBeNull();
  });

  it('is resolved by the newest run noted when the latest green run is an earlier run that passed after it', () => {
    const earlierRunLater = green({ runId: 499, runAttempt: 1, runNumber: 481, resolvedBy: 'run 499', completedAt: new Date('2026-11-20T09:50:00Z') });
    const newest = green({ runId: 501, runAttempt: 1, runNumber: 483, resolvedBy: 'run 501', completedAt: new Date('2026-11-20T09:30:00Z') });
    expect(supersededFields(failure, { green: earlierRunLater, newestRun: newest, laterAttemptFailed: null }, NOW)?.fields).toMatchObject({ resolvedBy: 'run 501', resolvedAt: '2026-11-20T09:30:00.000Z' });
    // The newest run speaks for nothing it passed before: a failure after it is left to the latest, here an earlier run.
    const afterNewest = { ...failure, failedAt: '2026-11-20T09:35:00.000Z' };
    expect(supersededFields(afterNewest, { green: earlierRunLater, newestRun: newest, laterAttemptFailed: null }, NOW)).toBeNull();
  });

  it('is superseded, with no time to recovery, when the next attempt of its run was delivered failing', () => {
    const superseded = supersededFields(failure, { green: null, newestRun: null, laterAttemptFailed: 2 }, NOW);
    expect(superseded?.fields).toEqual({
      status: 'resolved',
      resolvedAt: NOW.toISOString(),
      timeToRecoverySeconds: null,
      resolvedBy: 'superseded by run 500 (attempt 2)',
      supersededBy: 'run 500 (attempt 2)',
    });
    expect(superseded?.history.detail).toContain('nothing was run, commented or paged');
  });

  it('is superseded by the latest later attempt on record, the next one or one after it', () => {
    expect(supersededFields(failure, { green: null, newestRun: null, laterAttemptFailed: 4 }, NOW)?.fields).toMatchObject({ resolvedBy: 'superseded by run 500 (attempt 4)', supersededBy: 'run 500 (attempt 4)' });
  });

  it('says the green run was delivered before the failure when its note was written before the failure\'s incident', () => {
    // Prepare: the green run noted at 10:00; the failure (failed at 09:19) delivered only at 11:59
    const noted = green({ notedAt: new Date('2026-11-20T10:00:00Z') });

    // Act
    const superseded = supersededFields(failure, { green: noted, newestRun: null, laterAttemptFailed: null }, NOW);

    // Assert
    expect(superseded?.history.detail).toBe(
      'run 500 (attempt 2) passed at 2026-11-20T09:40:00.000Z, and was on record (since 2026-11-20T10:00:00.000Z) before this failure was delivered (2026-11-20T11:59:00.000Z): nothing was run, commented or paged',
    );
  });

  it('says the green run arrived after the failure was delivered, before it was classified, when its note is the later', () => {
    // Prepare: the failure delivered at 11:59, the green run noted at 11:59:30, classify at 12:00
    const noted = green({ notedAt: new Date('2026-11-20T11:59:30Z') });

    // Act
    const superseded = supersededFields(failure, { green: noted, newestRun: null, laterAttemptFailed: null }, NOW);

    // Assert
    expect(superseded?.history.detail).toBe(
      'run 500 (attempt 2) passed at 2026-11-20T09:40:00.000Z, and was recorded at 2026-11-20T11:59:30.000Z, after this failure was delivered (2026-11-20T11:59:00.000Z) and before it was classified: nothing was run, commented or paged',
    );
  });

  it('says only that the green run was on record when its note has no time (written before notes kept one)', () => {
    expect(supersededFields(failure, { green: green(), newestRun: null, laterAttemptFailed: null }, NOW)?.history.detail).toContain('and was on record before this failure was classified:');
  });

  it('is resolved by the green run rather than superseded when both are on record, and is fresh when neither is', () => {
    expect(supersededFields(failure, { green: green(), newestRun: null, laterAttemptFailed: 2 }, NOW)?.fields.resolvedBy).toBe('run 500 (attempt 2)');
    expect(supersededFields(failure, { green: null, newestRun: null, laterAttemptFailed: null }, NOW)).toBeNull();
  });
});
