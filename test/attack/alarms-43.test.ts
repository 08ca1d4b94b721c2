import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Webhooks } from '@octokit/webhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalWorkflow } from '../../infra/local/local-workflow.js';
import { createSfnTaskControl } from '../../shared/adapters/sfn.js';
import { pipelineDefinition } from '../support/pipeline-asl.js';
import { memoryRegistry } from '../support/execution-registry.js';
import { type AnalysisSummary, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { loadWebhook, signWebhook } from '../../infra/local/replay.js';
import { RunbookHolderStartingError, TaskTokenSpentError } from '../../shared/errors.js';
import type { Learning } from '../../shared/knowledge/learning.js';
import type { ApprovalResumes } from '../../shared/stores/approval-resumes.js';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createFakeGitHub, createMemoryApprovalResumes, createMemoryCommandAnswers, createScriptedRunbookRunner, pullRequestCommentDelivery, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { holderStartFailedForGood, remediateDiesAtWrite, twoAlarmsOfOneEpisode } from '../support/alarm-events.js';
import { askedAt, resumeDecisionsAt } from '../support/alarm-approvals.js';

/*
 * Attack pass 43a (session 41): the per-episode runbook claim after runbook41 (approved runbooks take the claim; a later
 * ALARM makes its holder's start again with the holder's client token, `confirmRunbookStart`; `runbookExecutionId`
 * recorded right after the start) and the approvals after a local restart and across retries (local41, the carry of a
 * decision refused for an old token to its retry's new token). Each finding is an `it.fails` whose body asserts the
 * behaviour required, with an `attack-43a finding Fn` comment; what held is kept as ordinary tests. No product code
 * was changed by the pass.
 *
 * Findings: F1 an approved holder does not hold the episode's claim between its claim and its runbookExecutionId (a
 * second approved ALARM runs the runbook again); F2 confirmRunbookStart runs before, and without, the approval the later
 * ALARM's own plan needs; F3 confirmRunbookStart starts the run of a holder still in its step, which its rate-limit
 * reservation then refuses (a run past the limit, recorded as not run); F4 the reconciler writes off a decision kept for
 * its request's retry as "resumed already" when it runs before the retry; F5 the same on the command path, by a second
 * maintainer's same command; F6 the local runtime accepts a decision while its request still runs and then retries the
 * failed request on a new token, losing it. All six were fixed in session 41: their tests are ordinary ones now, with
 * the bodies the pass wrote.
 * Held: an approved holder that recorded its execution stands; a later ALARM makes an automatic holder's start once,
 * with the holder's token and parameters; a holder that died before its plan leaves the claim to the next ALARM; a
 * start SSM refuses for good pages once per episode; a rejection is carried to the retry as a rejection.
 */

const MEDIUM = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];
const HIGH = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
const scratch = scratchStoreForFile('guard-a43-claims');
const distinctRuns = (runner: ReturnType<typeof createScriptedRunbookRunner>) => new Set(runner.started.map((r) => r.clientToken)).size;

let alarms = 0;

/** Two ALARMs of one episode of an automatic (medium) runbook's alarm, classified and analysed; the claims in DynamoDB. */
async function twoAutomaticIncidents() {
  const runner = createScriptedRunbookRunner();
  const { deps, published } = stepDeps({
    clock: () => new Date('2026-11-20T14:00:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(MEDIUM)), runner, episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }) }),
  });
  const name = `checkout-a43-${++alarms}`;
  const [first, second] = await twoAlarmsOfOneEpisode(deps, 'a43', name);
  return { deps, runner, published, first, second };
}

/** An alarm whose runbook needs approval (high), e-mailed: its episode's first ALARM (10:03:12) and second (10:07) both asking. */
async function twoAskingIncidents() {
  const runner = createScriptedRunbookRunner();
  const approvalResumes = createMemoryApprovalResumes();
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify([{ ...HIGH[0], alarmNamePrefix: 'checkout-api-' }])), runner }),
    approvalResumes,
  });
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
  return { deps, runner, published, first, second };
}

