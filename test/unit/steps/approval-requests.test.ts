import { describe, expect, it } from 'vitest';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { type AnalysisSummary, newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { createFakeGitHub, createMemoryRerunLedger, remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';
import { askedAt, mailedTokens, recoveredAt } from '../../support/alarm-approvals.js';

/** A high-severity runbook: the default policy makes it wait for approval, e-mailed to on-call (an alarm has no PR). */
const runbooks = parseRunbookMappings(JSON.stringify([
  { alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' },
  { alarmNamePrefix: 'orders-', document: 'Restart-Orders', parameters: {}, severity: 'high' },
]));

function flapDeps() {
  const made = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
  return made;
}

describe('approval requests by e-mail: one per problem while one can be answered', () => {
  it("counts a flapping alarm's next request on the open one instead of e-mailing on-call again", async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');

    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain("send-task-success --task-token 'token-1'");
    const counted = await deps.incidents.get(second.incidentId);
    expect(counted?.approval).toMatchObject({ status: 'pending', taskToken: 'token-2' });
    expect(counted?.notifications.at(-1)).toMatchObject({ channel: 'sns', outcome: 'skipped', detail: expect.stringMatching(/^counted on the open approval request of this problem: asked 2 times since 2026-11-20T10:03:12/) });
  });

  it('e-mails the next request once the open one can no longer be answered (its approval timeout has passed)', async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    // The default approval timeout is 240 minutes: token-1 is spent by then.
    await askedAt(deps, '2026-11-20T14:05:00.000Z', 'token-2');

    expect(published.map((p) => p.message.match(/--task-token '([^']+)'/)?.[1])).toEqual(['token-1', 'token-2']);
  });

  // Fired after the first alarm's approval group ended (5 minutes, session 42): within it, the request is grouped and
  // e-mailed with the group's digest (the next test; test/integration/approval-storm-digests.test.ts sends it).
  it('asks separately for another alarm: a problem is the alarm', async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await askedAt(deps, '2026-11-20T10:09:00.000Z', 'token-2', 'orders-queue-depth');

    expect(published).toHaveLength(2);
  });

  it("groups the request of another alarm firing within five minutes of the first: e-mailed by the group's digest, not counted on the first's", async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:04:00.000Z', 'token-2', 'orders-queue-depth');

    expect(published).toHaveLength(1);
    expect((await deps.incidents.get(second.incidentId))?.notifications.at(-1)?.detail).toMatch(/^grouped with the approval request at 2026-11-20T10:03:12.000Z: e-mailed with the group's other requests/);
  });

  it('still pages once when a counted request times out while its alarm still fires', async () => {
    // Prepare: the second ALARM's request was counted, so nobody holds its token; its wait times out.
    const { deps, published } = flapDeps();
    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');
    deps.clock = () => new Date('2026-11-20T14:12:00.000Z');

    // Act
    await notifyStep({ trigger: second, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    // Assert: the request, then the page of the unanswered approval
    expect(published).toHaveLength(2);
    expect(published[1]?.message).not.toContain('--task-token');
    expect((await deps.incidents.get(second.incidentId))?.approval?.status).toBe('timed_out');
  });

  it("says an alarm's unanswered request was e-mailed to on-call: an alarm has no pull request", async () => {
    const { deps, published } = flapDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    deps.clock = () => new Date('2026-11-20T14:04:00.000Z');

    await notifyStep({ trigger: first, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    expect(published).toHaveLength(2);
    expect(published[1]?.message).toContain('the guard e-mailed on-call for approval of what it proposed, and nobody answered in time');
    expect(published[1]?.message).not.toMatch(/pull request/i);
  });

  it("e-mails the next request once the open one's incident recovered (its token approves nothing), and counts the one after on it", async () => {
    const { deps, published } = flapDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
    expect((await deps.incidents.get(first.incidentId))?.status).toBe('resolved');

    await askedAt(deps, '2026-11-20T10:40:00.000Z', 'token-2');
    const third = await askedAt(deps, '2026-11-20T10:45:00.000Z', 'token-3');

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
    expect((await deps.incidents.get(third.incidentId))?.notifications.at(-1)).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^counted on the open approval request of this problem: asked 2 times since 2026-11-20T10:40:00/) });
  });

  it('counts an alarm back in ALARM within the flap window of its OK on the open request, and asks again after it', async () => {
    const { deps, published } = flapDeps();
    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');

    // 12 minutes after the OK: the same flapping episode, counted. 25 minutes after the next OK: a new episode, asked.
    const flapped = await askedAt(deps, '2026-11-20T10:20:00.000Z', 'token-2');
    await recoveredAt(deps, '2026-11-20T10:25:00.000Z');
    await askedAt(deps, '2026-11-20T10:50:00.000Z', 'token-3');

    expect(mailedTokens(published)).toEqual(['token-1', 'token-3']);
    expect((await deps.incidents.get(flapped.incidentId))?.notifications.at(-1)).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^counted on the open approval request/) });
  });

  it("e-mails an alarm back in ALARM within the flap window once the recovered incident's request was answered", async () => {
    // Prepare: the first firing was approved by e-mail after its OK (nothing applied: it had recovered). That
    // e-mail's token is spent, so nothing on-call holds could approve the next firing.
    const { deps, published } = flapDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);
    await notifyStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    // Act: 4 minutes after the OK, within the flap window
    await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');

    // Assert: asked again, not approved by the answer given to another firing, nor counted on a spent request
    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
  });

  it('e-mails the next request once the open one was answered: its wait is over', async () => {
    const { deps, published } = flapDeps();
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await notifyStep({ trigger: first, approvalError: { Error: 'ApprovalRejected', Cause: 'not now' } }, deps);
    expect((await deps.incidents.get(first.incidentId))?.approval?.status).toBe('rejected');

    await askedAt(deps, '2026-11-20T10:20:00.000Z', 'token-2');

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
  });

  it('e-mails it once on the retry of a Notify killed between counting the request and taking the claim over', async () => {
    const { deps, published } = flapDeps();
    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
    const takeOver = deps.escalationLedger.takeOver.bind(deps.escalationLedger);
    deps.escalationLedger.takeOver = async () => {
      throw new Error('killed');
    };
    await expect(askedAt(deps, '2026-11-20T10:40:00.000Z', 'token-2')).rejects.toThrow('killed');
    deps.escalationLedger.takeOver = takeOver;

    const second = await askedAt(deps, '2026-11-20T10:40:30.000Z', 'token-2');
    await notifyStep({ trigger: second, approvalRequest: { taskToken: 'token-2' } }, deps);

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
  });
});

