import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { noMetrics } from '../../shared/adapters/metrics.js';
import { evaluateGateRequest } from '../../shared/baselines/evaluate.js';
import { baselineKeys, createBaselineStore } from '../../shared/baselines/store.js';
import { loadConfig } from '../../shared/config.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * The quality gate counts a commit's run and test results once, whatever the retries: the Lambda timed out and the
 * CI step sent its request again, or the gate was killed before any of its writes and the request came again. Against
 * the embedded DynamoDB; the request's word on the default branch is taken (no GitHub).
 */
const scratch = scratchStoreForFile('gate-crash-points');
const REPOSITORY = 'acme/gate-crash';
const T0 = new Date('2026-11-24T09:00:00.000Z');

function gateOn(client: DynamoDBDocumentClient, at: Date) {
  const deps = {
    baselines: createBaselineStore({ client, tableName: 'baselines' }),
    config: loadConfig({ GATE_VERIFY_DEFAULT_BRANCH: 'false' }),
    clock: () => at,
    github: async () => null,
    logger: silentLogger,
    metrics: noMetrics,
  };
  return (body: Record<string, unknown>) => evaluateGateRequest(body, deps);
}

/** The store's client, dying before its write number `crashAt` (1-based; 0: never): that write and every call after it fail. */
function crashingClient(crashAt: number) {
  return clientFailingAtWrite(scratch.store.documents(), crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'fail' });
}

const read = async (key: Record<string, string>) => (await scratch.client.send(new GetCommand({ TableName: 'baselines', Key: key, ConsistentRead: true }))).Item ?? {};

describe('a run of main reported to the gate, killed before any of its writes, on a commit where its failed test passed before', () => {
  it('joins the baseline once and counts the test’s failure and its flake once after the request comes again, twice', async () => {
    const reported = async (n: number, crashAt: number) => {
      // Prepare: the test passed on this commit in a run of another branch
      const sha = `${String(n).padStart(2, '0')}`.padEnd(40, 'd');
      const test = `CartTest.rounds taxes ${n}`;
      await gateOn(scratch.client, T0)({ repository: REPOSITORY, branch: 'feature/tax', sha, metrics: {}, tests: { passed: [test] } });
      const body = { repository: REPOSITORY, branch: 'main', sha, metrics: { coverage_pct: 80 }, tests: { failed: [test] } };
      const crashing = crashingClient(crashAt);
      const answers: Array<{ accepted: boolean; flaky: string[] }> = [];
      const crashed = await diesOfCrash(gateOn(crashing.client, T0)(body).then((answer) => answers.push(answer)));
      // The CI step's retry after the gate's timeout, and a re-run of the step
      for (const seconds of [30, 90]) answers.push(await gateOn(scratch.client, new Date(T0.getTime() + seconds * 1000))(body));
      const runs = (await createBaselineStore({ client: scratch.client, tableName: 'baselines' }).recentRuns(REPOSITORY, 'main', 50)).filter((run) => run.sha === sha);
      return {
        crashed,
        writes: crashing.writes(),
        runs: runs.length,
        accepted: answers.filter((answer) => answer.accepted).length,
        flakyAnswers: answers.filter((answer) => answer.flaky.includes(test)).length,
        fails: Number((await read(baselineKeys.test(REPOSITORY, sha, test))).fails ?? 0),
        flakes: Number((await read(baselineKeys.flaky(REPOSITORY, test))).flakes ?? 0),
      };
    };

    // Prepare: without a crash, the same request three times
    const reference = await reported(0, 0);
    expect(reference).toMatchObject({ crashed: false, runs: 1, accepted: 1, flakyAnswers: 3, fails: 1, flakes: 1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await reported(crashAt, crashAt)) });

    // Assert: the run in the baseline once (no more than one answer says it added it: the killed try may have), the
    // failure and the flake counted once
    for (const outcome of outcomes) {
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, runs: outcome.runs, acceptedOnce: outcome.accepted <= 1, fails: outcome.fails, flakes: outcome.flakes }).toEqual({
        crashAt: outcome.crashAt,
        crashed: true,
        runs: 1,
        acceptedOnce: true,
        fails: 1,
        flakes: 1,
      });
    }
  });
});

describe('a request reporting a test both failed and passed (a runner that retries failed tests), sent twice', () => {
  it('counts the test’s fail and pass on the commit once each, and its flake once', async () => {
    // Prepare
    const sha = 'e'.repeat(40);
    const test = 'CheckoutTest.applies coupon';
    const body = { repository: REPOSITORY, branch: 'feature/coupon', sha, metrics: {}, tests: { failed: [test], passed: [test] } };

    // Act: the CI step's request, and its retry after the gate's timeout
    const first = await gateOn(scratch.client, T0)(body);
    const again = await gateOn(scratch.client, new Date(T0.getTime() + 30_000))(body);

    // Assert: both answers name the flaky test, as one request's
    const item = await read(baselineKeys.test(REPOSITORY, sha, test));
    expect({ fails: item.fails, passes: item.passes, flakes: (await read(baselineKeys.flaky(REPOSITORY, test))).flakes }).toEqual({ fails: 1, passes: 1, flakes: 1 });
    expect([first.flaky, again.flaky]).toEqual([[test], [test]]);
  });
});

