import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { repositoryKey } from '../domain/repository-key.js';
import { type CountMark, countOnce, markClauses, noteRelease } from '../stores/count-marks.js';
import { conditionalWrite, readItems, updateExpression } from '../stores/dynamo.js';
import { type GateDecision, type GateMetrics, MAX_BASELINE_RUNS } from './gate.js';

/**
 * Layout in the baselines table (all keys carry the repository as `owner/name` in lower case, its
 * {@link repositoryKey}: the gate's caller and GitHub's webhooks may spell one repository differently):
 * - `BASELINE#<repo>#<branch>` / `RUN#<time>#<sha>`: accepted default-branch runs; the newest N are the baseline,
 *   and only the newest {@link MAX_BASELINE_RUNS} (the largest N) are kept; `SHA#<sha>` in the same partition is the
 *   commit's claim, which keeps the time its run is stored under, and expires
 *   {@link ACCEPTED_CLAIM_TTL_SECONDS} after its run was dropped;
 * - `GATE#<repo>#<branch>` / `STATE`: the last decision, for hysteresis;
 * - `METRICS#<repo>` / `TOTAL`: per-repository counters (`ADD` only);
 * - `TESTS#<repo>#<sha>` / `<test>`: pass/fail counts of one test on one commit (flaky evidence);
 * - `TESTREPORT#<repo>#<sha>` / `<report>`: the claim of test results a gate request reported on the commit, which
 *   keeps when it was first taken (the time that names the marks of its counts);
 *   both expire {@link COMMIT_EVIDENCE_TTL_SECONDS} after they were first written (a gate request may report 1,000
 *   tests, an item each, on every commit); what a commit's evidence showed lives on in the `FLAKY#` roll-up;
 * - `FLAKY#<repo>` / `<test>`: how often a test failed and passed on the same commit, with the latest evidence;
 * - `JOBLOG#<repo>#<workflow>` / `JOB#<job name>`: the line templates of a green run of that job (its normal
 *   noise, see shared/logs/baseline.ts), with the run they came from.
 *
 * Items written before the keys were lower case sit under the spelling used then. {@link BaselineStore.recentRuns}
 * still reads that spelling's runs while the lower-case window is short of full; the other items (gate state,
 * counters, test and flaky evidence, job templates) start again under the lower-case key.
 */
export interface AcceptedRun {
  sha: string;
  at: string;
  metrics: GateMetrics;
}

export interface GateState {
  decision: 'pass' | 'fail';
  sha: string;
  at: string;
}

export interface RepositoryMetrics {
  repository: string;
  incidents: number;
  resolved: number;
  ttrSecondsTotal: number;
  autoFixAttempts: number;
  autoFixSuccesses: number;
  actionsTaken: number;
  falsePositives: number;
  flaky: number;
}

export type MetricCounter = Exclude<keyof RepositoryMetrics, 'repository'>;

export interface FlakyEvidence {
  test: string;
  /** Commits on which the test both failed and passed. */
  flakes: number;
  lastSha: string;
  lastAt: string;
}

/** A green run's line-template hashes for one job (see `LogBaseline`), and where they came from. */
export interface JobLogBaseline {
  hashes: string[];
  runId: number;
  at: string;
}

export interface BaselineStore {
  /** The stored green-run templates of a job, or null. */
  jobLogBaseline(repository: string, workflow: string, job: string): Promise<JobLogBaseline | null>;
  saveJobLogBaseline(repository: string, workflow: string, job: string, baseline: JobLogBaseline): Promise<void>;
  /** Newest first, at most `limit`. */
  recentRuns(repository: string, branch: string, limit: number): Promise<AcceptedRun[]>;
  /**
   * Adds a run to the baseline unless this commit's run is there already. Returns false for a repeat. A call that
   * finds the commit claimed adds the run under the claim's time when the call that claimed it died before adding it.
   */
  acceptRun(repository: string, branch: string, run: AcceptedRun): Promise<boolean>;
  gateState(repository: string, branch: string): Promise<GateState | null>;
  saveGateState(repository: string, branch: string, state: GateState & { reasons: string[] }): Promise<void>;
  /** Adds to the repository's counters (`ADD` only); with `mark` (an event's, shared/stores/count-marks.ts), once per mark. */
  addMetrics(repository: string, deltas: Partial<Record<MetricCounter, number>>, mark?: CountMark): Promise<void>;
  metrics(repository: string): Promise<RepositoryMetrics>;
  /**
   * Records test results of one commit. A test that has both failed and passed on the same commit is flaky: the
   * first time that happens for a (commit, test) it is counted once on the test's roll-up. Returns the tests that
   * became flaky with this call. With `mark` (an event's, shared/stores/count-marks.ts), once per mark: the event
   * recorded again counts what it had not (the roll-up of a flag it took and died before counting) and nothing twice.
   */
  recordTestResults(repository: string, sha: string, results: ReadonlyArray<{ test: string; passed: boolean }>, at: Date, mark?: CountMark): Promise<string[]>;
  /**
   * Takes the claim of test results reported on a commit (`report` names them, the same for every delivery of the
   * report) unless it is taken, and says when it was taken: now (`first`) or by an earlier delivery.
   */
  claimTestReport(repository: string, sha: string, report: string, at: Date): Promise<{ at: Date; first: boolean }>;
  /** Flaky roll-ups for these tests (the ones with evidence). */
  flakyEvidence(repository: string, tests: readonly string[]): Promise<FlakyEvidence[]>;
}

