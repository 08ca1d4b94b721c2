/**
 * Every Lambda handler that is not a Step Functions step (session 44): the reconciler and record-outcome (retried by
 * Lambda's asynchronous invocation), ingest-alarm (EventBridge), ingest-github, the read API and the quality gate (API
 * Gateway). As the steps since session 43 (invocation-deadline.test.ts), an invocation still running at its timeout is
 * not answered by the wrapper: middy's early answer (a bare TimeoutError 5 ms before the timeout) left the handler's
 * promise running in the warm container, its late writes beside those of the retry or redelivery. Lambda stops it
 * and resets the environment instead. The real handler exports, their AWS calls sent to a stand-in on loopback that
 * never answers (`AWS_ENDPOINT_URL`), as a DynamoDB or Step Functions connection that stalls. And ingest-github's
 * cold start, whose secret reads must fit Lambda's init limit together.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { alarmEvent } from '../../support/alarm-events.js';
import { signedWebhook } from '../../support/ingest.js';

const WEBHOOK_SECRET = 'handler-timeouts-secret';
const CI_ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-acme-app/build-42';

/** An AWS endpoint whose every request stalls; its connections are cut once the tests are over. */
let stalledRequests = 0;
const stalled = createServer((request) => {
  stalledRequests += 1;
  request.resume();
});

beforeAll(async () => {
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
});

afterAll(() => {
  stalled.closeAllConnections();
  stalled.close();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** The environment the deployed functions have, every AWS call going to the stalled endpoint. */
function stubDeployedEnv() {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`,
    AWS_MAX_ATTEMPTS: '1',
    OUTBOX_PATH: '',
    INCIDENTS_TABLE: 'incidents',
    BASELINES_TABLE: 'baselines',
    EXPERIMENTS_TABLE: 'experiments',
    KNOWLEDGE_TABLE: 'knowledge',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:incident-pipeline',
    ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:escalations',
    RECOVERY_FUNCTION_NAME: 'record-outcome',
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GITHUB_OWNERS: 'acme',
    GATE_CALLERS: JSON.stringify({ 'arn:aws:sts::123456789012:assumed-role/ci-acme-app/*': ['acme/app'] }),
  };
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
}

/** An invocation of each handler export that reaches an AWS call (which stalls). */
const invocations: Record<string, () => unknown> = {
  reconcile: () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }),
  'record-outcome': () => alarmEvent('handler-timeouts', 'OK', '2026-11-20T10:00:00.000Z'),
  'ingest-alarm': () => alarmEvent('handler-timeouts', 'ALARM', '2026-11-20T10:00:00.000Z'),
  'ingest-github': () => signedWebhook('workflow_run-failure', WEBHOOK_SECRET, (body) => { body.repository.owner.login = 'acme'; body.repository.full_name = `acme/${body.repository.name}`; }),
  'read-api': () => ({ httpMethod: 'GET', path: '/incidents', queryStringParameters: null, headers: {}, body: null, isBase64Encoded: false }),
  'evaluate-gate': () => ({
    body: JSON.stringify({ repository: 'acme/app', branch: 'feature/x', sha: 'abcdef1', metrics: { coverage_pct: 80 } }),
    isBase64Encoded: false,
    requestContext: { identity: { userArn: CI_ROLE } },
  }),
};

describe('a handler still running at its invocation’s timeout (session 44)', () => {
  it.each(Object.keys(invocations))('%s is not answered by the Lambda wrapper: Lambda itself stops it at the function’s timeout', async (name) => {
    stubDeployedEnv();
    const { handler } = (await import(`../../../functions/${name}/handler.ts`)) as { handler: (event: unknown, context: object) => Promise<unknown> };
    const requestsBefore = stalledRequests;
    let answer: unknown = 'none';
    const invokedAt = Date.now();
    void handler(invocations[name]!(), { functionName: name, getRemainingTimeInMillis: () => 200 }).then(
      (value) => { answer = value; },
      (error: unknown) => { answer = error; },
    );

    // Held by its stalled AWS call, past its timeout. Was: middy's TimeoutError at 195 ms, that call still pending.
    // The call is awaited rather than given a fixed time: on a busy machine (a fresh-clone run under a load of 24)
    // a handler took more than the 400 ms it had to reach it.
    await vi.waitFor(() => expect(stalledRequests).toBeGreaterThan(requestsBefore), { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, invokedAt + 400 - Date.now())));
    expect(answer).toBe('none');
  });
});

const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/webhook-AbCdEf';
const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-AbCdEf';

describe('ingest-github’s cold start (session 44)', () => {
  // Each secret read outside an invocation is bounded by a fixed budget (6 s, shared/adapters/aws-json.ts), under
  // Lambda's 10 s init limit; ingest reads two (the webhook secret, the GitHub token or App key). One after the other,
  // a Secrets Manager that hangs held the init phase twice that budget, past the limit.
  it('reads its secrets side by side, so the init phase is bounded by one read’s budget, not their sum', async () => {
    // The webhook secret is answered only once the token has been asked for: side by side, both are read; one after
    // the other, the token is never asked while the webhook secret waits, and the init phase fails.
    const events: string[] = [];
    let answerWebhookSecret: (() => void) | undefined;
    const secretsManager = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
      request.on('end', () => {
        const { SecretId: secret, VersionStage: stage } = JSON.parse(text) as { SecretId: string; VersionStage: string };
        const name = secret === WEBHOOK_SECRET_ARN ? 'webhook secret' : 'token';
        events.push(`${name} ${stage} asked`);
        if (stage === 'AWSPREVIOUS') {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no AWSPREVIOUS' }));
          return;
        }
        const answer = () => {
          events.push(`${name} answered`);
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ SecretString: secret === WEBHOOK_SECRET_ARN ? WEBHOOK_SECRET : 'ghp_example' }));
        };
        if (secret !== WEBHOOK_SECRET_ARN) {
          answer();
          answerWebhookSecret?.();
        } else if (events.includes('token AWSCURRENT asked')) answer();
        else answerWebhookSecret = answer;
      });
    });
    await new Promise<void>((resolve) => secretsManager.listen(0, '127.0.0.1', resolve));
    try {
      stubDeployedEnv();
      vi.stubEnv('GITHUB_WEBHOOK_SECRET', '');
      vi.stubEnv('GITHUB_WEBHOOK_SECRET_ARN', WEBHOOK_SECRET_ARN);
      vi.stubEnv('GITHUB_TOKEN_SECRET_ARN', TOKEN_SECRET_ARN);
      vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', `http://127.0.0.1:${(secretsManager.address() as AddressInfo).port}`);

      await import('../../../functions/ingest-github/handler.js');

      // Was: the token asked for only once the webhook secret had answered, a second budget after the first.
      expect(events.indexOf('token AWSCURRENT asked')).toBeGreaterThanOrEqual(0);
      expect(events.indexOf('token AWSCURRENT asked')).toBeLessThan(events.indexOf('webhook secret answered'));
    } finally {
      secretsManager.closeAllConnections();
      secretsManager.close();
    }
  });
});
