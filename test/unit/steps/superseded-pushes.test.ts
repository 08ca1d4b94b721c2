import { describe, expect, it } from 'vitest';
import type { AnalysisSummary, Incident } from '../../../shared/domain/incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { isNewerPushFailure } from '../../../shared/domain/superseded-push.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, remediationDeps, stepDeps } from '../../support/fakes.js';
import { SimulatedCrash, incidentsKilledOnResolving } from '../../support/failing-writes.js';

const PATCH = ['--- a/src/tax.ts', '+++ b/src/tax.ts', '@@ -1 +1 @@', '-export const rate = 0.2;', '+export const rate = 0.19;', ''].join('\n');
const FIX_PRS_ON = { defaults: { actions: { open_fix_pr: { allowed: true } } } };
const TIMEOUT = { Error: 'States.Timeout', Cause: 'the approval wait timed out' };

function analysis(): AnalysisSummary {
  return {
    provider: 'scripted', model: null, rootCause: 'the tax rate constant is wrong', fix: ['use 0.19'], confidence: 0.95,
    proposedAction: 'open_fix_pr', rationale: 'one-line fix', evidence: ['Expected: 107.1'], latencyMs: 1, patch: { diff: PATCH, files: ['src/tax.ts'] },
  };
}

/** The fixture's pull request run (commit A, run 482), or a later push's run of the same workflow (commit B, run 483). */
function runOf(push: 'A' | 'B') {
  const body = structuredClone(loadWebhook('workflow_run-failure')).body as Record<string, any>;
  if (push === 'B') {
    Object.assign(body.workflow_run, { id: 11862439999, run_number: 483, head_sha: 'b'.repeat(40) });
    body.workflow_run.pull_requests[0].head.sha = 'b'.repeat(40);
  }
  return triggerFromWorkflowRun(body as never, `d-${push}`);
}

/** Commit A's failure with a fix PR proposed by its Remediate, its approval request not run yet. */
async function proposedOnA() {
  const github = createFakeGitHub();
  github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
  const { deps, published } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
  const a = runOf('A');
  await deps.incidents.create(newIncident({ ...githubIncidentFields(a, deps.clock()), category: 'test_failure', fingerprint: 'fp-a', analysis: analysis() }, deps.clock()), githubIncidentScope(a));
  expect(await remediateStep({ trigger: a }, deps)).toMatchObject({ awaitingApproval: true });
  return { github, deps, published, a };
}

/** Commit A's failure with a fix PR proposed and waiting for `/guard approve` on the pull request. */
async function waitingOnA() {
  const { github, deps, published, a } = await proposedOnA();
  await notifyStep({ trigger: a, approvalRequest: { taskToken: 'token-a' } }, deps);
  expect((await deps.incidents.get(a.incidentId))?.approval?.status).toBe('pending');
  return { github, deps, published, a };
}

/** Commit B's failure (another test), classified and on record; `notify`: its own notify step ran too. */
async function failedOnB(deps: ReturnType<typeof stepDeps>['deps'], notify: boolean) {
  const b = runOf('B');
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(b, deps.clock()), status: 'classified', category: 'test_failure', fingerprint: 'fp-b', failureLines: [{ line: 9, text: '● Cart total' }] }, deps.clock()),
    githubIncidentScope(b),
  );
  if (notify) await notifyStep({ trigger: b }, deps);
  return b;
}

/** A green run's recovery of a failure (run 999, ten minutes after it failed). */
const RECOVERY = { status: 'resolved', resolvedAt: '2026-11-20T10:10:00.000Z', timeToRecoverySeconds: 600, resolvedBy: 'run 999', supersededBy: 'run 999' } as const;

/** `meanwhile` runs (on the store itself) right after the next read of a pull request's incidents. */
function onceListed(deps: ReturnType<typeof stepDeps>['deps'], meanwhile: (store: typeof deps.incidents) => Promise<void>): void {
  const store = deps.incidents;
  deps.incidents = {
    ...store,
    async listByPullRequest(...args) {
      const listed = await store.listByPullRequest(...args);
      deps.incidents = store;
      await meanwhile(store);
      return listed;
    },
  };
}

/** Incident `id` recovers ({@link RECOVERY}) right after the next read of its pull request's incidents. */
function recoveredOnceListed(deps: ReturnType<typeof stepDeps>['deps'], id: string): void {
  onceListed(deps, async (store) => {
    await store.update(id, RECOVERY, { history: [{ at: RECOVERY.resolvedAt, event: 'resolved', detail: 'run 999' }] });
  });
}

