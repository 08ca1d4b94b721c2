import { describe, expect, it } from 'vitest';
import type { IncidentListItem } from '../../../shared/api/list-item.js';
import { type IncidentDetail, createReadApi } from '../../../shared/api/read-api.js';
import { type ApprovalState, type Incident, newIncident } from '../../../shared/domain/incident.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { createMemoryStore } from '../../support/memory-store.js';

const NOW = new Date('2026-11-20T12:00:00Z');

/**
 * A pull request's failure whose approval wait could not be set up, as versions before session 65 recorded it: the
 * approval left `pending` without a task token, the error only in the decision's reason.
 */
function olderFailedWait(id: string, requestedAt: string, approval: Partial<ApprovalState> = {}): Incident {
  return newIncident({
    id, source: 'github', repository: 'acme/app', repositoryId: 3, pullRequest: 12, status: 'notified',
    plan: { action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', reasons: ['policy'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: requestedAt },
    approval: { status: 'pending', taskToken: null, requestedAt, decidedAt: requestedAt, decidedBy: null, reason: null, ...approval },
    decision: { action: 'escalate', reason: 'the approval step failed (ProvisionedThroughputExceededException: Rate exceeded): a human should look', applied: false, result: 'nothing applied', dryRun: false, decidedAt: requestedAt },
  }, new Date(requestedAt));
}

async function readOf(...incidents: Incident[]) {
  const store = createMemoryStore(() => NOW);
  for (const incident of incidents) await store.create(incident, null);
  return createReadApi({ incidents: store, learning: {} as Pick<Learning, 'experiments' | 'baselines' | 'knowledge'>, clock: () => NOW });
}

describe('an approval wait stored pending without a task token by a version before session 65', () => {
  it('reads as failed, with the error its decision names: not "pending, reply /guard approve"', async () => {
    const read = await readOf(olderFailedWait('gh-old', '2026-11-19T09:00:00.000Z'));

    const detail = (await read({ method: 'GET', path: '/incidents/gh-old', query: {} }))?.body as IncidentDetail;
    const [row] = (await read({ method: 'GET', path: '/incidents', query: { view: 'summary' } }))?.body as IncidentListItem[];
    const [whole] = (await read({ method: 'GET', path: '/incidents', query: {} }))?.body as Incident[];

    expect(detail.approval).toMatchObject({ status: 'failed', taskToken: null, reason: 'ProvisionedThroughputExceededException: Rate exceeded' });
    expect(detail.timeline.some((entry) => entry.title === 'approval failed')).toBe(true);
    expect(whole?.approval?.status).toBe('failed');
    expect(row?.mustAct).toBe(true);
    expect(JSON.stringify(row)).not.toMatch(/guard approve/);
  });

  it('stays pending while a request could still be recording its token, and with a token', async () => {
    const read = await readOf(
      olderFailedWait('gh-young', '2026-11-20T11:55:00.000Z'),
      olderFailedWait('gh-waiting', '2026-11-19T09:00:00.000Z', { taskToken: 'token-1', decidedAt: null }),
    );

    for (const id of ['gh-young', 'gh-waiting']) {
      expect(((await read({ method: 'GET', path: `/incidents/${id}`, query: {} }))?.body as IncidentDetail).approval?.status).toBe('pending');
    }
  });
});