export const MAX_TEST_NAME = 300;

/**
 * How long a commit's test items and report claims are kept (DynamoDB's TTL, `expiresAt`): long past the re-runs and
 * late reports of a commit that they count once, which come within days; without it they grew with every commit.
 */
export const COMMIT_EVIDENCE_TTL_SECONDS = 30 * 86_400;
const commitEvidenceExpiry = (firstAt: Date) => Math.floor(firstAt.getTime() / 1000) + COMMIT_EVIDENCE_TTL_SECONDS;

/**
 * How long a commit's claim outlives its run once the run has left the newest {@link MAX_BASELINE_RUNS}: the same
 * commit reported again within it (a re-run of an old default-branch workflow) is still a repeat, not a new run.
 */
export const ACCEPTED_CLAIM_TTL_SECONDS = 400 * 86_400;

/** Runs beyond the kept ones dropped by one acceptance: one a call in steady state, a backlog a few at a time. */
const RUNS_DROPPED_PER_ACCEPT = 10;

/** Keys of the items the learning loop counts on, by the repositoryKey. */
export const baselineKeys = {
  metrics: (repository: string) => ({ pk: `METRICS#${repositoryKey(repository)}`, sk: 'TOTAL' }),
  test: (repository: string, sha: string, test: string) => ({ pk: `TESTS#${repositoryKey(repository)}#${sha}`, sk: test }),
  flaky: (repository: string, test: string) => ({ pk: `FLAKY#${repositoryKey(repository)}`, sk: test }),
};

/** The `ADD` clauses of metric deltas (the non-zero ones), with their names and values; null when none. */
function metricAdds(deltas: Partial<Record<MetricCounter, number>>): { adds: string[]; names: Record<string, string>; values: Record<string, unknown> } | null {
  const entries = Object.entries(deltas).filter(([, v]) => typeof v === 'number' && v !== 0);
  if (entries.length === 0) return null;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = entries.map(([key, value], i) => {
    names[`#m${i}`] = key;
    values[`:m${i}`] = value;
    return `#m${i} :m${i}`;
  });
  return { adds, names, values };
}

