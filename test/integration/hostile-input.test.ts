import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startHarness, useLocalRuntime } from '../support/harness.js';
import { workflowRecoveryMessage } from '../../shared/domain/recovery.js';
import { loadAlarmEvent } from '../../infra/local/replay.js';

/** Hostile input against the local runtime's HTTP front door: a 4xx, never a 500. */

const harness = useLocalRuntime({ secret: 'x', name: 'guard-hostile', env: { GITHUB_TOKEN: undefined } });

/** A raw request: fetch would normalise `//` away. */
function raw(method: string, path: string, body?: string, headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: harness.runtime.port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A raw request to another of the runtime's loopback ports (the embedded DynamoDB, the Step Functions stand-in). */
function rawAt(port: number, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('front door: hostile input', () => {
  it('answers 4xx to deeply nested JSON on /events/cloudwatch', async () => {
    expect(await raw('POST', '/events/cloudwatch', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(400);
    expect(await raw('POST', '/events/cloudwatch', `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5001)}`)).toBe(400);
  });

  it('answers 4xx to odd request targets', async () => {
    for (const path of ['//', '///x', '//incidents', '/%', '/incidents/%ff', '/..', '/incidents/' + 'a'.repeat(5000)]) {
      const status = await raw('GET', path);
      expect(status, path).toBeGreaterThanOrEqual(400);
      expect(status, path).toBeLessThan(500);
    }
  });

  it('answers 4xx to unsigned or malformed webhooks', async () => {
    expect(await raw('POST', '/webhooks/github', '{"a":1}')).toBe(401);
    expect(await raw('POST', '/webhooks/github', '\u0000\u0001')).toBe(401);
    expect(await raw('POST', '/events/cloudwatch', '{"detail-type":"CloudWatch Alarm State Change"}')).toBe(400);
  });

  it('answers 413 to a body over MAX_WEBHOOK_BYTES, naming the setting that raises the limit', async () => {
    const oversized = JSON.stringify({ zen: 'x'.repeat(1_048_576) });
    const answer = await rawAt(harness.runtime.port, 'POST', '/webhooks/github', oversized, { 'content-type': 'application/json' });

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ message: 'body is over the 1048576-byte limit (MAX_WEBHOOK_BYTES; CDK: -c maxWebhookBytes)' });
  });

  it('answers 413 to an alarm event over the same limit, naming the local setting and no CDK setting of the webhook', async () => {
    const oversized = JSON.stringify({ 'detail-type': 'CloudWatch Alarm State Change', detail: { reason: 'x'.repeat(1_048_576) } });
    const answer = await rawAt(harness.runtime.port, 'POST', '/events/cloudwatch', oversized, { 'content-type': 'application/json' });

    expect(answer.status).toBe(413);
    // In AWS alarm events come through EventBridge, which no webhook setting bounds: -c maxWebhookBytes would not help.
    expect(JSON.parse(answer.body)).toEqual({
      message: 'body is over the 1048576-byte limit of the local runtime\'s requests (MAX_WEBHOOK_BYTES); in AWS alarm events come through EventBridge, not this route',
    });
  });

  it('answers 400 from the handlers\' own validation, whichever state the alarm event names', async () => {
    const okEnvelope = { 'detail-type': 'CloudWatch Alarm State Change', detail: { state: { value: 'OK' } } };
    expect(await raw('POST', '/events/cloudwatch', JSON.stringify(okEnvelope))).toBe(400);
    expect(await raw('POST', '/events/cloudwatch', JSON.stringify({ ...okEnvelope, detail: { state: { value: 'ALARM' } } }))).toBe(400);
    expect(await raw('POST', '/events/cloudwatch', '[1,2,3]')).toBe(400);
    expect(await raw('POST', '/events/cloudwatch', 'null')).toBe(400);
  });

  it('never takes an alarm body for a recovery that ingest queued (which would resolve any repository\'s incidents)', async () => {
    const recovery = workflowRecoveryMessage({ scope: 'acme-shop/checkout-service#main#61835520', runId: 1, resolvedBy: 'run 1', installationId: null, completedAt: new Date() });
    const disguised = { ...recovery, 'detail-type': 'CloudWatch Alarm State Change', detail: { state: { value: 'OK' } } };
    expect(await raw('POST', '/events/cloudwatch', JSON.stringify(disguised))).toBe(400);
  });

  it('passes a valid alarm event through to its handler by state', async () => {
    const event = structuredClone(loadAlarmEvent('alarm-state-ok')) as { detail: { state: { value: string } } };
    expect(await raw('POST', '/events/cloudwatch', JSON.stringify(event))).toBe(200);
    event.detail.state.value = 'INSUFFICIENT_DATA';
    expect(await raw('POST', '/events/cloudwatch', JSON.stringify(event))).toBe(202);
  });
});

describe('front door: requests from web pages', () => {
  it('refuses a cross-site POST a page could send without a preflight, and takes the same event from a client', async () => {
    // Prepare
    const event = await loadAlarmEvent('alarm-state-alarm');
    const body = JSON.stringify({ ...event, id: 'csrf-1', time: new Date().toISOString() });

    // Act
    const fromPage = await raw('POST', '/events/cloudwatch', body, { 'content-type': 'text/plain', origin: 'https://evil.example' });
    const fromFetchMetadata = await raw('POST', '/events/cloudwatch', body, { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' });
    const rebound = await raw('POST', '/events/cloudwatch', body, { 'content-type': 'text/plain', host: `evil.example:${harness.runtime.port}`, origin: `http://evil.example:${harness.runtime.port}` });
    const fromClient = await raw('POST', '/events/cloudwatch', body);

    // Assert: a page whose name was rebound to 127.0.0.1 sends its own name as Origin and Host, and is refused too.
    expect([fromPage, fromFetchMetadata, rebound, fromClient]).toEqual([403, 403, 403, 202]);
  });

  it('refuses reads for another host name (a page rebound to this machine), and serves them to clients', async () => {
    // Act
    const rebound = await Promise.all(['/incidents', '/experiments', '/metrics/prometheus', '/'].map((path) => raw('GET', path, undefined, { host: `evil.example:${harness.runtime.port}`, 'sec-fetch-site': 'same-origin' })));
    const fromClient = await Promise.all(['/incidents', '/experiments', '/metrics/prometheus'].map((path) => raw('GET', path)));
    const byLoopbackName = await raw('GET', '/incidents', undefined, { host: `localhost:${harness.runtime.port}` });

    // Assert
    expect(rebound).toEqual([403, 403, 403, 403]);
    expect(fromClient).toEqual([200, 200, 200]);
    expect(byLoopbackName).toBe(200);
  });

  it('refuses web pages on the embedded DynamoDB and Step Functions endpoints too, and serves clients', async () => {
    // Prepare: what a page of another site sends (a CORS preflight, then the call with its Origin), what a page whose
    // name was rebound to 127.0.0.1 sends (its own name as Host and Origin), and what the AWS SDK sends (neither).
    const dynamo = Number(new URL(harness.runtime.env.DYNAMODB_ENDPOINT as string).port);
    const sfn = Number(new URL(harness.runtime.env.SFN_ENDPOINT as string).port);
    const signed = {
      'content-type': 'application/x-amz-json-1.0',
      authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20260101T000000Z',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
    };
    const describeBody = JSON.stringify({ executionArn: `${harness.runtime.env.STATE_MACHINE_ARN?.replace(':stateMachine:', ':execution:')}:none` });
    const sfnHeaders = { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' };

    // Act
    const preflight = await rawAt(dynamo, 'OPTIONS', '/', undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-date,x-amz-target' });
    const crossSite = await rawAt(dynamo, 'POST', '/', '{}', { ...signed, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    const probe = await rawAt(dynamo, 'GET', '/', undefined, { origin: 'https://evil.example' });
    const reboundStore = await rawAt(dynamo, 'POST', '/', '{}', { ...signed, host: `evil.example:${dynamo}`, origin: `http://evil.example:${dynamo}` });
    const reboundWorkflow = await rawAt(sfn, 'POST', '/', describeBody, { ...sfnHeaders, host: `evil.example:${sfn}`, origin: `http://evil.example:${sfn}` });
    const storeClient = await rawAt(dynamo, 'POST', '/', '{}', signed);
    const workflowClient = await rawAt(sfn, 'POST', '/', describeBody, sfnHeaders);

    // Assert: no answer a page may read (no Access-Control-Allow-Origin), no call served; clients are served.
    for (const reply of [preflight, crossSite, probe, reboundStore, reboundWorkflow]) {
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(storeClient.status).toBe(200);
    expect(JSON.parse(storeClient.body).TableNames).toContain('incidents');
    expect(workflowClient.status).toBe(400);
    expect(workflowClient.body).toContain('ExecutionDoesNotExist');
  });

  it('serves the dashboard with a policy that keeps it out of other sites\' frames', async () => {
    // Act
    const response = await fetch(`${harness.runtime.url}/`);
    await response.arrayBuffer();
    const policy = response.headers.get('content-security-policy') ?? '';

    // Assert: a page of another site cannot frame the dashboard (clickjacking), and the policy still limits scripts.
    expect(policy).toMatch(/(^|;)\s*frame-ancestors 'none'/);
    expect(policy).toMatch(/(^|;)\s*default-src 'self'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('will not listen beyond loopback with the public default webhook secret', async () => {
    // Prepare
    const { startLocalRuntime } = await import('../../infra/local/runtime.js');
    const { ConfigError } = await import('../../shared/errors.js');

    // Act
    const start = startLocalRuntime({ dataDir: '/nonexistent/guard-never-created', host: '0.0.0.0', port: 0, env: { PATH: process.env.PATH } });

    // Assert
    await expect(start).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('reads and alarm posts on an address other machines reach', () => {
  it('read incidents, experiments and metrics only with the runtime\'s GATE_TOKEN', async () => {
    // Prepare
    const token = 'gate-token-of-the-networked-runtime';
    const networked = await startHarness({ secret: 'networked-secret', name: 'guard-networked', host: '0.0.0.0', env: { GITHUB_TOKEN: undefined, GATE_TOKEN: token } });
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: networked.runtime.port, path, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });

    try {
      // Act
      const paths = ['/incidents', '/experiments', '/knowledge?q=npm', '/metrics/prometheus'];
      const anonymous = await Promise.all(paths.map((path) => get(path, { host: '192.0.2.2' })));
      const withToken = await Promise.all(paths.map((path) => get(path, { host: '192.0.2.2', authorization: `Bearer ${token}` })));

      // Assert
      expect(anonymous).toEqual([401, 401, 401, 401]);
      expect(withToken).toEqual([200, 200, 200, 200]);
    } finally {
      await networked.close();
    }
  });

  it('need the runtime\'s GATE_TOKEN there, and nothing on loopback', async () => {
    // Prepare
    const { allowedBeyondLoopback } = await import('../../infra/local/runtime.js');
    const token = 'gate-token-of-this-runtime';

    // Act
    const answers = [
      allowedBeyondLoopback(undefined, '127.0.0.1', token),
      allowedBeyondLoopback(undefined, '[::1]', token),
      allowedBeyondLoopback(undefined, '0.0.0.0', token),
      allowedBeyondLoopback('Bearer not-the-gate-token', '0.0.0.0', token),
      allowedBeyondLoopback(`Bearer ${token}`, '0.0.0.0', token),
    ];

    // Assert
    expect(answers).toEqual([true, true, false, false, true]);
  });
});
