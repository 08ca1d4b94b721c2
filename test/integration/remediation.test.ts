import { describe, expect, it } from 'vitest';
import { type RecordedWebhook, deliverAlarm, deliverWebhook, loadAlarmEvent } from '../../infra/local/replay.js';
import { loadConfig } from '../../shared/config.js';
import { createTaskControl } from '../../shared/runtime/deps.js';
import { failedRunDelivery, pullRequestCommentDelivery } from '../support/fakes.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * Guarded self-healing through the local runtime (recorded GitHub, outbox, local runbook runner): re-run once,
 * escalate when unsure, wait for `/guard approve` from a writer, run an alarm's mapped runbook.
 */
const SECRET = 'remediation-secret';
const FLAKY_RUN = 11870000001;
const UNKNOWN_RUN = 11870000002;

const policy = {
  repositories: { 'acme-shop/payments': { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } },
};
const runbooks = [
  { alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: { Alarm: ['{{alarm.name}}'] }, severity: 'medium' },
  // High severity: the policy's default asks a human first.
  { alarmNamePrefix: 'payments-db-', document: 'Failover-Payments-Db', parameters: { Alarm: ['{{alarm.name}}'] }, severity: 'high' },
];

function failure(runId: number, mutate?: (body: Record<string, any>) => void): RecordedWebhook {
  const webhook = failedRunDelivery(runId);
  mutate?.(webhook.body as Record<string, any>);
  return webhook;
}

function comment(login: string, text: string, id: number): RecordedWebhook {
  // The repository whose failures the approvals below are of (`payments` in that test): its id with its name.
  return pullRequestCommentDelivery({ login, text, commentId: id, pullRequest: 1287, repository: { id: 800000001, name: 'payments' }, deliveryId: `approval-${id}` });
}

const incident = (id: string) => harness.incident(id);

const outbox = async (kind: string) => (await harness.outbox()).filter((entry) => entry.kind === kind);

const harness = useLocalRuntime({
  secret: SECRET,
  name: 'guard-remediation',
  env: { GITHUB_TOKEN: undefined, POLICY_JSON: JSON.stringify(policy), RUNBOOKS_JSON: JSON.stringify(runbooks) },
});

