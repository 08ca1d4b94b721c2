import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { callsByFunctionOf, startBanner, startFailure, stopLines } from '../../../infra/local/start-messages.js';

const runtime = {
  url: 'http://127.0.0.1:3000',
  webhookSecret: 'pipeline-guard-local-secret',
  gateToken: 'tok-123',
  outboxPath: '/data/outbox.jsonl',
  env: {
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:45123',
    INCIDENTS_TABLE: 'pipeline-guard-incidents',
    BASELINES_TABLE: 'pipeline-guard-baselines',
    EXPERIMENTS_TABLE: 'pipeline-guard-experiments',
  },
};

describe('npm start banner', () => {
  it('prints the DynamoDB endpoint and names the bearer token GATE_TOKEN, as the README says', () => {
    const lines = startBanner(runtime, { dataDir: '/data', secretFromEnv: false, gateTokenFromEnv: false });

    expect(lines[0]).toBe('Pipeline Guard (local) listening on http://127.0.0.1:3000');
    expect(lines).toContain('  DYNAMODB_ENDPOINT=http://127.0.0.1:45123   (the embedded DynamoDB; tables pipeline-guard-incidents, pipeline-guard-baselines, pipeline-guard-experiments)');
    expect(lines.find((l) => l.includes('/gates/evaluate'))).toMatch(/\(Authorization: Bearer \$GATE_TOKEN; GATE_TOKEN=tok-123\)$/);
  });

  it('says that without a token a run the recorded runs do not list is given the sample job\'s log', () => {
    const lines = startBanner(runtime, { dataDir: '/data', secretFromEnv: false, gateTokenFromEnv: false });

    expect(lines.at(-1)).toBe(
      '  no GITHUB_TOKEN or GITHUB_APP_ID: job logs from events/recorded-runs.json (a run it does not list gets its default entry, the sample job\'s log), comments to the outbox',
    );
  });

  it('does not repeat a GATE_TOKEN or webhook secret the caller set', () => {
    const lines = startBanner(runtime, { dataDir: '/data', secretFromEnv: true, gateTokenFromEnv: true }).join('\n');

    expect(lines).not.toContain('tok-123');
    expect(lines).not.toContain('pipeline-guard-local-secret');
    expect(lines).toContain('GATE_TOKEN from the environment');
  });
});

describe('npm start failure', () => {
  let servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    servers = [];
  });

  it('says to set PORT when the port is taken', async () => {
    // Prepare: a port in use, and the error listening on it again gives.
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = (taken.address() as { port: number }).port;
    const second = createServer();
    const error = await new Promise<Error>((ok) => second.once('error', ok).listen(port, '127.0.0.1'));

    // Act
    const line = startFailure(error, { port, sfnPort: port + 1 });
    const stepFunctionsLine = startFailure(error, { port: port - 1, sfnPort: port });

    // Assert
    expect(line).toMatch(new RegExp(`^could not start: port ${port} is in use \\(listen EADDRINUSE.*\\): stop what listens there, or set PORT to another port`));
    expect(stepFunctionsLine).toMatch(new RegExp(`^could not start: port ${port} \\(the Step Functions API\\) is in use .*set SFN_PORT to another port`));
    expect(startFailure(new Error('disk full'), { port, sfnPort: port + 1 })).toBe('could not start: disk full');
  });

  it('says PORT moves the Step Functions API too when its default port (PORT + 1) is the one taken', async () => {
    // Prepare: what a second npm start on the same PORT meets first: the Step Functions API's port, PORT + 1, taken.
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const sfnPort = (taken.address() as { port: number }).port;
    const error = await new Promise<Error>((ok) => createServer().once('error', ok).listen(sfnPort, '127.0.0.1'));

    // Act
    const byDefault = startFailure(error, { port: sfnPort - 1, sfnPort });
    const chosen = startFailure(error, { port: 3000, sfnPort });

    // Assert: following "set SFN_PORT" alone would only meet PORT taken next when another runtime holds both.
    expect(byDefault).toContain(`port ${sfnPort} (the Step Functions API) is in use`);
    expect(byDefault).toMatch(new RegExp(`another npm start on PORT=${sfnPort - 1}\\?.*set PORT to another port \\(the Step Functions API moves with it to PORT \\+ 1\\), or set SFN_PORT`));
    expect(chosen).not.toContain('PORT + 1');
    expect(chosen).toMatch(/set SFN_PORT to another port/);
  });
});

describe('npm start stop lines', () => {
  it('print the calls by operation with their total, and by function, which bench:local reads back', () => {
    const byFunction = { classify: 540, 'knowledge-lookup': 732, 'local stand-ins': 180 };
    const [byOperation, functions] = stopLines({ GetItem: 3, UpdateItem: 10 }, byFunction);

    expect(byOperation).toBe('DynamoDB calls since start: 13 (UpdateItem 10, GetItem 3)');
    expect(functions).toBe('DynamoDB calls by function since start: knowledge-lookup=732, classify=540, local stand-ins=180');
    expect(callsByFunctionOf(functions as string)).toEqual(byFunction);
    expect(callsByFunctionOf(byOperation as string)).toBeNull();
  });
});