describe('attack pass 43a: the episode claim of an approved runbook', () => {
  // attack-43a finding F1: an approved holder does not hold the episode's claim between its claim and the write of runbookExecutionId (it is still awaiting_approval, and awaiting_approval without an execution id neither "started" nor is BEFORE_DECISION), so a second approved ALARM of the episode handled in that window takes the claim over and starts a second run. Fixed in session 41: the step records runbookStartAttemptedAt before its start, and a holder that did stands.
  it('runs once when the second ALARM of the episode is approved while the first approved one is starting its run', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    // The first's approved Remediate: SSM answers its start; before the step records the execution (a DynamoDB write
    // that takes its time, or a Lambda that dies there and is retried a few seconds later), the second's approval is handled.
    const start = runner.start.bind(runner);
    let secondDone = false;
    runner.start = async (request) => {
      const answered = await start(request);
      if (!secondDone) {
        secondDone = true;
        deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
        await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
      }
      return answered;
    };

    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    // Required: one run for the episode (the service restarted once); the second counted on the first's run.
    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only' });
  });

  // Held: an approved holder whose start answered (runbookExecutionId recorded) stands while its run is followed, also when its decision's write then dies on every try.
  it('runs once when the first approved run recorded its execution and its decision was then lost', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const update = deps.incidents.update.bind(deps.incidents);
    deps.incidents.update = async (id, fields, append) => {
      if (id === first.incidentId && 'decision' in fields) throw new Error('Task timed out');
      return update(id, fields, append);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');
    }
    deps.incidents.update = update;

    deps.clock = () => new Date('2026-11-20T10:10:00.000Z');
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);

    expect(distinctRuns(runner)).toBe(1);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });
  });
});

describe("attack pass 43a: a later ALARM making its holder's start again (confirmRunbookStart)", () => {
  // attack-43a finding F2: the episode check (and confirmRunbookStart in countedOnEpisodeRun) comes before the plan's requiresApproval: a later ALARM whose plan now needs a human's approval (the runbook's severity raised to high after the holder's start failed and on-call was paged) starts the runbook without anyone approving it. Fixed in session 41: a holder's start not known to have happened is made again only after the later ALARM's own approval, delay and proposal checks.
  it("starts no runbook without approval when the later ALARM's plan needs approval and the holder's start had failed", async () => {
    const { deps, runner, second, first } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    expect(runner.started).toHaveLength(0);
    // The operator makes the runbook need approval (severity high) after the failed start was paged.
    deps.remediation.runbooks = parseRunbookMappings(JSON.stringify(HIGH));

    const result = await remediateStep({ trigger: second }, deps);

    // Required: nothing runs before someone approves; the later ALARM asks for approval.
    expect(runner.started).toHaveLength(0);
    expect(result).toMatchObject({ awaitingApproval: true });
  });

  // Held: the control of F2 — the same later ALARM with the automatic mapping makes the holder's start, with the holder's token, once.
  it("makes the holder's start once, with the holder's token, when its plan is automatic", async () => {
    const { deps, runner, second, first } = await twoAutomaticIncidents();
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    await remediateStep({ trigger: second }, deps).catch(() => undefined);
    expect(distinctRuns(runner)).toBe(1);
    expect(runner.started[0]?.parameters).toEqual(runner.started.at(-1)?.parameters);
  });
});

