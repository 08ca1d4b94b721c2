import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import { firstIssue } from '../validation.js';
import type { Config } from '../config.js';
import { JOB_EVIDENCE_PREFIX } from './flaky.js';
import { ValidationError } from '../errors.js';
import { METRIC } from '../adapters/metric-names.js';
import type { Clock, Metrics, StepLogger } from '../ports.js';
import { marksOfClaim } from '../stores/count-marks.js';
import { settingsForRepository } from '../domain/repository-key.js';
import { type GateGitHub, verifyBranchClaim } from './branch-claim.js';
import { type Baseline, DEFAULT_THRESHOLDS, type GateDecision, type GateThresholds, baselineFrom, evaluateGate } from './gate.js';
import type { BaselineStore } from './store.js';

/** Test names per request: enough for a real suite's failures, bounded for the 256 KB-ish body. */
const MAX_TESTS = 500;

const metricValue = z.number().check(z.gte(0), z.lte(1e9));
/** A test's name; never a job's evidence name, which only a failed run and its passing re-run may record. */
const testName = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(300),
    z.refine((name) => !name.startsWith(JOB_EVIDENCE_PREFIX), `must not start with "${JOB_EVIDENCE_PREFIX}" (job evidence names)`),
  );

export const gateRequestSchema = z.strictObject({
  repository: z
    .string()
    .check(
      z.regex(/^[\w.-]{1,100}\/[\w.-]{1,100}$/, 'must be owner/repo'),
      // No GitHub account or repository is named `.` or `..`; in a GitHub API path they would climb out of /repos.
      z.refine((name) => name.split('/').every((part) => part !== '.' && part !== '..'), 'must be owner/repo'),
    ),
  branch: z.string().check(z.minLength(1), z.maxLength(255)),
  sha: z.string().check(z.regex(/^[0-9a-f]{7,64}$/i, 'must be a commit SHA')),
  metrics: z
    .catchall(
      z.object({
        coverage_pct: z.optional(z.number().check(z.gte(0), z.lte(100))),
        vuln_high: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1e6))),
        vuln_critical: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1e6))),
        duration_seconds: z.optional(metricValue),
      }),
      // Other numeric metrics are stored with the run (for later gates) but not judged.
      metricValue,
    )
    .check(z.refine((m) => Object.keys(m).length <= 50, 'at most 50 metrics')),
  /** Per-test results of this run; a test that fails and passes on one commit becomes flaky evidence. */
  tests: z.optional(
    z.strictObject({
      passed: z._default(z.array(testName).check(z.maxLength(MAX_TESTS)), []),
      failed: z._default(z.array(testName).check(z.maxLength(MAX_TESTS)), []),
    }),
  ),
});

export type GateRequest = z.infer<typeof gateRequestSchema>;

export function parseGateRequest(body: unknown): GateRequest {
  const parsed = gateRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(`invalid gate request at ${firstIssue(parsed.error)}`);
  }
  return parsed.data;
}

/** Global DELTA_* settings, overridden per repository by GATE_REPOSITORIES (its keys in any case, as GitHub's names). */
export function gateSettings(config: Pick<Config, 'DELTA_COVERAGE' | 'DELTA_VULN_HIGH' | 'DELTA_VULN_CRITICAL' | 'GATE_REPOSITORIES'>, repository: string) {
  const own = settingsForRepository(config.GATE_REPOSITORIES, repository) ?? {};
  const thresholds: GateThresholds = {
    DELTA_COVERAGE: own.DELTA_COVERAGE ?? config.DELTA_COVERAGE ?? DEFAULT_THRESHOLDS.DELTA_COVERAGE,
    DELTA_VULN_HIGH: own.DELTA_VULN_HIGH ?? config.DELTA_VULN_HIGH ?? DEFAULT_THRESHOLDS.DELTA_VULN_HIGH,
    DELTA_VULN_CRITICAL: own.DELTA_VULN_CRITICAL ?? config.DELTA_VULN_CRITICAL ?? DEFAULT_THRESHOLDS.DELTA_VULN_CRITICAL,
  };
  return { thresholds, defaultBranch: own.defaultBranch ?? 'main' };
}

/** A caller configured evaluate-only (`GATE_CALLERS`, `:evaluate`) named the default branch. */
export class DefaultBranchRefusedError extends Error {
  override name = 'DefaultBranchRefusedError';
}

export interface GateResponse extends GateDecision {
  repository: string;
  branch: string;
  sha: string;
  baseline: Baseline & { branch: string };
  thresholds: GateThresholds;
  /** Whether this run was added to the baseline (a passing run on the default branch). */
  accepted: boolean;
  /** Why a passing run of the default branch was not added: GitHub did not confirm that its commit is on that branch. */
  notAccepted?: string;
  flaky: string[];
}

export interface GateDeps {
  baselines: BaselineStore;
  config: Pick<Config, 'DELTA_COVERAGE' | 'DELTA_VULN_HIGH' | 'DELTA_VULN_CRITICAL' | 'GATE_REPOSITORIES' | 'BASELINE_RUNS' | 'GATE_VERIFY_DEFAULT_BRANCH'>;
  clock: Clock;
  /**
   * GitHub access, opened when a run's acceptance first depends on it (a request that puts nothing at stake never
   * reads the credential); it resolves to null when none is configured.
   */
  github: () => Promise<GateGitHub | null>;
  logger: StepLogger;
  metrics: Metrics;
}

/**
 * Evaluates a gate request against the default branch's rolling baseline (mean of the last N accepted runs).
 * The baseline advances only with passing runs on the default branch — a run that fails the gate, or any run on
 * another branch, never moves it — and the default branch comes from configuration, not from the request, so a
 * pull-request job cannot make its own numbers the baseline. That a run is of the default branch is the caller's
 * word, though: with GATE_VERIFY_DEFAULT_BRANCH (the default) GitHub must confirm that its commit is on that branch
 * before it is accepted, one request per passing default-branch run and none for any other.
 */