/** How `incident` records its ending: the {@link RECOVERY} fields, and the details of its "resolved" history entries. */
function resolvedEntries(incident: Incident | null) {
  const { status, resolvedAt, timeToRecoverySeconds, resolvedBy, supersededBy } = incident ?? ({} as Partial<Incident>);
  return { status, resolvedAt, timeToRecoverySeconds, resolvedBy, supersededBy, resolved: incident?.history.filter((entry) => entry.event === 'resolved').map((entry) => entry.detail) };
}

/** The body of the pull request comment written last. */
function lastComment(github: ReturnType<typeof createFakeGitHub>): string {
  return github.calls.filter((c) => c.method === 'upsertComment').at(-1)?.args[3] as string;
}

describe('isNewerPushFailure: a later push to the pull request supersedes its earlier failures', () => {
  const base = { id: 'a', source: 'github', repository: 'acme/app', pullRequest: 12, workflowId: 7, headSha: 'a'.repeat(40), runNumber: 482, runId: 1 } as Incident;
  const newer = { ...base, id: 'b', headSha: 'b'.repeat(40), runNumber: 483, runId: 2 } as Incident;

  it.each([
    ['a later run of the workflow on another commit of the pull request', newer, true],
    ['the same commit (a re-run, another run of it)', { ...newer, headSha: base.headSha }, false],
    ['an earlier run (a slow older push finishing late)', { ...newer, runNumber: 481 }, false],
    ['another workflow', { ...newer, workflowId: 8 }, false],
    ['another pull request', { ...newer, pullRequest: 13 }, false],
    ['another repository', { ...newer, repository: 'acme/other' }, false],
    ['run numbers unknown (another CI system)', { ...newer, runNumber: null }, false],
    ['itself', base, false],
  ])('%s: %s', (_, other, expected) => {
    expect(isNewerPushFailure(base, other as Incident)).toBe(expected);
  });

  it('never supersedes a failure without a pull request', () => {
    expect(isNewerPushFailure({ ...base, pullRequest: null }, { ...newer, pullRequest: null } as Incident)).toBe(false);
  });
});