describe('local runtime: guarded remediation', () => {
  it('re-runs a confident flaky failure once, and escalates when the re-run fails too', async () => {
    const first = await deliverWebhook(harness.runtime.url, failure(FLAKY_RUN), SECRET);
    await harness.runtime.idle();
    const second = await deliverWebhook(harness.runtime.url, failure(FLAKY_RUN, (b) => (b.workflow_run.run_attempt = 2)), SECRET);
    await harness.runtime.idle();

    const rerun = await incident(String(first.body.incidentId));
    const again = await incident(String(second.body.incidentId));
    expect(rerun).toMatchObject({ category: 'network', decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(rerun.audit?.map((a) => a.status)).toEqual(['planned', 'applied']);
    expect(again.decision?.action).toBe('escalate');
    expect(await outbox('github_rerun')).toHaveLength(1);
  });

  it('escalates a failure it cannot explain instead of acting — to the pull request, not to on-call (issue 13)', async () => {
    const response = await deliverWebhook(harness.runtime.url, failure(UNKNOWN_RUN), SECRET);
    await harness.runtime.idle();

    const unsure = await incident(String(response.body.incidentId));
    expect(unsure.category).toBe('unknown');
    expect(unsure.decision?.action).toBe('escalate');
    // The escalation policy's default: a pull request failure goes to its pull request; on-call is not paged.
    expect((await outbox('escalation')).some((e) => String(e.message).includes(unsure.id))).toBe(false);
    expect(unsure.notifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'github_comment', outcome: expect.stringMatching(/created|updated/) }),
        expect.objectContaining({ channel: 'sns', outcome: 'skipped', detail: expect.stringMatching(/pull request comment tells its author/) }),
      ]),
    );
  });

  it('waits for approval, refuses /guard approve from a reader and resumes for a writer', async () => {
    const payments = (b: Record<string, any>) => {
      b.repository.id = 800000001;
      b.repository.name = 'payments';
      b.repository.full_name = 'acme-shop/payments';
      // As GitHub sends it: the run's commit and its pull request belong to the same repository.
      b.workflow_run.head_repository.id = 800000001;
      for (const pr of b.workflow_run.pull_requests) pr.base.repo.id = pr.head.repo.id = 800000001;
    };
    const response = await deliverWebhook(harness.runtime.url, failure(FLAKY_RUN, payments), SECRET);
    await harness.runtime.idle();
    const id = String(response.body.incidentId);
    const waiting = await incident(id);

    const refused = await deliverWebhook(harness.runtime.url, comment('drive-by', '/guard approve', 1), SECRET);
    const approved = await deliverWebhook(harness.runtime.url, comment('acme-shop', 'Looks flaky.\n/guard approve', 2), SECRET);
    await harness.runtime.idle();
    const done = await incident(id);
    const late = await deliverWebhook(harness.runtime.url, comment('acme-shop', '/guard reject too late', 3), SECRET);

    expect(waiting).toMatchObject({ status: 'awaiting_approval', approval: { status: 'pending', taskToken: '[hidden]' }, plan: { action: 'rerun_failed_jobs', requiresApproval: true } });
    const pendingComment = (await outbox('github_comment')).filter((c) => c.target === 'acme-shop/payments#1287')[0];
    expect(pendingComment?.body).toMatch(/waiting for approval[\s\S]*\/guard approve/);
    expect(refused.body).toEqual({ ignored: 'drive-by has read access; /guard approve needs write access' });
    expect(approved).toEqual({ status: 202, body: { incidentId: id, decision: 'approve' } });
    expect(done).toMatchObject({ status: 'notified', approval: { status: 'approved', decidedBy: 'acme-shop' }, decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(done.audit?.map((a) => [a.actor, a.status])).toEqual([
      ['pipeline-guard', 'awaiting_approval'], ['acme-shop', 'approved'], ['acme-shop', 'applied'],
    ]);
    expect(late.status).toBe(200);
    expect((await outbox('github_rerun')).filter((r) => r.target === 'acme-shop/payments')).toHaveLength(1);
  });

  it('runs the alarm\'s mapped runbook and resolves the incident when the alarm returns to OK', async () => {
    const fired = await deliverAlarm(harness.runtime.url, loadAlarmEvent('alarm-state-alarm'));
    await harness.runtime.idle();
    const ok = await deliverAlarm(harness.runtime.url, loadAlarmEvent('alarm-state-ok'));

    const id = String(fired.body.incidentId);
    expect(await outbox('runbook')).toEqual([expect.objectContaining({ document: 'Restart-Checkout-Api', parameters: { Alarm: ['checkout-api-5xx-rate'] } })]);
    expect(ok.body).toEqual({ resolved: [id] });
    const resolved = await incident(id);
    expect(resolved).toMatchObject({ status: 'resolved', decision: { action: 'run_runbook', applied: true } });
    expect(resolved.resolvedBy).toBe('alarm OK after the runbook');
  });

  it('asks on-call to approve a high-severity runbook by e-mail, with commands whose task token decides', async () => {
    const event = structuredClone(loadAlarmEvent('alarm-state-alarm')) as Record<string, any>;
    event.detail.alarmName = 'payments-db-cpu';
    event.resources = ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-db-cpu'];
    const fired = await deliverAlarm(harness.runtime.url, event);
    await harness.runtime.idle();
    const id = String(fired.body.incidentId);
    const request = (await outbox('escalation')).find((e) => String(e.message).includes(id));
    // The command as e-mailed, endpoint included: the local runtime's Step Functions is not AWS's.
    const [, endpoint = 'no endpoint in the e-mail', token = 'no token in the e-mail'] =
      /send-task-success --endpoint-url '([^']+)' --task-token '([^']+)'/.exec(String(request?.message)) ?? [];
    await createTaskControl(loadConfig({ ...harness.runtime.env, SFN_ENDPOINT: endpoint })).succeed(token, { approvedBy: 'on-call' });
    await harness.runtime.idle();

    expect(endpoint).toBe(harness.runtime.env.SFN_ENDPOINT);
    expect(String(request?.message)).toMatch(new RegExp(`send-task-failure --endpoint-url '${endpoint}' --task-token '${token}' --error ApprovalRejected`));
    // In the execution's Region, which the reader's CLI may not default to (or have at all).
    expect(String(request?.message).match(/^To (approve|reject): aws stepfunctions .* --region 'us-east-1'$/gm)).toHaveLength(2);
    expect(await incident(id)).toMatchObject({ status: 'notified', decision: { action: 'run_runbook', applied: true } });
    expect((await outbox('runbook')).filter((r) => r.document === 'Failover-Payments-Db')).toHaveLength(1);
  });
});
