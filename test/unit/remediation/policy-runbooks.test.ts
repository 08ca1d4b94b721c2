import { describe, expect, it } from 'vitest';
import type { SsmAutomationApi } from '../../../shared/adapters/ssm-automation.js';
import type { AlarmDetails } from '../../../shared/domain/incident.js';
import { DEFAULT_POLICY, parsePolicyFile, policyFor } from '../../../shared/remediation/policy.js';
import { createSsmRunbookRunner, followRunbook } from '../../../shared/remediation/runbook-runner.js';
import { automationClientToken, parseRunbookMappings, runbookFor, runbookParameters } from '../../../shared/remediation/runbooks.js';

const home = { account: '123456789012', region: 'us-east-1' };

/** SSM's two Automation calls, answered from `statuses` in order (the last repeats), with what they were sent. */
function fakeSsm(statuses: Array<{ AutomationExecutionStatus?: string; FailureMessage?: string; ExecutionStartTime?: number }>) {
  const starts: unknown[] = [];
  const gets: unknown[] = [];
  const api: SsmAutomationApi = {
    async startAutomationExecution(input) {
      starts.push(input);
      return { AutomationExecutionId: 'exec-1' };
    },
    async getAutomationExecution(input) {
      gets.push(input);
      return { AutomationExecution: statuses[Math.min(gets.length - 1, statuses.length - 1)] };
    },
  };
  return { api, starts, gets };
}

const alarm: AlarmDetails = {
  name: 'checkout-api-5xx-rate', arn: 'arn:aws:cloudwatch:us-east-1:1:alarm:checkout-api-5xx-rate', account: '123456789012', region: 'us-east-1',
  state: 'ALARM', previousState: 'OK', reason: 'Threshold Crossed', stateChangedAt: '2026-11-20T10:03:12.000+0000', metric: '5XXError', namespace: 'AWS/ApiGateway', threshold: 25,
};

describe('policy file', () => {
  it('layers built-in defaults, file defaults and repository overrides', () => {
    const file = parsePolicyFile(JSON.stringify({
      defaults: { rateLimits: { perHour: 3 } },
      repositories: { 'Acme/App': { actions: { open_fix_pr: { allowed: false } }, dryRun: true } },
    }));

    const policy = policyFor(file, 'acme/app', false);

    expect(policy.rateLimits).toEqual({ perHour: 3, perDay: DEFAULT_POLICY.rateLimits.perDay });
    expect(policy.actions.open_fix_pr).toEqual({ allowed: false, minConfidence: 0.9 });
    expect(policy.actions.rerun_failed_jobs).toEqual(DEFAULT_POLICY.actions.rerun_failed_jobs);
    expect(policy.dryRun).toBe(true);
    expect(policyFor(file, 'other/repo', false).dryRun).toBe(false);
    expect(policyFor(file, 'other/repo', true).dryRun).toBe(true);
  });

  it('rejects unknown keys and bad values with their path', () => {
    expect(() => parsePolicyFile('{"defaults": {"autoMerge": true}}')).toThrow(/policy file: defaults/);
    expect(() => parsePolicyFile('{"defaults": {"actions": {"rerun_failed_jobs": {"minConfidence": 2}}}}')).toThrow(/defaults\.actions\.rerun_failed_jobs\.minConfidence/);
    expect(() => parsePolicyFile('{"defaults": {"actions": {"merge": {"allowed": true}}}}')).toThrow(/policy file/);
    expect(() => parsePolicyFile('not json')).toThrow('policy file is not valid JSON');
  });
});