export function createBaselineStore(options: { client: DynamoDBDocumentClient; tableName: string }): BaselineStore {
  const { client, tableName } = options;
  // Every key names the repository by its repositoryKey, built here and nowhere else (runsPartition also reads the
  // spelling an earlier version keyed runs by).
  const runsPartition = (spelling: string, branch: string) => `BASELINE#${spelling}#${branch}`;
  const runsPk = (repository: string, branch: string) => runsPartition(repositoryKey(repository), branch);
  const gateKey = (repository: string, branch: string) => ({ pk: `GATE#${repositoryKey(repository)}#${branch}`, sk: 'STATE' });
  const { metrics: metricsKey } = baselineKeys;

  /** A branch's newest `limit` run items, newest first. */
  const newestRunItems = async (pk: string, limit: number): Promise<Array<Record<string, unknown>>> => {
    const response = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'RUN#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return response.Items ?? [];
  };

  const runsIn = async (pk: string, limit: number): Promise<AcceptedRun[]> =>
    (await newestRunItems(pk, limit)).map((item) => ({ sha: String(item.sha), at: String(item.at), metrics: (item.metrics ?? {}) as GateMetrics }));

  /**
   * Drops the runs no window reads (older than the newest {@link MAX_BASELINE_RUNS}), each claim first set to expire
   * {@link ACCEPTED_CLAIM_TTL_SECONDS} after `droppedAt` (the acceptance that dropped it, on the gate's clock): a call
   * that dies between the two leaves the run to the next acceptance, which does both again.
   */
  const dropRunsBeyondKept = async (pk: string, droppedAt: string): Promise<void> => {
    const items = await newestRunItems(pk, MAX_BASELINE_RUNS + RUNS_DROPPED_PER_ACCEPT);
    const expiresAt = Math.floor(Date.parse(droppedAt) / 1000) + ACCEPTED_CLAIM_TTL_SECONDS;
    for (const item of items.slice(MAX_BASELINE_RUNS)) {
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk: `SHA#${String(item.sha)}` },
            UpdateExpression: 'SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':expiresAt': expiresAt },
          }),
        ),
      );
      await client.send(new DeleteCommand({ TableName: tableName, Key: { pk, sk: String(item.sk) } }));
    }
  };

  return {
    ...createFailureBaselines(options),

    async recentRuns(repository, branch, limit) {
      const runs = await runsIn(runsPk(repository, branch), limit);
      if (runs.length >= limit || repository === repositoryKey(repository)) return runs;
      // Runs accepted before the keys were lower case sit under the spelling given then: without them a repository
      // named in capitals would restart with no baseline (and pass everything) after the upgrade. Read only until
      // the lower-case window is full; a commit in both counts once.
      const seen = new Set(runs.map((run) => run.sha));
      const earlier = (await runsIn(runsPartition(repository, branch), limit)).filter((run) => !seen.has(run.sha));
      return [...runs, ...earlier].sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
    },

    async acceptRun(repository, branch, run) {
      const pk = runsPk(repository, branch);
      // The claim keeps the time of the first call, so every call names the same run item: one that died between
      // the claim and the run left it to the next, which adds it once (the run's condition).
      const claim = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk, sk: `SHA#${run.sha}` },
          UpdateExpression: 'SET #at = if_not_exists(#at, :at)',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': run.at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      // A claim set to expire is a commit whose run was accepted and has since left the kept runs: a repeat.
      if (claim.Attributes?.expiresAt !== undefined) return false;
      const at = String(claim.Attributes?.at ?? run.at);
      const added = await conditionalWrite(() =>
        client.send(new PutCommand({ TableName: tableName, Item: { ...run, pk, sk: `RUN#${at}#${run.sha}`, at }, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      if (added !== null) await dropRunsBeyondKept(pk, run.at);
      return added !== null;
    },

    async gateState(repository, branch) {
      const response = await client.send(new GetCommand({ TableName: tableName, Key: gateKey(repository, branch), ConsistentRead: true }));
      const item = response.Item;
      return item ? { decision: item.decision === 'fail' ? 'fail' : 'pass', sha: String(item.sha), at: String(item.at) } : null;
    },

    async saveGateState(repository, branch, state) {
      await client.send(new PutCommand({ TableName: tableName, Item: { ...gateKey(repository, branch), ...state, reasons: state.reasons.slice(0, 10) } }));
    },

    async addMetrics(repository, deltas, mark) {
      const metrics = metricAdds(deltas);
      if (!metrics) return;
      const marked = mark ? markClauses(mark) : null;
      await countOnce(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: metricsKey(repository),
            UpdateExpression: updateExpression({ add: [...metrics.adds, ...(marked ? [marked.add] : [])], set: ['repository = :repository'], ...(marked ? { remove: [marked.remove] } : {}) }),
            ...(marked ? { ConditionExpression: marked.condition } : {}),
            ExpressionAttributeNames: { ...metrics.names, ...marked?.names },
            ExpressionAttributeValues: { ...metrics.values, ...marked?.values, ':repository': repository },
          }),
        ),
      );
      noteRelease(mark, client, tableName, metricsKey(repository));
    },

    async metrics(repository) {
      const response = await client.send(new GetCommand({ TableName: tableName, Key: metricsKey(repository) }));
      const item = response.Item ?? {};
      const n = (key: string) => (typeof item[key] === 'number' ? (item[key] as number) : 0);
      return {
        repository,
        incidents: n('incidents'),
        resolved: n('resolved'),
        ttrSecondsTotal: n('ttrSecondsTotal'),
        autoFixAttempts: n('autoFixAttempts'),
        autoFixSuccesses: n('autoFixSuccesses'),
        actionsTaken: n('actionsTaken'),
        falsePositives: n('falsePositives'),
        flaky: n('flaky'),
      };
    },

    async claimTestReport(repository, sha, report, at) {
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: `TESTREPORT#${repositoryKey(repository)}#${sha}`, sk: report },
          UpdateExpression: 'SET claimedAt = if_not_exists(claimedAt, :at), expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':expiresAt': commitEvidenceExpiry(at) },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const before = response.Attributes?.claimedAt;
      return typeof before === 'string' ? { at: new Date(before), first: false } : { at, first: true };
    },

  };
}

/**
 * Of {@link BaselineStore}, what classify reads and writes: a job's green-run templates, and the test results of a
 * failure's commit with their flaky evidence. Its Lambda then carries none of the gate's runs and state, the
 * repository counters or the test report claims.
 */
export type FailureBaselines = Pick<BaselineStore, 'jobLogBaseline' | 'saveJobLogBaseline' | 'recordTestResults' | 'flakyEvidence'>;