describe("attack pass 43a: confirmRunbookStart against a holder still in its step", () => {
  // Held: a holder that claimed and died before storing its plan on every try (its Catch's Notify records it) leaves the episode's runbook to the next ALARM, which runs it once with its own token.
  it('runs the runbook for the next ALARM when the holder died before its plan on every try', async () => {
    const { deps, runner, first, second } = await twoAutomaticIncidents();
    await remediateDiesAtWrite(deps, first, 'plan');
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);

    expect(await remediateStep({ trigger: second }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(second.incidentId)]);
  });

  // attack-43a finding F3: runbookStartUnconfirmed reads "plan run_runbook stored, no decision, no execution id" as "its start may have failed unrecorded", but a holder still in its step looks the same between its plan's write and its start; applyPlan reserves the rate-limit slot in that window. A concurrent later ALARM makes the holder's start (its token) while the holder's reservation is then refused: the runbook runs past the rate limit, and the holder records "run_runbook planned, not applied: the rate limit was reached" (on-call is told it did not run). Fixed in session 41: only a holder whose step went to its start (runbookStartAttemptedAt, written after its rate-limit slot) has its start made again.
  it("starts nothing for a holder whose own step then finds the rate limit reached", async () => {
    const { deps, runner, first, second } = await twoAutomaticIncidents();
    let secondFailed: unknown;
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) {
        // The holder stored its plan; the later ALARM's execution is remediated at this moment (a storm's concurrent executions).
        // Since session 42 (attack-44b R6) its step does not count on a holder that has not gone to its start: it fails
        // with RunbookHolderStartingError for the state machine to retry, making no start meanwhile.
        secondFailed = await remediateStep({ trigger: second }, deps).catch((error: unknown) => error);
        return false;
      }
      return reserve(scope, limits, incidentId);
    };

    await remediateStep({ trigger: first }, deps);
    expect(secondFailed).toBeInstanceOf(RunbookHolderStartingError);

    const holder = await deps.incidents.get(first.incidentId);
    expect(holder?.decision).toMatchObject({ action: 'escalate', reason: expect.stringContaining('rate limit') });
    // Required: the rate limit's refusal holds (nothing ran), or at least the holder's record says that its runbook ran.
    expect(runner.started).toHaveLength(0);
  });
});

const PATCH = ['--- a/src/tax.ts', '+++ b/src/tax.ts', '@@ -1 +1 @@', '-export const rate = 0.2;', '+export const rate = 0.19;', ''].join('\n');

/** A fix PR proposal asked for at 10:00 with token-1 for a 6-hour wait (as test/unit/steps/remediation-plan.test.ts). */
async function waitingFixPr() {
  const github = createFakeGitHub();
  github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
  const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: { defaults: { actions: { open_fix_pr: { allowed: true } } } } }) });
  const body = structuredClone(loadWebhook('workflow_run-failure')).body;
  const trigger = triggerFromWorkflowRun(body as never, 'd-1');
  const analysis: AnalysisSummary = {
    provider: 'scripted', model: null, rootCause: 'the tax rate constant is wrong', fix: ['use 0.19'], confidence: 0.95,
    proposedAction: 'open_fix_pr', rationale: 'one-line fix', evidence: ['Expected: 107.1'], latencyMs: 1, patch: { diff: PATCH, files: ['src/tax.ts'] },
  };
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: 'fp', failureLines: [{ line: 77, text: '● Invoice totals' }], analysis }, deps.clock()),
    githubIncidentScope(trigger),
  );
  await remediateStep({ trigger }, deps);
  await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-1' } }, deps);
  github.permissions.set('maintainer', 'write');
  const approvalResumes = deps.approvalResumes as ApprovalResumes;
  const sent: Array<[string, unknown]> = [];
  const tasks = {
    async succeed(token: string, output: Record<string, unknown>) {
      if (token !== 'token-2') throw new TaskTokenSpentError('TaskDoesNotExist: Task does not exist anymore');
      sent.push([token, output]);
    },
    async fail(token: string, error: string, cause: string) {
      if (token !== 'token-2') throw new TaskTokenSpentError('TaskDoesNotExist: Task does not exist anymore');
      sent.push([token, `${error}: ${cause}`]);
    },
  };
  const answers = createMemoryCommandAnswers();
  const handle = (text = '/guard approve', login = 'maintainer', commentId = 7) => handleIssueCommentWebhook({ ...signWebhook(pullRequestCommentDelivery({ login, text, commentId, pullRequest: 1287, repository: { id: 714523861, name: 'checkout-service' }, deliveryId: `c-${commentId}` }), 'a43-secret'), isBase64Encoded: false }, {
    ...deps, webhooks: new Webhooks({ secret: 'a43-secret' }), maxBodyBytes: 1_048_576, github: deps.github, approvals: deps.remediation.approvals,
    answers, tasks, learning: {} as Learning, approvalResumes,
  });
  return { github, deps, trigger, approvalResumes, sent, tasks, handle };
}

