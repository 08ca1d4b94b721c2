import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runAsFunction } from '../../infra/local/function-grants.js';
import { loadConfig } from '../../shared/config.js';
import { documentClientFor } from '../../shared/runtime/deps.js';
import { createDynamoCommentSlots } from '../../shared/stores/comment-slots.js';
import { createRecoveryTargets } from '../../shared/stores/recovery-targets.js';
import { apiRequest, useLocalRuntime } from '../support/harness.js';

/**
 * The local runtime holds each function's DynamoDB calls to what the stack grants its role (infra/table-access.ts),
 * as DynamoDB does in AWS (session 47). Before, three stores deleted where their function's role may not, and only AWS
 * said so: a green run's recovery (record-outcome), a comment slot's release (every function that comments), the
 * gate's trim of old baseline runs (evaluate-gate).
 */
const TOKEN = 'function-grants-gate-token-0123456789';
const harness = useLocalRuntime({ secret: 'function-grants-secret', name: 'guard-grants', env: { GITHUB_TOKEN: undefined, GATE_TOKEN: TOKEN } });

/** A client of the runtime's embedded store as its handlers have it: in-process, so held to the calling function's grants. */
function handlersClient() {
  return documentClientFor(loadConfig(harness.runtime.env));
}

const refusal = (work: Promise<unknown>) => work.then(() => null, (error: Error) => error);

describe("the local runtime refuses what a function's role is not granted", () => {
  it('refuses a write by a function that may only read, as DynamoDB does (AccessDeniedException), and lets the same call through outside a function', async () => {
    const client = handlersClient();
    const put = () => client.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'GRANTS#probe', sk: 'x' } }));

    const refused = await refusal(runAsFunction('read-api', put));

    expect(refused?.name).toBe('AccessDeniedException');
    expect(refused?.message).toContain('dynamodb:PutItem');
    await expect(runAsFunction('read-api', () => client.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'GRANTS#probe', sk: 'x' } })))).resolves.toBeDefined();
    await expect(put()).resolves.toBeDefined();
  });

  it('refuses any call to a table the function is not granted, and allows an index query to every function granted its table', async () => {
    const client = handlersClient();

    const refused = await refusal(runAsFunction('analyze', () => client.send(new GetCommand({ TableName: 'baselines', Key: { pk: 'GRANTS#probe', sk: 'x' } }))));
    const indexQuery = runAsFunction('read-api', () =>
      client.send(
        new QueryCommand({ TableName: 'incidents', IndexName: 'byScope', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'scope' }, ExpressionAttributeValues: { ':s': 'acme/app' }, Limit: 1 }),
      ),
    );

    expect(refused?.name).toBe('AccessDeniedException');
    await expect(indexQuery).resolves.toBeDefined();
  });

  it('refuses a call that names no table (ListTables) to every function', async () => {
    const client = handlersClient();

    const refused = await refusal(runAsFunction('reconcile', () => client.send(new ListTablesCommand({}))));

    expect(refused?.name).toBe('AccessDeniedException');
    await expect(client.send(new ListTablesCommand({}))).resolves.toBeDefined();
  });
});

describe('the stores that delete do so within their functions\' grants', () => {
  it("record-outcome's recovery targets entry goes once its follow-ups are done", async () => {
    const targets = createRecoveryTargets({ client: handlersClient(), tableName: 'incidents' });
    const recovery = { scope: 'acme/app:ci:main', resolvedBy: 'run-1', at: '2026-11-27T05:00:00.000Z' };

    const finished = await runAsFunction('record-outcome', async () => {
      const noted = await targets.note(recovery, ['gh-1-2-1']);
      return targets.finished({ ...recovery, mark: noted.mark, keyAt: noted.keyAt });
    });

    expect(finished).toBe(true);
  });

  it.each(['notify', 'classify', 'ingest-github', 'record-outcome'] as const)('%s releases a comment slot whose POST failed, and the next writer takes it', async (fn) => {
    const slots = createDynamoCommentSlots({ client: handlersClient(), tableName: 'incidents', leaseMs: 60_000 });
    const key = `acme/app#grants-${fn}`;

    const next = await runAsFunction(fn, async () => {
      const first = await slots.claim(key);
      if (!first.won) throw new Error('a fresh slot was not won');
      await slots.release(key, first.holder);
      return slots.claim(key);
    });

    expect(next.won).toBe(true);
  });

  it('evaluate-gate keeps the newest accepted runs of a default branch and drops the older ones', async () => {
    const evaluate = (sha: string) =>
      apiRequest<{ accepted: boolean; baseline: { runs: number } }>(harness.runtime.url, 'POST', '/gates/evaluate', { repository: 'acme/gate-trim', branch: 'main', sha, metrics: { coverage_pct: 80 } }, TOKEN);

    const answers = [];
    for (let run = 0; run < 102; run++) answers.push(await evaluate(`c${String(run).padStart(6, '0')}`));

    expect(answers.map((answer) => answer.status)).toEqual(Array(102).fill(200));
    expect(answers.at(-1)?.body).toMatchObject({ accepted: true });
    expect(answers.at(-1)?.body.baseline.runs).toBeLessThanOrEqual(100);
  });
});