const TRANSIENT: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the API timed out', fix: ['re-run'], confidence: 0.9, proposedAction: 'rerun_failed_jobs', rationale: 'transient', evidence: [], latencyMs: 1,
};

describe('approval requests by e-mail of a workflow an outsider can repeat (on: issues)', () => {
  /** Run `runId` of the repository's `issues` workflow, started by `actor`, failed and asking for approval of its re-run. */
  async function askedBy(deps: ReturnType<typeof stepDeps>['deps'], runId: number, actor: string, token: string) {
    const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
    Object.assign(body.workflow_run, {
      id: runId, event: 'issues', head_branch: 'main', pull_requests: [], head_sha: String(runId).padStart(40, '0'), triggering_actor: { login: actor, id: runId, type: 'User' },
    });
    const trigger = triggerFromWorkflowRun(body as never, `delivery-${runId}`);
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', fingerprint: `fp-${runId}`, analysis: TRANSIENT, failureLines: [{ line: 3, text: 'ETIMEDOUT' }] }, deps.clock()),
      githubIncidentScope(trigger),
    );
    expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'rerun_failed_jobs', awaitingApproval: true });
    await notifyStep({ trigger, approvalRequest: { taskToken: token } }, deps);
    return trigger;
  }

  it("asks for a maintainer's run apart from the strangers' runs, which still ask once a window", async () => {
    const github = createFakeGitHub();
    github.permissions.set('maya-maintainer', 'write');
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } };
    const { deps, published } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ policyFile } as never) });

    await askedBy(deps, 9_101, 'stranger', 'token-stranger');
    await askedBy(deps, 9_102, 'another-stranger', 'token-another-stranger');
    await askedBy(deps, 9_103, 'maya-maintainer', 'token-maintainer');
    await askedBy(deps, 9_104, 'maya-maintainer', 'token-maintainer-again');

    expect(mailedTokens(published)).toEqual(['token-stranger', 'token-maintainer']);
  });
});