/** {@link FailureBaselines} alone: classify's part of {@link createBaselineStore}, which includes it. */
export function createFailureBaselines(options: { client: DynamoDBDocumentClient; tableName: string }): FailureBaselines {
  const { client, tableName } = options;
  const { test: testKey, flaky: flakyKey } = baselineKeys;

  const jobLogKey = (repository: string, workflow: string, job: string) => ({
    pk: `JOBLOG#${repositoryKey(repository)}#${workflow.slice(0, 300)}`,
    sk: `JOB#${job.slice(0, 300)}`,
  });

  return {
    async jobLogBaseline(repository, workflow, job) {
      const response = await client.send(new GetCommand({ TableName: tableName, Key: jobLogKey(repository, workflow, job) }));
      const item = response.Item;
      if (!item || typeof item.templates !== 'string') return null;
      return { hashes: item.templates === '' ? [] : item.templates.split(' '), runId: Number(item.runId ?? 0), at: String(item.at ?? '') };
    },

    async saveJobLogBaseline(repository, workflow, job, baseline) {
      // One space-separated string: 4,000 hashes take ≈ 52 KB, far below DynamoDB's 400 KB item limit.
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...jobLogKey(repository, workflow, job), templates: baseline.hashes.join(' '), runId: baseline.runId, at: baseline.at },
        }),
      );
    },

    async recordTestResults(repository, sha, results, at, mark) {
      const becameFlaky: string[] = [];
      for (const { test, passed } of results) {
        const name = test.slice(0, MAX_TEST_NAME);
        const key = testKey(repository, sha, name);
        const marked = mark ? markClauses(mark) : null;
        const counted = await conditionalWrite(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: updateExpression({
                set: ['#expiresAt = if_not_exists(#expiresAt, :expiresAt)'],
                add: ['#counter :one', ...(marked ? [marked.add] : [])],
                ...(marked ? { remove: [marked.remove] } : {}),
              }),
              ...(marked ? { ConditionExpression: marked.condition } : {}),
              ExpressionAttributeNames: { '#counter': passed ? 'passes' : 'fails', '#expiresAt': 'expiresAt', ...marked?.names },
              ExpressionAttributeValues: { ':one': 1, ':expiresAt': commitEvidenceExpiry(at), ...marked?.values },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        noteRelease(mark, client, tableName, key);
        // Counted by an earlier recording of the event, which may have died before the roll-up: read as it is.
        const item = counted ? (counted.Attributes ?? {}) : ((await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item ?? {});
        if (!(Number(item.passes ?? 0) > 0 && Number(item.fails ?? 0) > 0)) continue;
        // Each (commit, test) is counted once, by the report that flags it first, whichever of two concurrent ones sees
        // both outcomes first; an event counts it again only when it took the flag itself (`flaggedBy`), and the
        // roll-up's own mark refuses it if it was counted.
        const flagged = typeof item.flaggedAt === 'string' ? item.flaggedAt : null;
        if (flagged && !(mark && counted === null && item.flaggedBy === mark.id)) continue;
        const flaggedAt = flagged ?? at.toISOString();
        const took =
          flagged !== null ||
          (await conditionalWrite(() =>
            client.send(
              new UpdateCommand({
                TableName: tableName,
                Key: key,
                UpdateExpression: `SET flaggedAt = :at${mark ? ', flaggedBy = :by' : ''}`,
                ConditionExpression: 'attribute_not_exists(flaggedAt)',
                ExpressionAttributeValues: { ':at': flaggedAt, ...(mark ? { ':by': mark.id } : {}) },
              }),
            ),
          )) !== null;
        if (!took) continue;
        const rollUp = markClauses({ id: `flagged#${sha}`, claimedAt: new Date(flaggedAt) });
        await countOnce(() =>
          client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: flakyKey(repository, name),
              UpdateExpression: updateExpression({ add: ['flakes :one', rollUp.add], set: ['lastSha = :sha', 'lastAt = :at', 'test = :test'], remove: [rollUp.remove] }),
              ConditionExpression: rollUp.condition,
              ExpressionAttributeNames: rollUp.names,
              ExpressionAttributeValues: { ':one': 1, ':sha': sha, ':at': flaggedAt, ':test': name, ...rollUp.values },
            }),
          ),
        );
        becameFlaky.push(name);
      }
      return becameFlaky;
    },

    async flakyEvidence(repository, tests) {
      const names = [...new Set(tests.map((t) => t.slice(0, MAX_TEST_NAME)))].slice(0, 100);
      if (names.length === 0) return [];
      const items = await readItems(client, tableName, names.map((name) => flakyKey(repository, name)), { consistentRead: false });
      return items.map((item) => ({
        test: String(item.test ?? item.sk),
        flakes: Number(item.flakes ?? 0),
        lastSha: String(item.lastSha ?? ''),
        lastAt: String(item.lastAt ?? ''),
      }));
    },
  };
}

export type { GateDecision };
