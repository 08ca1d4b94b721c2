import { describe, expect, it } from 'vitest';
import { ASL_PATH } from '../../infra/pipeline-definition.js';
import { readSettings } from '../../infra/stack.js';
import { loadConfig } from '../../shared/config.js';
import { allows, FUNCTION_NAMES, functionLogicalId, functionStatements, readJson, ref, synth, testApp } from './support.js';

/** `-c githubAppId=…`: the functions act as the App's installations, with the App key in Secrets Manager. */
// record-outcome updates the PR comment of the incidents a green run resolves; evaluate-gate asks whether a run's
// commit is on the default branch.
/** The reconciler reads the reactions of experiment units that became final since the guard last read them. */
const GITHUB_FUNCTIONS = ['ingest-github', 'classify', 'remediate', 'notify', 'record-outcome', 'evaluate-gate', 'reconcile'] as const;

describe('GitHub App deployment (githubAppId)', () => {
  const synthesized = synth({ githubAppId: '1048576', githubBotLogin: 'pipeline-guard[bot]' });
  const { stack, template } = synthesized;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const secrets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret');
  const [keyId, keySecret] = secrets.find(([, r]) => String(r.Properties.Description).includes('App 1048576 private key')) ?? [];
  const env = (name: (typeof FUNCTION_NAMES)[number]) =>
    resources[functionLogicalId(stack, stack.functions[name])]?.Properties.Environment.Variables as Record<string, unknown>;

  it('creates an empty private-key secret and no token secret', () => {
    expect(keySecret).toBeDefined();
    expect(keySecret?.Properties.GenerateSecretString).toBeUndefined();
    expect(secrets.some(([, r]) => String(r.Properties.Description).includes('GitHub token'))).toBe(false);
    template.hasOutput('GitHubAppPrivateKeySecretArn', { Value: ref(keyId ?? '') });
  });

  it('gives exactly the functions that call GitHub the App id and read access to the key', () => {
    for (const name of FUNCTION_NAMES) {
      const variables = env(name);
      const statements = functionStatements(synthesized, name);
      const callsGitHub = (GITHUB_FUNCTIONS as readonly string[]).includes(name);
      expect(variables.GITHUB_APP_ID, name).toBe(callsGitHub ? '1048576' : undefined);
      expect(variables.GITHUB_APP_PRIVATE_KEY_SECRET_ARN, name).toEqual(callsGitHub ? ref(keyId ?? '') : undefined);
      expect(variables.GITHUB_TOKEN_SECRET_ARN, name).toBeUndefined();
      expect(allows(statements, 'secretsmanager:GetSecretValue', ref(keyId ?? '')), name).toBe(callsGitHub);
    }
  });

  it('tells remediate the bot login, so it can tell its own re-runs from a person’s', () => {
    expect(env('remediate').GITHUB_BOT_LOGIN).toBe('pipeline-guard[bot]');
  });

  it.each([['0'], ['-3'], ['abc'], ['1.5']])('rejects githubAppId=%s naming the key', (value) => {
    expect(() => readSettings(testApp({ githubAppId: value }))).toThrow(/githubAppId must be a positive whole number/);
  });
});

describe('write budget in the state machine', () => {
  it('retries Remediate when the shared GitHub write budget is spent, and lets Notify wait for it instead of failing into the fallback', () => {
    const asl = readJson<{ States: Record<string, { Retry?: Array<{ ErrorEquals: string[] }>; Next?: string; SecondsPath?: string }> }>(ASL_PATH);
    const retried = (state: string) => (asl.States[state]?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried('Remediate')).toContain('WriteBudgetExhaustedError');
    // Notify turns a spent budget into commentPending + waitSeconds; retrying it would end in the content-free fallback.
    expect(retried('Notify')).not.toContain('WriteBudgetExhaustedError');
    expect(asl.States.Notify?.Next).toBe('CommentPending');
    expect(asl.States.WaitForWriteBudget).toMatchObject({ SecondsPath: '$.notify.waitSeconds', Next: 'Notify' });
  });

  it('lets every other step that writes to GitHub wait as long as a comment does before a spent budget fails it', () => {
    type Retrier = { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number };
    const asl = readJson<{ States: Record<string, { Retry?: Retrier[] }> }>(ASL_PATH);
    const waitMinutes = loadConfig({}).GITHUB_WRITE_WAIT_MINUTES;
    for (const state of ['Remediate', 'AwaitApproval', 'ApplyApproved', 'ApplyAfterDelay']) {
      const retrier = asl.States[state]?.Retry?.find((r) => r.ErrorEquals.includes('WriteBudgetExhaustedError'));
      // Its own retrier: sharing one with transient errors would give up after seconds and escalate for the budget alone.
      expect(retrier?.ErrorEquals, state).toEqual(['WriteBudgetExhaustedError']);
      const { IntervalSeconds = 1, MaxAttempts = 3, BackoffRate = 2, MaxDelaySeconds = Infinity } = retrier ?? { ErrorEquals: [] };
      let total = 0;
      for (let attempt = 0; attempt < MaxAttempts; attempt += 1) total += Math.min(IntervalSeconds * BackoffRate ** attempt, MaxDelaySeconds);
      // Full jitter halves the expected wait: the schedule's ceiling is twice the comment's bound.
      expect(total / 60, state).toBeGreaterThanOrEqual(2 * waitMinutes);
    }
  });
});
