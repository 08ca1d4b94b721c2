import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRecoveryTargets, recoveryTargetsKey } from '../../shared/stores/recovery-targets.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-recovery-targets');

/** A recovery of `scope` (by default the CI workflow of acme/app's main branch). */
const recoveryOf = (resolvedBy: string, at: string, scope = 'acme/app|main|CI') => ({ scope, resolvedBy, at });

describe('the incidents each recovery set out to resolve (DynamoDB)', () => {
  it('returns what the earlier deliveries of the same recovery noted, and keeps every one of them past the dead-letter queue', async () => {
    // Prepare
    const at = new Date('2026-11-20T10:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => at });
    const recovery = { scope: 'acme/app|main|CI', resolvedBy: 'run 42', at: '2026-11-20T09:59:00.000Z' };

    // Act: three deliveries of one recovery, and another recovery
    const first = await targets.note(recovery, ['gh-1-41-1', 'gh-1-40-1']);
    const second = await targets.note(recovery, []);
    const third = await targets.note(recovery, ['gh-1-39-1']);
    const other = await targets.note({ ...recovery, resolvedBy: 'run 43', at: '2026-11-20T10:05:00.000Z' }, []);

    // Assert: kept a day longer than the dead-letter queue keeps the recovery (14 days)
    expect(first.earlier).toEqual([]);
    expect(second.earlier.sort()).toEqual(['gh-1-40-1', 'gh-1-41-1']);
    expect(third.earlier.sort()).toEqual(['gh-1-40-1', 'gh-1-41-1']);
    expect(other.earlier).toEqual([]);
    // A read-only delivery sees the mark of the last note; a note sets a new one.
    expect(second.mark).toBe(first.mark);
    expect(third.mark).not.toBe(first.mark);
    const stored = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey(recovery), ConsistentRead: true }))).Item;
    expect([...(stored?.incidents as Set<string>)].sort()).toEqual(['gh-1-39-1', 'gh-1-40-1', 'gh-1-41-1']);
    expect(stored?.expiresAt).toBe(Math.floor(at.getTime() / 1000) + 15 * 86_400);
  });

  it('lists the recoveries not finished some time after their last note, and forgets a finished one', async () => {
    // Prepare: three recoveries of one day, noted at 11:00, 11:20 and 11:30 (a month before the other tests', whose
    // entries are after its clock)
    let now = new Date('2026-10-21T11:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const stale = recoveryOf('run 50', '2026-10-21T10:58:00.000Z');
    const finished = recoveryOf('run 51', '2026-10-21T10:59:00.000Z');
    const fresh = recoveryOf('alarm OK', '2026-10-21T11:19:00.000Z', 'acme/app|main|Lint');
    await targets.note(stale, ['gh-1-49-1']);
    await targets.note(finished, ['gh-1-48-1']);
    now = new Date('2026-10-21T11:20:00Z');
    await targets.note(fresh, ['al-1']);
    now = new Date('2026-10-21T11:30:00Z');
    const last = await targets.note(finished, ['gh-1-47-1']);

    // Act
    await targets.finished({ ...finished, mark: last.mark });
    const listed = await targets.unfinished(now, { notedBefore: new Date('2026-10-21T11:15:00Z'), limit: 10 });

    // Assert: only the recovery last noted before 11:15 and not finished
    expect(listed).toEqual([{ ...stale, incidentIds: ['gh-1-49-1'], notedAt: '2026-10-21T11:00:00.000Z', mark: expect.any(String), failures: 0 }]);
  });

  it('keeps the targets another delivery noted after the finisher read them: deleted only as last noted', async () => {
    // Prepare: delivery A notes and reads; delivery B (or A's own redelivery) notes one more incident meanwhile
    const now = new Date('2026-11-22T08:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const recovery = { scope: 'acme/app|main|CI', resolvedBy: 'run 60', at: '2026-11-22T07:59:00.000Z' };
    const a = await targets.note(recovery, ['gh-1-59-1']);
    const b = await targets.note(recovery, ['gh-1-58-1']);

    // Act: A (done with what it saw) finishes, then B
    const byA = await targets.finished({ ...recovery, mark: a.mark });
    const kept = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey(recovery), ConsistentRead: true }))).Item;
    const byB = await targets.finished({ ...recovery, mark: b.mark });
    const gone = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey(recovery), ConsistentRead: true }))).Item;

    // Assert: A's delete is refused (not an error) and B's note survives it; B's, the last note, deletes it
    expect(byA).toBe(false);
    expect([...(kept?.incidents as Set<string>)].sort()).toEqual(['gh-1-58-1', 'gh-1-59-1']);
    expect(byB).toBe(true);
    expect(gone).toBeUndefined();
  });

  it("lists a recovery of any day its entry lives in, and skips those waiting for a retry or given up without their taking the bound (session 41)", async () => {
    // Prepare (September, before the other tests' entries): a recovery of 1 September noted by a delivery redriven from the
    // dead-letter queue on the 14th; three of the 14th, one waiting for its retry at 13:00, one given up, one not tried
    let now = new Date('2026-09-14T11:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const redriven = recoveryOf('run 70', '2026-09-01T09:00:00.000Z');
    const waiting = recoveryOf('run 71', '2026-09-14T10:58:00.000Z');
    const givenUp = recoveryOf('run 72', '2026-09-14T10:59:00.000Z');
    const untried = recoveryOf('run 73', '2026-09-14T11:00:00.000Z', 'acme/app|main|Lint');
    const waitingNote = await targets.note(waiting, ['gh-1-71-1']);
    const givenUpNote = await targets.note(givenUp, ['gh-1-72-1']);
    await targets.note(untried, ['gh-1-73-1']);
    now = new Date('2026-09-14T12:00:00Z');
    await targets.note(redriven, ['gh-1-70-1']);
    await targets.retry({ ...waiting, mark: waitingNote.mark }, new Date('2026-09-14T13:00:00Z'), 3);
    await targets.givenUp({ ...givenUp, mark: givenUpNote.mark }, 8, now);
    const notedBefore = new Date('2026-09-14T12:15:00Z');

    // Act
    const listed = await targets.unfinished(new Date('2026-09-14T12:30:00Z'), { notedBefore, limit: 2 });
    const afterRetry = await targets.unfinished(new Date('2026-09-14T13:00:00Z'), { notedBefore, limit: 10 });
    now = new Date('2026-09-14T13:01:00Z');
    await targets.note(givenUp, ['gh-1-74-1']);
    const notedAgain = await targets.unfinished(new Date('2026-09-14T13:30:00Z'), { notedBefore: new Date('2026-09-14T13:20:00Z'), limit: 10 });

    // Assert: the one of 1 September first, then the untried one; the waiting one from its time, with its failures;
    // the given-up one again once a delivery notes it anew, its tries starting over
    expect(listed.map((recovery) => recovery.resolvedBy)).toEqual(['run 70', 'run 73']);
    expect(listed[0]).toMatchObject({ incidentIds: ['gh-1-70-1'], notedAt: '2026-09-14T12:00:00.000Z', failures: 0 });
    expect(afterRetry.map((recovery) => [recovery.resolvedBy, recovery.failures])).toEqual([['run 70', 0], ['run 71', 3], ['run 73', 0]]);
    expect(notedAgain.map((recovery) => [recovery.resolvedBy, recovery.failures])).toEqual([['run 70', 0], ['run 71', 3], ['run 72', 0], ['run 73', 0]]);
  });

  it("counts the reconciler's failed tries only on the entry as it read it: a delivery's new note starts them over (session 41)", async () => {
    // Prepare (August, before the other tests' entries): the reconciler lists a recovery, then its delivery, redriven,
    // notes it again before the reconciler's try fails
    let now = new Date('2026-08-14T11:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const recovery = recoveryOf('run 80', '2026-08-14T10:59:00.000Z');
    await targets.note(recovery, ['gh-1-79-1']);
    now = new Date('2026-08-14T11:15:00Z');
    const [listed] = await targets.unfinished(now, { notedBefore: new Date('2026-08-14T11:05:00Z'), limit: 10 });
    await targets.note(recovery, ['gh-1-78-1']);

    // Act
    const retried = await targets.retry(listed!, new Date('2026-08-14T15:00:00Z'), 5);
    const givenUp = await targets.givenUp(listed!, 8, now);
    const gone = await targets.retry({ ...recovery, at: '2026-08-14T10:58:00.000Z', mark: null }, new Date('2026-08-14T15:00:00Z'), 1);

    // Assert: neither written; listed 10 minutes after the new note, not tried yet; nothing written where nothing was
    expect([retried, givenUp, gone]).toEqual([false, false, false]);
    const again = await targets.unfinished(new Date('2026-08-14T11:30:00Z'), { notedBefore: new Date('2026-08-14T11:20:00Z'), limit: 10 });
    expect(again.map((entry) => [entry.resolvedBy, entry.failures, entry.incidentIds.sort()])).toEqual([['run 80', 0, ['gh-1-78-1', 'gh-1-79-1']]]);
    const absent = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey({ ...recovery, at: '2026-08-14T10:58:00.000Z' }), ConsistentRead: true }))).Item;
    expect(absent).toBeUndefined();
  });
});