describe('runbook mappings', () => {
  const mappings = parseRunbookMappings(JSON.stringify([
    { alarmNamePrefix: 'checkout-', document: 'Restart-Checkout', parameters: { Service: ['checkout'] } },
    { alarmNamePrefix: 'checkout-api-', document: 'AWS-RestartECSService', parameters: { AlarmName: ['{{alarm.name}}'], Region: ['{{ alarm.region }}'], Other: ['{{secret}}'] }, severity: 'medium' },
  ]));

  it('picks the longest matching prefix and fills only the documented placeholders', () => {
    const { mapping } = runbookFor(alarm, mappings, home);

    expect(mapping?.document).toBe('AWS-RestartECSService');
    expect(runbookParameters(mapping!, alarm)).toEqual({ AlarmName: ['checkout-api-5xx-rate'], Region: ['us-east-1'], Other: ['{{secret}}'] });
    expect(runbookFor({ ...alarm, name: 'billing-errors' }, mappings, home)).toEqual({ mapping: null, refused: null });
  });

  it("maps only the deployment's own account's and region's alarms, and says why another's starts nothing", () => {
    const elsewhere = [
      { ...alarm, account: '999999999999' },
      { ...alarm, region: 'eu-west-1' },
      { ...alarm, account: '999999999999', region: 'eu-west-1' },
      { ...alarm, account: '' },
    ];
    for (const foreign of elsewhere) {
      const choice = runbookFor(foreign, mappings, home);
      expect(choice.mapping).toBeNull();
      expect(choice.refused).toContain(`account ${foreign.account || 'unknown'} in ${foreign.region}`);
    }
    // Unknown: the deployment's account is not configured, so no alarm can be shown to be its own.
    expect(runbookFor(alarm, mappings, { account: null, region: 'us-east-1' })).toMatchObject({ mapping: null, refused: expect.stringContaining('DEPLOYMENT_ACCOUNT_ID') });
    // No mapping by name: nothing refused, nothing to say.
    expect(runbookFor({ ...alarm, name: 'billing-errors', region: 'eu-west-1' }, mappings, home)).toEqual({ mapping: null, refused: null });
  });

  it('refuses documents and parameters outside the expected shape', () => {
    expect(() => parseRunbookMappings('[{"alarmNamePrefix":"a","document":"bad doc; rm -rf"}]')).toThrow(/document/);
  });

  it('derives a stable UUID-shaped idempotency token per incident', () => {
    expect(automationClientToken('cw-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(automationClientToken('cw-1')).toBe(automationClientToken('cw-1'));
    expect(automationClientToken('cw-2')).not.toBe(automationClientToken('cw-1'));
  });
});

describe('SSM runbook runner', () => {
  it('starts the allow-listed document with the idempotency token and follows it to the end', async () => {
    const ssm = fakeSsm([{ AutomationExecutionStatus: 'InProgress' }, { AutomationExecutionStatus: 'Success' }]);
    const runner = createSsmRunbookRunner(ssm.api);

    const { executionId } = await runner.start({ document: 'AWS-RestartECSService', parameters: { Service: ['checkout'] }, clientToken: automationClientToken('cw-1') });
    const final = await followRunbook(runner, executionId, { pollMs: 5000, timeoutMs: 60_000, sleep: async () => {} });

    expect(final).toEqual({ executionId: 'exec-1', status: 'Success', failureMessage: null });
    expect(ssm.starts).toEqual([{ DocumentName: 'AWS-RestartECSService', Parameters: { Service: ['checkout'] }, ClientToken: automationClientToken('cw-1') }]);
    expect(ssm.gets).toEqual([{ AutomationExecutionId: 'exec-1' }, { AutomationExecutionId: 'exec-1' }]);
  });

  it("answers a start whose client token SSM refuses as used with other parameters as the token's run, by a named error", async () => {
    // Prepare: SSM's refusal as the adapter names it (AwsServiceError carries SSM's error code as its name).
    const refused = Object.assign(new Error('Error returned when an idempotent operation is retried and the parameters do not match'), { name: 'IdempotentParameterMismatch' });
    const api: SsmAutomationApi = { startAutomationExecution: async () => Promise.reject(refused), getAutomationExecution: async () => ({}) };

    // Act
    const start = createSsmRunbookRunner(api).start({ document: 'Restart', parameters: {}, clientToken: automationClientToken('cw-1') });

    // Assert: a run with this token exists (session 41: a later incident repeating its episode's start counts on it).
    await expect(start).rejects.toMatchObject({ name: 'ClientTokenUsedError', clientToken: automationClientToken('cw-1') });
  });

  it('names the document version when the mapping pins one', async () => {
    const ssm = fakeSsm([{ AutomationExecutionStatus: 'Success' }]);

    await createSsmRunbookRunner(ssm.api).start({ document: 'Restart', documentVersion: '3', parameters: {}, clientToken: 't' });

    expect(ssm.starts).toEqual([{ DocumentName: 'Restart', DocumentVersion: '3', Parameters: {}, ClientToken: 't' }]);
  });

  it('reports a runbook still running at the deadline instead of waiting past it', async () => {
    const ssm = fakeSsm([{ AutomationExecutionStatus: 'InProgress' }]);
    let clock = 0;

    const final = await followRunbook(createSsmRunbookRunner(ssm.api), 'exec-2', {
      pollMs: 10_000, timeoutMs: 30_000, now: () => clock, sleep: async (ms) => { clock += ms; },
    });

    expect(final.status).toBe('InProgress (still running when Pipeline Guard stopped waiting)');
    // Polled at 0, 10, 20 and 30 s; the next poll would fall after the 30 s deadline.
    expect(ssm.gets).toHaveLength(4);
  });

  it('reports failure with SSM\'s message', async () => {
    const ssm = fakeSsm([{ AutomationExecutionStatus: 'Failed', FailureMessage: 'Step restart failed' }]);

    const final = await followRunbook(createSsmRunbookRunner(ssm.api), 'exec-3', { pollMs: 1, timeoutMs: 10 });

    expect(final).toEqual({ executionId: 'exec-3', status: 'Failed', failureMessage: 'Step restart failed' });
  });

  it("reports when SSM started the run, and a run its change calendar's override rejection ended as ended (session 43)", async () => {
    const ssm = fakeSsm([{ AutomationExecutionStatus: 'ChangeCalendarOverrideRejected', ExecutionStartTime: 1_795_183_200.5 }]);

    const final = await followRunbook(createSsmRunbookRunner(ssm.api), 'exec-4', { pollMs: 1, timeoutMs: 10 });

    expect(final).toEqual({ executionId: 'exec-4', status: 'ChangeCalendarOverrideRejected', failureMessage: null, startedAt: '2026-11-20T14:00:00.500Z' });
    expect(ssm.gets).toHaveLength(1);
  });
});