describe("notify: a pull request's proposal left behind by a later push", () => {
  it("records the earlier push's waiting proposal superseded when the later push's failure is notified", async () => {
    const { github, deps, a } = await waitingOnA();

    const b = await failedOnB(deps, true);

    const old = await deps.incidents.get(a.incidentId);
    expect(old).toMatchObject({ status: 'resolved', supersededBy: `run ${b.workflowRun.id} (attempt 1) of commit bbbbbbb`, timeToRecoverySeconds: null });
    // Its proposal is no longer among the pull request's waiting ones: `/guard approve` decides nothing for it.
    expect(await deps.remediation.approvals.pending({ name: 'acme-shop/checkout-service', id: a.repository.id }, 1287)).toEqual([]);
    expect((await deps.incidents.get(b.incidentId))?.status).toBe('notified');
    // The pull request's comment is B's, and lists A as superseded, with no approve command for it.
    const comment = lastComment(github);
    expect(comment).toContain(`<!-- incident: ${b.incidentId} -->`);
    expect(comment).toContain(', superseded by run 11862439999 \\(attempt 1\\) of commit bbbbbbb');
    expect(comment).not.toContain(`/guard approve ${a.incidentId}`);
  });

  it('asks nobody for a proposal whose failure a later push superseded between its Remediate and its approval request', async () => {
    // Prepare: A's remediation proposes a fix and waits for approval; B's failure is notified before A's request runs.
    const { github, deps, published, a } = await proposedOnA();
    const b = await failedOnB(deps, true);
    const commentsBefore = github.calls.filter((c) => c.method === 'upsertComment').length;

    // Act: A's approval request runs late.
    await notifyStep({ trigger: a, approvalRequest: { taskToken: 'token-a' } }, deps);

    // Assert: A stays resolved and superseded, joins no waiting proposals, and neither the comment (B's) nor on-call hears of it.
    const old = await deps.incidents.get(a.incidentId);
    expect(old).toMatchObject({ status: 'resolved', supersededBy: expect.stringMatching(/^run 11862439999 /) });
    expect(old?.history.at(-1)).toMatchObject({ event: 'approval_not_requested' });
    expect(await deps.remediation.approvals.pending({ name: 'acme-shop/checkout-service', id: a.repository.id }, 1287)).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(commentsBefore);
    expect(published).toEqual([]);
    expect((await deps.incidents.get(b.incidentId))?.status).toBe('notified');

    // Its wait then times out: recorded, and nobody paged.
    await notifyStep({ trigger: a, approvalError: TIMEOUT }, deps);
    expect((await deps.incidents.get(a.incidentId))?.status).toBe('resolved');
    expect(published).toEqual([]);
  });

  it('asks nobody for a proposal whose failure a green run recovered between its approval request reading it and writing it', async () => {
    // Prepare: A's remediation proposes a fix; A recovers right after its approval request read it open.
    const { github, deps, published, a } = await proposedOnA();
    const commentsBefore = github.calls.filter((c) => c.method === 'upsertComment').length;
    const store = deps.incidents;
    deps.incidents = {
      ...store,
      async get(id) {
        const read = await store.get(id);
        deps.incidents = store;
        await store.update(id, RECOVERY, { history: [{ at: RECOVERY.resolvedAt, event: 'resolved', detail: 'run 999' }] });
        return read;
      },
    };

    // Act
    await notifyStep({ trigger: a, approvalRequest: { taskToken: 'token-a' } }, deps);

    // Assert: the recovery stands whole, no approval waits, the proposal is not among the waiting ones, nobody is asked.
    const recovered = await deps.incidents.get(a.incidentId);
    expect(resolvedEntries(recovered)).toEqual({ ...RECOVERY, resolved: ['run 999'] });
    expect(recovered?.approval?.status).not.toBe('pending');
    expect(recovered?.history.at(-1)).toMatchObject({ event: 'approval_not_requested' });
    expect(await deps.remediation.approvals.pending({ name: 'acme-shop/checkout-service', id: a.repository.id }, 1287)).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(commentsBefore);
    expect(published).toEqual([]);
  });

  it('leaves no proposal waiting when a green run recovers the failure right after its approval request wrote it pending', async () => {
    // Prepare: A's remediation proposes a fix; a green run is recorded right after A's request wrote its approval pending.
    const { deps, published, a } = await proposedOnA();
    const store = deps.incidents;
    const recovered: string[] = [];
    deps.incidents = {
      ...store,
      async updateIfStatusMoves(id, fields, append, options) {
        const written = await store.updateIfStatusMoves(id, fields, append, options);
        deps.incidents = store;
        const recovery = { scope: githubIncidentScope(a), runId: 999, runAttempt: 1, resolvedBy: 'run 999', installationId: null, completedAt: new Date('2026-11-20T10:10:00Z') };
        recovered.push(...(await recordWorkflowRecovery(recovery, { ...deps, incidents: store, approvals: deps.remediation.approvals })).resolved);
        return written;
      },
    };

    // Act
    await notifyStep({ trigger: a, approvalRequest: { taskToken: 'token-a' } }, deps);

    // Assert: recovered, and its proposal is not among the waiting ones (it waited for its timeout before)
    expect(recovered).toEqual([a.incidentId]);
    expect((await deps.incidents.get(a.incidentId))?.status).toBe('resolved');
    expect(await deps.remediation.approvals.pending({ name: 'acme-shop/checkout-service', id: a.repository.id }, 1287)).toEqual([]);
    expect(published).toEqual([]);
  });

  it('withdraws a proposal whose approval request ran between a later push reading the failure and superseding it', async () => {
    // Prepare: A's remediation proposes a fix; B's notify reads the pull request's incidents, then A's request runs.
    const { deps, a } = await proposedOnA();
    onceListed(deps, async (store) => {
      await notifyStep({ trigger: a, approvalRequest: { taskToken: 'token-a' } }, deps);
      expect((await store.get(a.incidentId))?.approval?.status).toBe('pending');
    });

    // Act: B's notify supersedes A
    await failedOnB(deps, true);

    // Assert: A superseded, and its proposal is not among the waiting ones (it waited for its timeout before)
    expect((await deps.incidents.get(a.incidentId))?.supersededBy).toBeTruthy();
    expect(await deps.remediation.approvals.pending({ name: 'acme-shop/checkout-service', id: a.repository.id }, 1287)).toEqual([]);
  });

  it('withdraws the earlier proposal before recording it superseded: a round killed between the two leaves the failure open for its retry', async () => {
    // Prepare: B's notify dies on recording A superseded.
    const { github, deps, published, a } = await waitingOnA();
    const repo = { name: 'acme-shop/checkout-service', id: a.repository.id };
    const comments = github.calls.filter((c) => c.method === 'upsertComment').length;
    const b = await failedOnB(deps, false);
    const store = deps.incidents;
    deps.incidents = incidentsKilledOnResolving(store, a.incidentId);
    await expect(notifyStep({ trigger: b }, deps)).rejects.toThrow(SimulatedCrash);
    deps.incidents = store;

    // Assert: the proposal is gone and the failure still open, for the next round to supersede as any other.
    expect(await deps.remediation.approvals.pending(repo, 1287)).toEqual([]);
    expect((await deps.incidents.get(a.incidentId))?.status).toBe('awaiting_approval');

    // Act: the retry
    await notifyStep({ trigger: b }, deps);

    // Assert: superseded, B's comment written and notified once, nobody paged.
    expect(await deps.incidents.get(a.incidentId)).toMatchObject({ status: 'resolved', supersededBy: expect.stringMatching(/^run 11862439999 /) });
    expect(await deps.remediation.approvals.pending(repo, 1287)).toEqual([]);
    const notifiedB = await deps.incidents.get(b.incidentId);
    expect(notifiedB?.status).toBe('notified');
    expect(notifiedB?.history.filter((entry) => entry.event === 'notified')).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(comments + 1);
    expect(published).toEqual([]);
  });

  it("keeps a green run's recovery that lands between reading the earlier failure and recording it superseded", async () => {
    // Prepare: A recovers (run 999, ten minutes after it failed) right after B's notify read the pull request's incidents.
    const { github, deps, published, a } = await waitingOnA();
    const repo = { name: 'acme-shop/checkout-service', id: a.repository.id };
    const b = await failedOnB(deps, false);
    recoveredOnceListed(deps, a.incidentId);

    // Act
    await notifyStep({ trigger: b }, deps);

    // Assert: the recovery stands (its time to recovery, its history), the proposal is withdrawn, nobody is paged.
    expect(resolvedEntries(await deps.incidents.get(a.incidentId))).toEqual({ ...RECOVERY, resolved: ['run 999'] });
    expect(await deps.remediation.approvals.pending(repo, 1287)).toEqual([]);
    expect(published).toEqual([]);
    expect((await deps.incidents.get(b.incidentId))?.status).toBe('notified');
    // B's comment shows A as the green run left it, not as the stale copy read before it.
    const comment = lastComment(github);
    expect(comment).toContain('fixed in run 999');
  });

  it('keeps the recovery of a failure that supersedes itself when a green run ended it during the round, and pages nobody', async () => {
    // Prepare: B is on record; A's approval wait times out, and A recovers right after its Notify read the pull request.
    const { github, deps, published, a } = await waitingOnA();
    await failedOnB(deps, false);
    const comments = github.calls.filter((c) => c.method === 'upsertComment').length;
    recoveredOnceListed(deps, a.incidentId);

    // Act
    await notifyStep({ trigger: a, approvalError: TIMEOUT }, deps);

    // Assert: the recovery stands, the timeout is recorded, and neither the comment nor on-call hears of A.
    const recovered = await deps.incidents.get(a.incidentId);
    expect(resolvedEntries(recovered)).toEqual({ ...RECOVERY, resolved: ['run 999'] });
    expect(recovered?.approval?.status).toBe('timed_out');
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(comments);
    expect(published).toEqual([]);
  });

  it("reads the pull request's incidents once a round, and its comment shows the failures it superseded as superseded", async () => {
    // Prepare
    const { github, deps } = await waitingOnA();
    const b = await failedOnB(deps, false);
    const store = deps.incidents;
    let lists = 0;
    deps.incidents = {
      ...store,
      listByPullRequest(...args) {
        lists += 1;
        return store.listByPullRequest(...args);
      },
    };

    // Act
    await notifyStep({ trigger: b }, deps);

    // Assert
    expect(lists).toBe(1);
    const comment = lastComment(github);
    expect(comment).toContain(', superseded by run 11862439999 \\(attempt 1\\) of commit bbbbbbb');
  });

  it('pages nobody and leaves the comment to the newer failure when the earlier proposal times out', async () => {
    // Prepare: B's failure is on record (its notify has not superseded A: A's timeout comes first).
    const { github, deps, published, a } = await waitingOnA();
    await failedOnB(deps, false);
    const comments = github.calls.filter((c) => c.method === 'upsertComment').length;

    // Act
    await notifyStep({ trigger: a, approvalError: TIMEOUT }, deps);

    // Assert
    expect(published).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(comments);
    expect(await deps.incidents.get(a.incidentId)).toMatchObject({ status: 'resolved', approval: { status: 'timed_out' }, supersededBy: expect.stringMatching(/^run 11862439999 /) });
  });

  it('still pages once when the approval of the current push times out', async () => {
    const { deps, published, a } = await waitingOnA();

    await notifyStep({ trigger: a, approvalError: TIMEOUT }, deps);

    expect(published).toHaveLength(1);
    expect(published[0]?.message).toMatch(/nobody answered in time/);
    expect((await deps.incidents.get(a.incidentId))?.status).toBe('notified');
  });
});