describe('attack pass 43a: a /guard decision refused for a failed request\'s token, carried to its retry', () => {
  // attack-43a finding F4: the command keeps a decision refused for a spent token before its wait's end (202, "carried to its retry"), but the reconciler's next run past its grace (RECONCILE_AFTER_MINUTES, 10) sends it to the same spent token before the retry ran (AwaitApproval retries WriteBudgetExhaustedError for up to 15 minutes a try, 22 tries): resumeListed reads TaskTokenSpentError before the wait's end as "resumed already", marks the decision resumed and tells the command it "needs nothing more"; the retry then finds no unresumed decision and asks again. The approval is lost and its author told it was done.
  it('applies the approval when the reconciler runs before the retried request (a write-budget backoff)', async () => {
    const { deps, trigger, approvalResumes, sent, tasks, handle } = await waitingFixPr();
    // The request's attempt with token-1 failed after it was recorded (the write budget): token-1 is spent. 10:00: /guard approve.
    expect((await handle()).statusCode).toBe(202);
    // 10:11: the reconciler's run, past the grace, before the retry.
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:11:00.000Z');
    // 10:15: the retried request (token-2), then the reconciler's next run.
    deps.clock = () => new Date('2026-11-20T10:15:00.000Z');
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-2' } }, deps);
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:30:00.000Z');

    // Required: the approval reaches the retry's wait, and nobody is asked again.
    expect(sent).toEqual([['token-2', { approvedBy: 'maintainer' }]]);
  });

  // attack-43a finding F5: the same write-off on the command path. A second maintainer's same `/guard approve` (or the first's command redelivered) while the failed request's retry backs off finds the decision unresumed, sends it to the spent token, and resumeDecided reads TaskTokenSpentError before the wait's end as "resumed already": markResumed forgets the decision, the second maintainer is told "already decided", and the retry asks again. The approval is lost.
  it("applies the approval when a second maintainer's same command comes before the retried request", async () => {
    const { deps, trigger, approvalResumes, sent, tasks, handle, github } = await waitingFixPr();
    github.permissions.set('second-maintainer', 'write');
    expect((await handle()).statusCode).toBe(202);
    deps.clock = () => new Date('2026-11-20T10:03:00.000Z');
    await handle('/guard approve', 'second-maintainer', 8);
    deps.clock = () => new Date('2026-11-20T10:05:00.000Z');
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-2' } }, deps);
    await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:30:00.000Z');

    // Required: the approval reaches the retry's wait.
    expect(sent).toEqual([['token-2', { approvedBy: 'maintainer' }]]);
  });

  // Held: the carry refuses a rejection's turning into an approval, and the retry carries only a decision of the proposal it asks (same digest): a rejection sent with the failed attempt's token is carried as the rejection.
  it('carries a /guard reject sent with the failed request\'s token as a rejection', async () => {
    const { deps, trigger, handle } = await waitingFixPr();
    expect((await handle('/guard reject not now')).statusCode).toBe(202);
    deps.clock = () => new Date('2026-11-20T10:01:00.000Z');
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-2' } }, deps);
    const carried = await deps.incidents.get(trigger.incidentId);
    expect(carried?.approval).toMatchObject({ status: 'rejected', decidedBy: 'maintainer', taskToken: 'token-2' });
  });
});

