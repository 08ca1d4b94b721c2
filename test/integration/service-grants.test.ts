import { describe, expect, it } from 'vitest';
import { runAsFunction } from '../../infra/local/function-grants.js';
import { loadConfig } from '../../shared/config.js';
import { createEscalations, createRecoveryQueue, createRunbookRunner, createTaskControl, createWorkflowStarter } from '../../shared/runtime/deps.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * The local runtime holds each function's calls to the services beyond DynamoDB that have a stand-in there (SNS: the
 * outbox; Step Functions: the embedded state machine; SSM: the outbox's runbooks; Lambda's asynchronous invocation:
 * the store's queue) to what the stack may grant its role (infra/service-access.ts), as it holds DynamoDB's
 * (function-grants.test.ts), and refuses as the service refuses (session 48). Before, a stage that published, started
 * an execution, ran a runbook or queued a recovery without its role's grant passed every local test.
 */
const harness = useLocalRuntime({ secret: 'service-grants-secret', name: 'guard-service-grants', env: { GITHUB_TOKEN: undefined } });

/** The composition root's adapters as a handler builds them, from the runtime's configuration. */
const configOf = () => loadConfig(harness.runtime.env);

const refusal = (work: () => Promise<unknown>) => work().then(() => null, (error: Error) => error);

const page = { subject: 'grants probe', message: 'a page from a function that may not publish', attributes: { severity: 'high' } };

describe("the local runtime refuses a call beyond DynamoDB that the function's role is not granted", () => {
  it("refuses SNS Publish to a function without sns:Publish, as SNS does (AuthorizationErrorException), and lets notify's through", async () => {
    const escalations = createEscalations(configOf());

    const refused = await refusal(() => runAsFunction('classify', () => escalations.publish(page)));

    expect(refused?.name).toBe('AuthorizationErrorException');
    expect(refused?.message).toContain('sns:Publish');
    await expect(runAsFunction('notify', () => escalations.publish({ ...page, message: 'a page notify may send' }))).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  it('refuses Step Functions calls to a function without them (AccessDeniedException), and lets the reconciler describe an execution', async () => {
    const workflow = createWorkflowStarter(configOf());
    const tasks = createTaskControl(configOf());

    const describeRefused = await refusal(() => runAsFunction('notify', () => workflow.describe('grants-probe')));
    const startRefused = await refusal(() => runAsFunction('record-outcome', () => workflow.start('grants-probe', {})));
    const resumeRefused = await refusal(() => runAsFunction('ingest-alarm', () => tasks.succeed('grants-probe-token', {})));

    expect(describeRefused?.name).toBe('AccessDeniedException');
    expect(describeRefused?.message).toContain('states:DescribeExecution');
    expect(startRefused?.name).toBe('AccessDeniedException');
    expect(resumeRefused?.name).toBe('AccessDeniedException');
    expect(resumeRefused?.message).toContain('states:SendTaskSuccess');
    await expect(runAsFunction('reconcile', () => workflow.describe('grants-probe'))).resolves.toBeNull();
  });

  it("refuses an SSM Automation call to a function without it (AccessDeniedException), and lets the reconciler read a run's status", async () => {
    const runner = createRunbookRunner(configOf());

    const refused = await refusal(() => runAsFunction('notify', () => runner.status('local-probe')));
    const startRefused = await refusal(() => runAsFunction('classify', () => runner.start({ document: 'Restart-Probe', parameters: {}, clientToken: 'grants-probe' } as never)));

    expect(refused?.name).toBe('AccessDeniedException');
    expect(refused?.message).toContain('ssm:GetAutomationExecution');
    expect(startRefused?.name).toBe('AccessDeniedException');
    expect(startRefused?.message).toContain('ssm:StartAutomationExecution');
    await expect(runAsFunction('reconcile', () => runner.status('local-probe'))).resolves.toMatchObject({ executionId: 'local-probe' });
  });

  it('refuses queuing a recovery (Lambda Invoke of record-outcome) to a function other than ingest-github (AccessDeniedException)', async () => {
    const queue = createRecoveryQueue(configOf());

    const refused = await refusal(() => runAsFunction('notify', () => queue.enqueue({} as never)));

    expect(refused?.name).toBe('AccessDeniedException');
    expect(refused?.message).toContain('lambda:InvokeFunction');
  });

  it('lets the same calls through outside any function (the runtime itself, the CLI)', async () => {
    await expect(createWorkflowStarter(configOf()).describe('grants-probe')).resolves.toBeNull();
    await expect(createRunbookRunner(configOf()).status('local-probe')).resolves.toMatchObject({ executionId: 'local-probe' });
  });
});
