import { describe, expect, it } from 'vitest';
import { createApprovalResumes } from '../../shared/stores/approval-resumes.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-approval-resumes');
const LIMITS = { limit: 10, lookbackHours: 48 };

describe('the list of /guard decisions to resume (DynamoDB)', () => {
  it('lists a decision once however often it is scheduled, from its time on; a failed one moves later with its failures; done removes it', async () => {
    const resumes = createApprovalResumes({ client: scratch.client, tableName: 'incidents' });
    const decision = { incidentId: 'gh-1-2-1', decidedAt: '2026-11-20T10:05:00.000Z' };
    await resumes.schedule(decision);
    await resumes.schedule(decision);
    await resumes.schedule({ incidentId: 'gh-1-3-1', decidedAt: '2026-11-20T10:06:00.000Z' });

    expect(await resumes.due(new Date('2026-11-20T10:04:59Z'), LIMITS)).toEqual([]);
    const [first, ...rest] = await resumes.due(new Date('2026-11-20T10:06:01Z'), LIMITS);
    expect(first).toEqual({ ...decision, entry: { id: 'gh-1-2-1', dueAt: decision.decidedAt }, failures: 0 });
    expect(rest.map((listed) => listed.incidentId)).toEqual(['gh-1-3-1']);

    expect(await resumes.retry(first!, new Date('2026-11-20T10:20:00Z'))).toBe(true);
    expect((await resumes.due(new Date('2026-11-20T10:19:00Z'), LIMITS)).map((listed) => listed.incidentId)).toEqual(['gh-1-3-1']);
    const [, moved] = await resumes.due(new Date('2026-11-20T10:20:01Z'), LIMITS);
    expect(moved).toEqual({ ...decision, entry: { id: 'gh-1-2-1', dueAt: '2026-11-20T10:20:00.000Z' }, failures: 1 });

    // Done by the decision (where the handler scheduled it) or as listed (where it moved).
    await resumes.done({ incidentId: 'gh-1-3-1', decidedAt: '2026-11-20T10:06:00.000Z' });
    await resumes.done(moved!);
    expect(await resumes.due(new Date('2026-11-20T11:00:00Z'), LIMITS)).toEqual([]);
  });

  it('postpones a decision kept for its retry to its wait\'s end, its failures as they were', async () => {
    const resumes = createApprovalResumes({ client: scratch.client, tableName: 'incidents' });
    const decision = { incidentId: 'gh-1-4-1', decidedAt: '2026-11-20T12:05:00.000Z' };
    await resumes.schedule(decision);
    const [listed] = await resumes.due(new Date('2026-11-20T12:06:00Z'), LIMITS);
    await resumes.retry(listed!, new Date('2026-11-20T12:10:00Z'));
    const [failedOnce] = await resumes.due(new Date('2026-11-20T12:11:00Z'), LIMITS);

    expect(await resumes.postpone(failedOnce!, new Date('2026-11-20T18:05:00Z'))).toBe(true);

    expect(await resumes.due(new Date('2026-11-20T18:04:59Z'), LIMITS)).toEqual([]);
    const [postponed] = await resumes.due(new Date('2026-11-20T18:05:01Z'), LIMITS);
    expect(postponed).toEqual({ ...decision, entry: { id: 'gh-1-4-1', dueAt: '2026-11-20T18:05:00.000Z' }, failures: 1 });
    await resumes.done(postponed!);
  });

  it('lists a decision nobody resumes live where it is told to, keeping the decision time', async () => {
    const resumes = createApprovalResumes({ client: scratch.client, tableName: 'incidents' });
    const decision = { incidentId: 'cw-2', decidedAt: '2026-11-20T10:15:00.000Z' };
    await resumes.schedule(decision, { listedAt: '2026-11-20T10:05:00.000Z' });

    const listed = await resumes.due(new Date('2026-11-20T10:06:00Z'), LIMITS);
    expect(listed).toEqual([{ ...decision, entry: { id: 'cw-2', dueAt: '2026-11-20T10:05:00.000Z' }, failures: 0 }]);
    await resumes.done(listed[0]!);
    expect(await resumes.due(new Date('2026-11-20T11:00:00Z'), LIMITS)).toEqual([]);
  });
});
