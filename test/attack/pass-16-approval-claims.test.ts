import { describe, expect, it } from 'vitest';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { askedAt, mailedTokens, recoveredAt } from '../support/alarm-approvals.js';

const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));

/**
 * Attack pass 16, F3 (e-mailed approval requests, one per problem while one can be answered). The problem's claim
 * (`approval:alarm:<ARN>`) is held for the whole approval timeout (240 min by default) by the incident that opened it,
 * whatever becomes of that incident. An alarm that fires, recovers and fires again: the first incident is resolved by
 * the OK (approving its token applies nothing: "recovered meanwhile"), and the second, the one that is firing now, is
 * counted on the first's request: its token is e-mailed to nobody. The runbook a person must approve cannot be
 * approved by anyone; 240 minutes later the counted incident pages "nobody approved … in time", for a request on-call
 * never received. Required: a request whose incident has recovered no longer holds its problem's claim (or the next
 * request is e-mailed anyway).
 */
describe('an alarm that fires, recovers and fires again within the approval timeout', () => {
  it("e-mails the approval request of the firing incident, not only the recovered one's", async () => {
    const { deps, published } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await recoveredAt(deps, '2026-11-20T10:08:00.000Z');
    expect((await deps.incidents.get(first.incidentId))?.status).toBe('resolved');
    const second = await askedAt(deps, '2026-11-20T10:40:00.000Z', 'token-2');

    const tokens = mailedTokens(published);
    console.log('e-mailed tokens:', tokens, 'second:', (await deps.incidents.get(second.incidentId))?.notifications.at(-1)?.detail);
    // Today: ['token-1'] only; the second incident's request is "counted on the open approval request of this problem".
    expect(tokens).toContain('token-2');
  });
});

/**
 * Attack pass 16, F3 and F5 together. Pages of a workflow an outsider can repeat (`on: issues`, `issue_comment`, …) key a
 * run a writer started apart from the outsiders' (`githubProblemKey(incident, startedByWriter)`), so a stranger cannot
 * take the page a maintainer's failure needs. The e-mailed approval request's problem claim is `problemOf(incident)`
 * without `startedByWriter`: `approval:gh:<repo>:outside:workflow:<id>` for both. With a policy that makes re-runs wait
 * for approval, a stranger who opens an issue that fails the triage workflow holds the claim for the approval timeout
 * (and opens it again with the next issue once it lapses): a maintainer's run of the same workflow failing meanwhile is
 * counted, its request e-mailed to nobody, and nothing can approve its re-run.
 */
describe("a maintainer's approval request after a stranger's of the same outsider-repeatable workflow", () => {
  it("is e-mailed: the stranger's request does not hold the maintainer's claim", async () => {
    const { createHash } = await import('node:crypto');
    const { newIncident } = await import('../../shared/domain/incident.js');
    type Summary = import('../../shared/domain/incident.js').AnalysisSummary;
    const { githubIncidentFields, githubIncidentScope } = await import('../../shared/domain/github-incident.js');
    const { triggerFromWorkflowRun } = await import('../../shared/ingest/github-webhook.js');
    const { loadWebhook } = await import('../../infra/local/replay.js');
    const { createFakeGitHub, createMemoryRerunLedger } = await import('../support/fakes.js');
    const github = createFakeGitHub();
    github.permissions.set('maya-maintainer', 'write');
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } };
    const { deps, published } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ policyFile } as never) });
    const ask = async (runId: number, actor: string, token: string) => {
      const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
      Object.assign(body.workflow_run, {
        id: runId, event: 'issues', head_branch: 'main', pull_requests: [], head_sha: createHash('sha1').update(String(runId)).digest('hex'),
        triggering_actor: { login: actor, id: runId, type: 'User' },
      });
      const trigger = triggerFromWorkflowRun(body as never, `delivery-${runId}`);
      const analysis = { provider: 'scripted', model: null, rootCause: 'the API timed out', fix: ['re-run'], confidence: 0.9, proposedAction: 'rerun_failed_jobs', rationale: 'transient', evidence: [], latencyMs: 1 } satisfies Summary;
      await deps.incidents.create(
        newIncident({ ...githubIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', fingerprint: `fp-${runId}`, analysis, failureLines: [{ line: 3, text: 'ETIMEDOUT' }] }, deps.clock()),
        githubIncidentScope(trigger),
      );
      expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'rerun_failed_jobs', awaitingApproval: true });
      await notifyStep({ trigger, approvalRequest: { taskToken: token } }, deps);
      return trigger;
    };

    await ask(9_101, 'stranger', 'token-stranger');
    const maintainers = await ask(9_102, 'maya-maintainer', 'token-maintainer');

    const tokens = mailedTokens(published);
    console.log('e-mailed tokens:', tokens, 'maintainer:', (await deps.incidents.get(maintainers.incidentId))?.notifications.at(-1)?.detail);
    expect(tokens).toContain('token-maintainer');
  });
});