describe("attack pass 43a: a holder's start that SSM refuses for good", () => {
  // Held (attack-43a idea: a page twice): a holder whose runbook start SSM refuses for good pages on-call once; the episode's later ALARM makes that start again (confirmRunbookStart), is refused the same way and fails its own Remediate on every try, but its Catch's Notify pages nobody again for the one episode.
  it('pages once per episode when the runbook start fails for good', async () => {
    const { deps, runner, published, first, second } = await twoAutomaticIncidents();
    runner.start = async () => {
      throw Object.assign(new Error('Document Restart-Checkout-Api does not exist'), { name: 'AutomationDefinitionNotFoundException' });
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('does not exist');
    await notifyStep({ trigger: first, remediateError: { Error: 'AutomationDefinitionNotFoundException', Cause: 'Document Restart-Checkout-Api does not exist' } }, deps);
    const pagesAfterHolder = published.length;
    expect(pagesAfterHolder).toBe(1);

    // The episode's next ALARM (10:07, no OK between).
    let failed: unknown = null;
    for (let attempt = 0; attempt < 4; attempt += 1) await remediateStep({ trigger: second }, deps).catch((error: unknown) => (failed = error));
    expect(String(failed)).toContain('does not exist');
    expect(runner.started).toHaveLength(0);
    await notifyStep(failed ? { trigger: second, remediateError: { Error: 'AutomationDefinitionNotFoundException', Cause: 'Document Restart-Checkout-Api does not exist' } } : { trigger: second }, deps);

    // Required: on-call is not paged a second time for the one episode's one failing runbook.
    expect(published).toHaveLength(pagesAfterHolder);
  });
});

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:a43';
const AWAIT_APPROVAL = pipelineDefinition.States.AwaitApproval as { Parameters: unknown; TimeoutSecondsPath: string };

/** AwaitApproval (its Parameters and timeout path as the pipeline's, a RetryableError retried once) then Notify. */
function retriedAwaitAsl(): string {
  const definition = {
    StartAt: 'AwaitApproval',
    States: {
      AwaitApproval: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: AWAIT_APPROVAL.Parameters,
        Retry: [{ ErrorEquals: ['RetryableError'], IntervalSeconds: 1, MaxAttempts: 1 }], TimeoutSecondsPath: AWAIT_APPROVAL.TimeoutSecondsPath,
        ResultPath: '$.approval', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.approvalError', Next: 'Notify' }], Next: 'Notify',
      },
      Notify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:notify', End: true },
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'guard-a43-asl-')), 'machine.asl.json');
  writeFileSync(path, JSON.stringify(definition));
  return path;
}

describe('attack pass 43a: the local runtime\'s retried token state', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  // attack-43a finding F6: the local runtime registers an attempt's waiter before its request (Notify) runs, so a decision sent while the request still runs (the PR comment is up; a later write of the request then fails: GitHub 502, the write budget) is accepted (200: the command marks it resumed, replies "approved") — and the attempt's failure then ends that token and retries with a new one, asking again. The accepted decision never reaches the execution.
  it('applies a decision it accepted while the request was still running, or refuses it', async () => {
    const registry = memoryRegistry();
    const tokens: string[] = [];
    let decide: () => Promise<string | unknown> = async () => 'not sent';
    let answer: unknown = null;
    let approval: unknown = 'none';
    const workflow = await startLocalWorkflow({
      aslPath: retriedAwaitAsl(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 50,
      tokenTasks: {
        AwaitApproval: async (input) => {
          tokens.push((input as { Payload: { approvalRequest: { taskToken: string } } }).Payload.approvalRequest.taskToken);
          if (tokens.length === 1) {
            // The request's comment is up; a /guard approve is handled before the request's last write fails.
            answer = await decide();
            throw Object.assign(new Error('GitHub answered 502'), { name: 'RetryableError' });
          }
          return {};
        },
      },
      tasks: { Notify: async (input) => { approval = (input as { approval?: unknown }).approval ?? null; return {}; } },
    });
    close = () => workflow.close();
    const client = new SFNClient({ endpoint: workflow.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const tasks = createSfnTaskControl(client);
    decide = () => tasks.succeed(tokens[0] as string, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => error);
    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'decided-mid-request', input: JSON.stringify({ trigger: { source: 'github' }, execution: {}, Payload: { timeoutSeconds: 60 } }) }));
    await vi.waitFor(() => expect(tokens).toHaveLength(2), { timeout: 5_000 });

    // The control: the decision was accepted.
    expect(answer).toBe('taken');
    // Required: accepted, it is the wait's answer (Notify gets it), not asked again on a new token.
    await vi.waitFor(() => expect(approval).toEqual({ approvedBy: 'oncall-ana' }), { timeout: 2_000 });
  }, 15_000);
});
