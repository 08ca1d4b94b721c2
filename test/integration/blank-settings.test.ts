import { describe, expect, it } from 'vitest';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { apiRequest, useLocalRuntime } from '../support/harness.js';

/**
 * `NAME=` in an .env file or a template means "not set" (README, "Configuration"), for the variables the local
 * runtime reads itself as for those loadConfig reads. Read as given, `GITHUB_WEBHOOK_SECRET=` stopped `npm start`
 * with "missing environment variable GITHUB_WEBHOOK_SECRET_ARN", `INCIDENTS_TABLE=` with DynamoDB's table-name
 * error, `AWS_REGION=` with "Region is missing", and `GATE_TOKEN=` made an empty bearer token nobody can present.
 */
describe('the local runtime with its settings set blank', () => {
  const harness = useLocalRuntime({
    secret: '',
    name: 'guard-blank',
    env: { GITHUB_TOKEN: undefined, GITHUB_APP_ID: undefined, GATE_TOKEN: '', INCIDENTS_TABLE: ' ', AWS_REGION: '', GATE_VERIFY_DEFAULT_BRANCH: '' },
  }, 60_000);

  it('starts with the defaults: the local webhook secret, the default table and region, a generated gate token', () => {
    const { runtime } = harness;

    expect(runtime.webhookSecret).toBe('pipeline-guard-local-secret');
    expect(runtime.env.INCIDENTS_TABLE).toBe('incidents');
    expect(runtime.env.AWS_REGION).toBe('us-east-1');
    expect(runtime.gateToken.length).toBeGreaterThanOrEqual(16);
    // Without GitHub credentials the gate takes the GATE_TOKEN holder's word, as when the variable is not set.
    expect(runtime.env.GATE_VERIFY_DEFAULT_BRANCH).toBe('false');
  });

  it('accepts a delivery signed with the local default secret and a gate request with the generated token', async () => {
    const { runtime } = harness;

    const delivery = await deliverWebhook(runtime.url, loadWebhook('workflow_run-failure'), 'pipeline-guard-local-secret');
    const gate = await apiRequest<{ decision: string }>(runtime.url, 'POST', '/gates/evaluate', { repository: 'acme-shop/checkout-service', branch: 'main', sha: 'a000001', metrics: { coverage_pct: 80 } }, runtime.gateToken);

    expect(delivery.status).toBe(202);
    expect(gate).toEqual({ status: 200, body: expect.objectContaining({ decision: 'pass' }) });
    await runtime.idle();
  });
});