describe('the targets a backstop run settled (DynamoDB)', () => {
  it('takes them off the entry as read, and nothing off one noted again since', async () => {
    // Prepare: a recovery noted by two deliveries
    let now = new Date('2026-10-05T10:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const recovery = recoveryOf('run 70', '2026-10-05T09:59:00.000Z', 'acme/app|main|Settle');
    await targets.note(recovery, ['gh-1-70-1', 'gh-1-70-2']);
    const read = await targets.note(recovery, ['gh-1-70-3']);

    // Act: one run settles two; a stale listing's settle is refused after another note
    const first = await targets.settled({ ...recovery, mark: read.mark }, ['gh-1-70-1', 'gh-1-70-2']);
    now = new Date('2026-10-05T10:05:00Z');
    await targets.note(recovery, ['gh-1-70-4']);
    const stale = await targets.settled({ ...recovery, mark: read.mark }, ['gh-1-70-3']);

    // Assert
    expect([first, stale]).toEqual([true, false]);
    const stored = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey(recovery), ConsistentRead: true }))).Item;
    expect([...(stored?.incidents as Set<string>)].sort()).toEqual(['gh-1-70-3', 'gh-1-70-4']);
  });
});

describe('a recovery stamped far from the clock noting it (DynamoDB)', () => {
  it('is keyed by the day of its note, listed with its own time, and finished as listed on a later day', async () => {
    // Prepare: an OK replayed 20 days after its stamp, noted at 23:50
    let now = new Date('2026-07-21T23:50:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => now });
    const old = recoveryOf('alarm OK', '2026-07-01T10:00:00.000Z', 'cloudwatch:arn:aws:cloudwatch:us-east-1:123456789012:alarm:keyed');
    const noted = await targets.note(old, ['cw-keyed']);

    // Act: listed the next day, then finished as listed
    now = new Date('2026-07-22T00:10:00Z');
    const [listed] = await targets.unfinished(now, { notedBefore: new Date('2026-07-22T00:00:00Z'), limit: 10 });
    const finished = await targets.finished(listed!);

    // Assert
    expect(noted.keyAt).toBe('2026-07-21T00:00:00.000Z');
    expect(listed).toMatchObject({ at: old.at, keyAt: noted.keyAt, incidentIds: ['cw-keyed'] });
    expect(finished).toBe(true);
    expect(await targets.unfinished(now, { notedBefore: now, limit: 10 })).toEqual([]);
  });
});