export async function evaluateGateRequest(
  body: unknown,
  deps: GateDeps,
  caller: { reportsDefaultBranch: boolean } = { reportsDefaultBranch: true },
): Promise<GateResponse> {
  const request = parseGateRequest(body);
  const { thresholds, defaultBranch } = gateSettings(deps.config, request.repository);
  // Before anything is read or stored: a run of the default branch moves the baseline and its pass/fail memory.
  if (request.branch === defaultBranch && !caller.reportsDefaultBranch) {
    throw new DefaultBranchRefusedError(`this caller may not report runs of ${request.repository}'s default branch (${defaultBranch}): its GATE_CALLERS entry is evaluate-only`);
  }
  const at = deps.clock();
  const [runs, state] = await Promise.all([
    deps.baselines.recentRuns(request.repository, defaultBranch, deps.config.BASELINE_RUNS),
    deps.baselines.gateState(request.repository, request.branch),
  ]);
  const baseline = baselineFrom(runs);
  const metrics = Object.fromEntries(Object.entries(request.metrics).filter(([, v]) => v !== undefined)) as Record<string, number>;
  const decision = evaluateGate({ baseline, metrics, thresholds, previous: state?.decision ?? null });
  const acceptable = decision.decision === 'pass' && request.branch === defaultBranch;
  const claim = acceptable ? await defaultBranchClaim(request, defaultBranch, deps) : null;
  const refusal = claim && !claim.verified ? claim.reason : null;
  // The default branch's pass/fail memory loosens its next verdict after a pass, so an unconfirmed pass leaves it
  // as it was. A fail is kept unasked, as before: it can only tighten the next verdict, and costs no GitHub call.
  if (!refusal) {
    await deps.baselines.saveGateState(request.repository, request.branch, { decision: decision.decision, sha: request.sha, at: at.toISOString(), reasons: decision.reasons });
  }
  // Keyed by the commit GitHub resolved: a commit named again by another prefix or case is still accepted once.
  const accepted =
    claim?.verified ? await deps.baselines.acceptRun(request.repository, defaultBranch, { sha: claim.sha, at: at.toISOString(), metrics }) : false;
  const flaky = request.tests ? await recordReportedTests(deps.baselines, request, request.tests, at) : [];
  return {
    repository: request.repository,
    branch: request.branch,
    sha: request.sha,
    ...decision,
    baseline: { ...baseline, means: roundAll(baseline.means), branch: defaultBranch },
    thresholds,
    accepted,
    ...(refusal ? { notAccepted: refusal } : {}),
    flaky,
  };
}

/**
 * Whether a passing run may join the default branch's baseline, and under which SHA: the request's with
 * verification off, else the full SHA of the commit GitHub showed on the branch. When it may not, why, for the
 * caller, after a warning (GitHub's no) or an error (no answer) in the log and a count by reason.
 */
async function defaultBranchClaim(
  request: GateRequest,
  defaultBranch: string,
  deps: GateDeps,
): Promise<{ verified: true; sha: string } | { verified: false; reason: string }> {
  if (!deps.config.GATE_VERIFY_DEFAULT_BRANCH) return { verified: true, sha: request.sha };
  const claim = await verifyBranchClaim(deps.github, { repository: request.repository, branch: defaultBranch, sha: request.sha });
  if (claim.verified) return claim;
  const details = { repository: request.repository, branch: defaultBranch, sha: request.sha, because: claim.because, ...(claim.error ? { error: claim.error } : {}) };
  const gitHubSaidNo = claim.because === 'off_branch' || claim.because === 'unknown_commit';
  if (gitHubSaidNo) deps.logger.warn('gate run not accepted: GitHub does not show its commit on the default branch', details);
  else deps.logger.error('gate run not accepted: its commit could not be checked with GitHub', details);
  deps.metrics.count(METRIC.gateRunsUnverified, 1, { reason: claim.because });
  return { verified: false, reason: claim.reason };
}

/**
 * Records a request's test results on its commit once, however often the same results come (the CI step sending its
 * request again after the gate's timeout, a re-run of the job that reports what the first run did): the report's
 * claim is named by the results, and its counts carry the claim's marks (shared/stores/count-marks.ts), so results
 * that come again after a crash between the claim and the counts count what was missing, and nothing twice. A test
 * reported as failed and as passed (a runner that retries tests) counts once each way. Returns the tests flaky by
 * these results.
 */
async function recordReportedTests(baselines: BaselineStore, request: GateRequest, tests: NonNullable<GateRequest['tests']>, at: Date): Promise<string[]> {
  const failed = [...new Set(tests.failed)].sort();
  const passed = [...new Set(tests.passed)].sort();
  if (failed.length === 0 && passed.length === 0) return [];
  const report = createHash('sha256').update(JSON.stringify({ failed, passed })).digest('hex');
  const claim = await baselines.claimTestReport(request.repository, request.sha, report, at);
  const marks = marksOfClaim(`gate#${report}`, claim, at);
  // Reported too long ago to apply again: counted then.
  if (!marks) return [];
  const record = async (names: string[], outcome: 'failed' | 'passed') =>
    names.length === 0 ? [] : baselines.recordTestResults(request.repository, request.sha, names.map((test) => ({ test, passed: outcome === 'passed' })), at, marks(outcome));
  return [...(await record(failed, 'failed')), ...(await record(passed, 'passed'))];
}

function roundAll(values: Baseline['means']): Baseline['means'] {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round((v as number) * 100) / 100]));
}
