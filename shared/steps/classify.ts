import { METRIC } from '../adapters/metric-names.js';
import type { AlarmDetails, HistoryEntry, Incident, JobFailureSummary } from '../domain/incident.js';
import { incidentFromTrigger, storeIncidentFromTrigger } from '../domain/incident-from-trigger.js';
import { alarmOkLeavesOpen, alarmOverBy, recoveredAlarmFields, stateChangedAtOf } from '../domain/alarm-incident.js';
import { alarmArnOf, githubIncidentId } from '../domain/trigger.js';
import { pullRequestAtCommit } from '../domain/commit-pull-request.js';
import { githubCheckIncidentScope, githubIncidentScope } from '../domain/github-incident.js';
import { LATER_ATTEMPTS_READ, type LaterOnRecord, supersededFields } from '../domain/recovery.js';
import { PullAliasWriteError, RetryableError, SupersededCheckUnavailableError, errorMessage, isRetryable, isTransientAwsError } from '../errors.js';
import {
  type GithubCheckTrigger,
  type GithubTrigger,
} from '../domain/trigger.js';
import { redactWithin } from '../ingest/redact-within.js';
import { analyzeLog, diagnose, fingerprintOf } from '../logs/index.js';
import type { Category, LogAnalysis, LogLine } from '../logs/types.js';
import type { FailedJob, RepoRef, RunReadingGitHubPort } from '../ports.js';
import { assessFlakiness, failedJobsClaim } from '../baselines/flaky.js';
import { baselineForJob, type JobBaselineDeps } from '../baselines/job-logs.js';
import type { LaterAttempt } from '../stores/green-run-notes.js';
import type { ClassifyDeps } from './deps.js';
import { type ClassifyResult, parseState } from './state.js';

/** A run can have hundreds of jobs; analysing the first failed ones is enough to explain it. */
const MAX_JOBS_ANALYZED = 8;
/** Failure lines kept on the incident: enough for a comment and a prompt, far below DynamoDB's 400 KB. */
const MAX_FAILURE_LINES = 25;
const MAX_LINE_CHARS = 500;

function clip(lines: LogLine[]): LogLine[] {
  return lines.slice(0, MAX_FAILURE_LINES).map(({ line, text }) => ({ line, text: text.slice(0, MAX_LINE_CHARS) }));
}

/**
 * UTF-8 bytes the failure lines of all of a run's jobs may take on the incident. The bounds above allow 8 jobs × 5
 * failures × 25 lines × 500 characters, over 1 MB in 3-byte characters: the classify write then failed DynamoDB's
 * 400 KB item limit, and a fork's run could turn its failure into a degraded incident and a page. With the lead
 * failure's lines (also on the incident, at most 37.5 KB) and the rest of the incident, this stays far below it.
 */
const MAX_JOB_LINES_BYTES = 192 * 1024;
/** What a kept line costs beside its text: its number and the JSON around it. */
const LINE_OVERHEAD_BYTES = 32;

/**
 * The jobs with their failure lines kept in rank order (jobs as sorted, failures as ranked) until
 * {@link MAX_JOB_LINES_BYTES} is spent. The lead failure is always whole. A failure left with no line is kept (its
 * rule, category and place in the log): dropped, its job read as one whose log had no failure, and the comment said
 * so.
 */
function withinLinesBudget(jobs: JobFailureSummary[]): JobFailureSummary[] {
  let left = MAX_JOB_LINES_BYTES;
  return jobs.map((job) => ({
    ...job,
    failures: job.failures.map((failure) => {
      const lines: LogLine[] = [];
      for (const line of failure.lines) {
        const bytes = Buffer.byteLength(line.text) + LINE_OVERHEAD_BYTES;
        if (bytes > left) break;
        left -= bytes;
        lines.push(line);
      }
      return { ...failure, lines };
    }),
  }));
}

/** Category for a run that failed before any job produced a log. */
function categoryForConclusion(conclusion: string): Category {
  if (conclusion === 'timed_out') return 'timeout';
  if (conclusion === 'startup_failure') return 'configuration';
  return 'unknown';
}

function summarizeJob(
  job: { id: number; name: string; htmlUrl: string | null },
  analysis: LogAnalysis,
  logSource: JobFailureSummary['logSource'],
  withBaseline = false,
): JobFailureSummary {
  // A job's name may interpolate a matrix value or an input (`test (${{ matrix.database_url }})`): redacted as the
  // step names are, before it is cut (a cut first could leave half a token), for the record, the comment and the
  // diagnosis sentence (attack-49 J).
  const jobName = redactWithin(job.name, 200);
  const diagnosis = diagnose(analysis, { job: jobName });
  return {
    jobId: job.id,
    jobName,
    url: job.htmlUrl,
    category: analysis.category,
    fingerprint: analysis.fingerprint,
    logSource,
    failures: analysis.failures.slice(0, 5).map((failure) => ({
      rule: failure.rule,
      category: failure.category,
      startLine: failure.startLine,
      endLine: failure.endLine,
      lines: clip(failure.lines),
    })),
    step: diagnosis.step,
    confidence: diagnosis.confidence,
    diagnosis: { determined: diagnosis.determined, rootCause: diagnosis.rootCause, fix: diagnosis.fix, ...(diagnosis.summary ? { summary: diagnosis.summary } : {}) },
    baseline: withBaseline,
  };
}

/**
 * Whether the default branch fails too (the verdict "also failing on the base branch"): its newest finished run of
 * the same workflow, read only for runs on other branches. A failed lookup leaves the verdict to the other signals.
 */
async function baseBranchRunOf(trigger: GithubTrigger, github: RunReadingGitHubPort, deps: ClassifyDeps): Promise<Incident['baseBranchRun']> {
  const base = trigger.repository.defaultBranch;
  const workflowId = trigger.workflowRun.workflowId;
  if (!base || workflowId === null || trigger.workflowRun.headBranch === base) return null;
  try {
    const run = await github.latestCompletedRun({ owner: trigger.repository.owner, repo: trigger.repository.name }, workflowId, base);
    return run ? { runId: run.id, conclusion: run.conclusion, url: run.url } : null;
  } catch (error) {
    deps.logger.warn('base branch run unavailable', { error: String(error) });
    return null;
  }
}

/** GitHub as the green-run baselines see it: what {@link baselineForJob} reads. */
type GreenRunReader = JobBaselineDeps['github'];

/**
 * The failed jobs of one run share their green run: within one classify invocation the newest green run and its
 * jobs are asked for once, not once per failed job (up to {@link MAX_JOBS_ANALYZED}). A failed answer is not kept,
 * so the next job asks again, as before.
 */
export function greenRunsOnce(github: RunReadingGitHubPort): GreenRunReader {
  const answers = new Map<string, Promise<unknown>>();
  function once<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const known = answers.get(key);
    if (known) return known as Promise<T>;
    const answer = ask();
    answers.set(key, answer);
    answer.catch(() => answers.delete(key));
    return answer;
  }
  return {
    latestSuccessfulRun: (repo, workflowId, branch) =>
      once(`run ${repo.owner}/${repo.repo} ${workflowId} ${branch}`, () => github.latestSuccessfulRun(repo, workflowId, branch)),
    listSucceededJobs: (repo, runId, attempt) =>
      once(`jobs ${repo.owner}/${repo.repo} ${runId} ${attempt}`, () => github.listSucceededJobs(repo, runId, attempt)),
    // Each job's own log, read as a stream: never shared.
    openJobLog: (repo, jobId) => github.openJobLog(repo, jobId),
  };
}

/** The green run's baseline of a failed job; null without the learning tables or when none can be had. */
async function greenBaseline(trigger: GithubTrigger, job: FailedJob, github: GreenRunReader, deps: ClassifyDeps) {
  if (!deps.learning) return null;
  const workflowId = trigger.workflowRun.workflowId;
  return baselineForJob(
    {
      repo: { owner: trigger.repository.owner, repo: trigger.repository.name },
      repository: trigger.repository.fullName,
      workflowId,
      workflow: workflowId !== null ? String(workflowId) : (trigger.workflowRun.name ?? 'workflow'),
      job: job.name,
      branch: trigger.repository.defaultBranch ?? trigger.workflowRun.headBranch,
    },
    { github, store: deps.learning.baselines, clock: deps.clock, logger: deps.logger, maxBytes: deps.config.MAX_LOG_BYTES },
  );
}

async function analyzeGithubJobs(trigger: GithubTrigger, github: RunReadingGitHubPort | null, deps: ClassifyDeps): Promise<JobFailureSummary[]> {
  if (!github) return [];
  const repo: RepoRef = { owner: trigger.repository.owner, repo: trigger.repository.name };
  const jobs = (await github.listFailedJobs(repo, trigger.workflowRun.id, trigger.workflowRun.attempt)).slice(
    0,
    MAX_JOBS_ANALYZED,
  );
  const summaries: JobFailureSummary[] = [];
  const greenRuns = greenRunsOnce(github);
  for (const job of jobs) {
    // The baseline first: the failing log's stream is read as soon as it is opened.
    const baseline = await greenBaseline(trigger, job, greenRuns, deps);
    const log = await github.openJobLog(repo, job.id);
    if (log) {
      const analysis = await analyzeLog(log, {
        maxBytes: deps.config.MAX_LOG_BYTES,
        ...(log.bytes === undefined ? {} : { expectedBytes: log.bytes }),
        steps: job.steps,
        ...(baseline ? { baseline } : {}),
      });
      summaries.push(summarizeJob(job, analysis, 'job_log', baseline !== null));
      continue;
    }
    // Logs expire (410) or are not yet available (404): the check run's annotations still say what failed.
    const annotations = await github.listAnnotations(repo, job.checkRunId);
    const text = annotations.map((a) => `${a.level}: ${a.path}${a.startLine ? `:${a.startLine}` : ''} ${a.message}`).join('\n');
    const analysis = await analyzeLog(text, { maxBytes: deps.config.MAX_LOG_BYTES });
    summaries.push(summarizeJob(job, analysis, annotations.length ? 'annotations' : 'unavailable'));
  }
  // The job whose best failure ranks highest explains the run best.
  return withinLinesBudget(summaries.sort((a, b) => Number(b.failures.length > 0) - Number(a.failures.length > 0)));
}

async function resolvePullRequest(
  trigger: { pullRequests: number[]; repository: GithubTrigger['repository'] },
  head: { sha: string; repositoryId: number | null },
  github: RunReadingGitHubPort | null,
  deps: ClassifyDeps,
): Promise<number | null> {
  if (trigger.pullRequests.length > 0) return trigger.pullRequests[0] ?? null;
  if (!github) return null;
  try {
    // A pull request from a fork has an empty `pull_requests` list in the payload; the base repository still
    // knows it by its head commit. Taken as ingest takes a fork check's, so its comment and its recovery key agree.
    const prs = await github.findPullRequestsForCommit({ owner: trigger.repository.owner, repo: trigger.repository.name }, head.sha, head.repositoryId);
    return pullRequestAtCommit(prs, { repositoryId: trigger.repository.id, headRepositoryId: head.repositoryId });
  } catch (error) {
    // Fork PRs and pushes to the default branch have no PR; an incident without one is notified by SNS.
    deps.logger.warn('pull request lookup failed', { error: String(error) });
    return null;
  }
}

/**
 * The category comes from what the alarm measures (its metrics and expression), never from a word in its name:
 * an alarm called "checkout-latency-and-oom" that counts 5XX responses is not an out-of-memory incident.
 */
export function alarmCategory(alarm: AlarmDetails): Category {
  const measured = [alarm.metric ?? '', alarm.expression ?? '', ...(alarm.inputs ?? [])].join(' ').toLowerCase();
  if (/memory|oom/.test(measured)) return 'out_of_memory';
  if (/latency|duration|timeout/.test(measured)) return 'timeout';
  if (/dns|connection|packetsdropped|networkpackets/.test(measured)) return 'network';
  return 'infrastructure';
}

/**
 * How long after the failed jobs' claim a store that refuses the flaky evidence for now still fails the stage. Classify's
 * retries (5 s doubling, four of them, full jitter) span up to about a minute and a quarter; a stage that failed
 * through all of them would go to the Catch and lose the classification (nothing analysed, the guard reported
 * degraded), a far greater loss than the evidence. So only the tries of the first half minute fail for the retry.
 */
const FLAKY_EVIDENCE_RETRY_MS = 30_000;

/**
 * Flaky evidence from the baselines (shared/baselines/flaky.ts). The failed jobs are recorded once per incident, a
 * retried or re-driven classify counting only what an earlier one left uncounted (failedJobsClaim). A store that
 * refuses for now fails the stage, whose retry counts what is left, for {@link FLAKY_EVIDENCE_RETRY_MS} after the
 * claim; later the evidence is skipped (the counts are lost, the classification is not); any other error is no
 * reason to fail classification.
 */
async function flakyMark(deps: ClassifyDeps, incidentId: string, incident: Parameters<typeof assessFlakiness>[1]) {
  if (!deps.learning) return null;
  let claimedAt: Date | null = null;
  const claim = failedJobsClaim(deps.incidents, incidentId, deps.clock);
  const noted = async () => {
    const counts = await claim();
    claimedAt = counts?.mark.claimedAt ?? null;
    return counts;
  };
  return assessFlakiness(deps.learning.baselines, incident, deps.clock(), noted).catch((error: unknown) => {
    const retrySoon = claimedAt === null || deps.clock().getTime() - (claimedAt as Date).getTime() < FLAKY_EVIDENCE_RETRY_MS;
    if (isRetryable(error) && retrySoon) throw error;
    deps.logger.warn('flaky evidence unavailable', { error: String(error) });
    return null;
  });
}

/**
 * Classify stage: gathers the failure's evidence (job logs, or alarm details), extracts the failure lines,
 * assigns a category and fingerprint, and stores the incident.
 */
export async function classifyStep(input: unknown, deps: ClassifyDeps): Promise<ClassifyResult> {
  const { trigger, incidentStored = false, pullAliasWritten = false } = parseState(input);
  // The alias is said written of the starter's store of the incident: without that store, classify stores the incident
  // itself, whose alias write may have failed (its PullAliasWriteError is read as stored), so its record writes it.
  const result = await classifyTrigger(trigger, { incidentStored, pullAliasWritten: incidentStored && pullAliasWritten }, deps);
  // Counted once the incident is stored; a retried classify counts again (EMF metrics are at least once).
  deps.metrics.count(METRIC.incidents, 1, { source: trigger.source === 'cloudwatch' ? 'cloudwatch' : 'github', category: result.category });
  return result;
}

/** What the execution's starter stored before it (see PipelineState): the incident, and its pull request's alias. */
interface StoredAtStart {
  incidentStored: boolean;
  pullAliasWritten: boolean;
}

async function classifyTrigger(trigger: ReturnType<typeof parseState>['trigger'], { incidentStored, pullAliasWritten }: StoredAtStart, deps: ClassifyDeps): Promise<ClassifyResult> {
  const now = deps.clock();

  if (trigger.source === 'cloudwatch') {
    // Stored here for an execution started without ingest's write (a redrive).
    const { incident } = incidentStored ? incidentFromTrigger(trigger, now) : await storeIncidentFromTrigger(deps.incidents, trigger, now);
    const alarm = incident.alarm as AlarmDetails;
    const reasonLine = { line: 1, text: `${alarm.name}: ${alarm.reason}`.slice(0, MAX_LINE_CHARS) };
    const { fingerprint, template } = fingerprintOf(`alarm ${alarm.name} ${alarm.namespace ?? ''} ${alarm.metric ?? ''}`);
    const category = alarmCategory(alarm);
    // An OK that record-outcome noted but could not apply: it came after ingest read the alarm's latest OK and before
    // the incident was written, or before a re-driven execution stored it here. The incident is recorded resolved
    // now, so the later stages act on nothing (remediation applies nothing to a resolved incident, notify pages
    // nobody for one); one the outcome recorder resolved already keeps the record it wrote.
    // Compared with the time ingest decided the ALARM fired, as stored (`failedAt`, `stampAhead`), not its stamp read
    // again at this later clock: a stamp ahead by more than the allowed skew at ingest may be within it now, and the
    // same OK would end the ALARM for ingest and record-outcome but not here (session 41). The trigger's own read is
    // for an incident stored here (a re-drive); one without a readable time is never over, as ingest has it. Readable
    // as ingest reads it (its state's stamp, else the event's time), not the raw stamp alone: an ALARM read by its event
    // time was ended by that OK for ingest and record-outcome, and paged here for an alarm already back to OK
    // (attack-43b F7). Whether a time is readable does not depend on the clock; only the ahead rule does.
    const okAt = await deps.incidents.latestAlarmOk(alarmArnOf(trigger.event));
    const stored = okAt ? await deps.incidents.get(trigger.incidentId) : null;
    const over = stored
      ? stored.status !== 'resolved' && stateChangedAtOf(trigger.event, now) !== null && alarmOkLeavesOpen(stored, okAt as Date) === null
      : alarmOverBy(trigger.event, okAt, now);
    const recovered = over ? recoveredAlarmFields(incident, okAt as Date, 'classify', now) : null;
    // Whose the incident is, as the trigger made it: checked by the write, not read back before it.
    const endedHere = await recordClassification(
      trigger.incidentId,
      { status: 'classified', category, fingerprint, template, failureLines: [reasonLine], evidence: reasonLine },
      [{ at: now.toISOString(), event: 'classified', detail: `alarm ${alarm.state}` }],
      recovered,
      { owner: incident, pullAliasWritten },
      deps,
    );
    if (endedHere && recovered) deps.logger.info('alarm already back to OK at classify: recorded as resolved', { incidentId: trigger.incidentId, okAt: recovered.fields.resolvedAt });
    return { incidentId: trigger.incidentId, incidentStatus: recovered ? 'resolved' : 'classified', category, fingerprint, failureCount: 1, jobCount: 0 };
  }

  if (trigger.source === 'github_check') return classifyCheckRun(trigger, { incidentStored, pullAliasWritten }, deps);

  const github = deps.github.forInstallation(trigger.installationId, deps.signal);
  // The incident the trigger makes, as the alarm path does: what it says of the failing commit (a fork's) is used below.
  const { incident: fromTrigger } = incidentStored ? incidentFromTrigger(trigger, now) : await storeIncidentFromTrigger(deps.incidents, trigger, now);
  const run = trigger.workflowRun;
  const scope = githubIncidentScope(trigger);
  const laterAttempts = Array.from({ length: LATER_ATTEMPTS_READ }, (_, i) => ({ attempt: run.attempt + 1 + i, incidentId: githubIncidentId(trigger.repository.id, run.id, run.attempt + 1 + i) }));
  const head = { sha: run.headSha, repositoryId: run.headRepositoryId };
  // Before any job log is downloaded: a failure delivered after what superseded it costs no GitHub call beyond its
  // pull request's (a fork's is looked up; it indexes the incident under the pull request, as for any failure).
  const first = await supersededAtClassify(fromTrigger, scope, laterAttempts, deps);
  if (first.resolved) return recordNotAnalysed(trigger, { owner: fromTrigger, pullAliasWritten }, first, await resolvePullRequest(trigger, head, github, deps), deps);

  const jobs = await analyzeGithubJobs(trigger, github, deps);
  const primary = jobs.find((job) => job.failures.length > 0) ?? jobs[0];
  const top = primary?.failures[0];
  const category: Category = top?.category ?? primary?.category ?? categoryForConclusion(run.conclusion);
  const failureLines = top ? clip(top.lines) : [];
  const fingerprint = primary?.fingerprint ?? fingerprintOf(`${run.name ?? ''} ${run.conclusion}`).fingerprint;
  const template = top ? fingerprintOf(top.lines.map((l) => l.text).join('\n')).template : null;
  const pullRequest = await resolvePullRequest(trigger, head, github, deps);
  const flaky = await flakyMark(deps, trigger.incidentId, { repository: trigger.repository.fullName, headSha: run.headSha, workflowName: run.name, jobs, fromFork: fromTrigger.fromFork, runEvent: fromTrigger.runEvent ?? null });
  const baseBranchRun = github ? await baseBranchRunOf(trigger, github, deps) : null;
  // Read again just before the write: what was delivered while the logs were read (a later attempt's failure) is
  // seen here, and a green run noted after this read finds the incident among its scope's open ones.
  const { superseded, resolved } = await supersededAtClassify(fromTrigger, scope, laterAttempts, deps);

  const endedHere = await recordClassification(
    trigger.incidentId,
    {
      status: 'classified',
      category,
      fingerprint,
      template,
      failureLines,
      evidence: failureLines[0] ?? null,
      jobs,
      pullRequest,
      ...(baseBranchRun ? { baseBranchRun } : {}),
      // Stored with the pull request so the incident is indexed under it (one comment covers the PR's incidents).
      repository: trigger.repository.fullName,
      ...(flaky ? { flaky } : {}),
    },
    [
      {
        at: deps.clock().toISOString(),
        event: 'classified',
        detail: github
          ? `${jobs.length} failed job(s) analysed`
          : 'no GitHub access configured: logs not downloaded',
      },
    ],
    superseded,
    { owner: fromTrigger, pullAliasWritten },
    deps,
  );
  if (endedHere) logSuperseded(trigger.incidentId, superseded, deps);
  return {
    incidentId: trigger.incidentId,
    incidentStatus: resolved ? 'resolved' : 'classified',
    category,
    fingerprint,
    failureCount: jobs.reduce((sum, job) => sum + job.failures.length, 0),
    jobCount: jobs.length,
  };
}

function logSuperseded(incidentId: string, superseded: Awaited<ReturnType<typeof supersededAtClassify>>['superseded'], deps: ClassifyDeps): void {
  if (superseded) deps.logger.info('failure delivered after what supersedes it: recorded as resolved', { incidentId, supersededBy: superseded.fields.supersededBy });
}

/**
 * The classification of a workflow run's failure found resolved before its logs were read: superseded (recorded so
 * here), or resolved already by the outcome recorder. Nothing was downloaded, so nothing of the logs is recorded: no
 * jobs or failure lines, the category its conclusion gives, and no fingerprint, so the failure neither joins nor
 * counts towards another failure's history or knowledge entry (a fingerprint of the workflow's name would).
 */
async function recordNotAnalysed(
  trigger: GithubTrigger,
  made: MadeByTrigger,
  { superseded }: Awaited<ReturnType<typeof supersededAtClassify>>,
  pullRequest: number | null,
  deps: ClassifyDeps,
): Promise<ClassifyResult> {
  const category = categoryForConclusion(trigger.workflowRun.conclusion);
  const endedHere = await recordClassification(
    trigger.incidentId,
    { status: 'classified', category, fingerprint: null, template: null, failureLines: [], evidence: null, jobs: [], pullRequest, repository: trigger.repository.fullName },
    [{ at: deps.clock().toISOString(), event: 'classified', detail: 'resolved before its job logs were read: none downloaded' }],
    superseded,
    made,
    deps,
  );
  if (endedHere) logSuperseded(trigger.incidentId, superseded, deps);
  return { incidentId: trigger.incidentId, incidentStatus: 'resolved', category, fingerprint: null, failureCount: 0, jobCount: 0 };
}

/**
 * Whether a later attempt of the failure's run (`laterAttempts`: none for a check run), or a green run of its scope
 * that speaks for it, was on record when this failure was classified (see `supersededFields`): read once the incident
 * is stored, so that a green run noted after this read finds the incident among its scope's open ones and resolves it
 * itself (a resolved incident's status stays resolved whatever classify records next). The outcome recorder may
 * resolve it between this read and classify's write (it notes a green run before it lists the open incidents): the
 * write is conditional ({@link recordClassification}), so its ending stands and is recorded once.
 * `resolved`: the incident is resolved either way.
 */
async function supersededAtClassify(incident: Incident, scope: string, laterAttempts: LaterAttempt[], deps: ClassifyDeps) {
  const later = await deps.greenRuns.laterOnRecord(scope, laterAttempts).catch((error: unknown): LaterOnRecord => {
    // Skipped, the failure would be commented and paged as current while what superseded it may be on record: a
    // transient failure is Classify's Retry's, and once those are spent the reconciler's (the state machine ends the
    // execution unfinished on this name); only one that retries cannot fix leaves it current.
    if (error instanceof RetryableError || isTransientAwsError(error)) throw new SupersededCheckUnavailableError(`superseded check: ${errorMessage(error)}`, { cause: error });
    deps.logger.warn('superseded check failed: the failure is handled as current', { incidentId: incident.id, error: errorMessage(error) });
    return { green: null, newestRun: null, laterAttemptFailed: null };
  });
  const now = deps.clock();
  let superseded = supersededFields(incident, later, now);
  // A green run's note is told against the failure's delivery: its stored incident's creation, not `incident`'s (built
  // from the trigger at this step's clock, always after the note). Read only when such a note resolves it (rare).
  if (superseded && (later.green?.notedAt || later.newestRun?.notedAt)) {
    const deliveredAt = (await deps.incidents.get(incident.id))?.createdAt;
    if (deliveredAt && deliveredAt !== incident.createdAt) superseded = supersededFields({ ...incident, createdAt: deliveredAt }, later, now);
  }
  return { superseded, resolved: superseded !== null };
}

/**
 * The incident as the trigger made it (whose it is, and the pull request it names), and whether the execution's starter
 * wrote that pull request's alias when it stored it (PipelineState's `pullAliasWritten`).
 */
interface MadeByTrigger {
  owner: Incident;
  pullAliasWritten: boolean;
}

/**
 * Records the classification, and with `ending` (the failure superseded, or its alarm already back to OK) its
 * resolution in the same write, on the condition that the incident may still move to resolved (one conditional write
 * in DynamoDB, and in the local runtime's embedded one). The outcome recorder may have resolved it since classify read
 * what ended it: a green run is noted before its scope's open incidents are listed and resolved, and classify can read
 * the note in between. Then that ending (resolvedBy, time to recovery, its one "resolved" entry) stands, and the
 * classification is recorded on its own: two resolutions of one incident, each of its own wording, said the green
 * run had been delivered before a failure ingest had already stored. Whether this write resolved the incident.
 */
async function recordClassification(
  id: string,
  fields: Partial<Incident> & { status: 'classified' },
  history: HistoryEntry[],
  ending: { fields: Partial<Incident> & Pick<Incident, 'status'>; history: HistoryEntry } | null,
  { owner, pullAliasWritten }: MadeByTrigger,
  deps: ClassifyDeps,
): Promise<boolean> {
  // The alias ingest wrote for the incident it stored (the trigger's pull request): not put again.
  const written = { owner, ...(pullAliasWritten ? { pullAliasWritten: owner } : {}) };
  if (ending) {
    const resolved = await aliasHandled(id, deps, deps.incidents.updateIfStatusMoves(id, { ...fields, ...ending.fields }, { history: [...history, ending.history] }, written));
    if (resolved) return true;
    deps.logger.info('incident resolved before classify recorded its ending (by another writer, or by an earlier try of this classify that Step Functions retried): that ending stands', { incidentId: id });
  }
  await aliasHandled(id, deps, deps.incidents.record(id, fields, { history }, written));
  return false;
}

/**
 * A write of the classification whose pull request alias item failed after it (PullAliasWriteError) landed: classify
 * goes on with what it returned. Retried as a failed step, the whole classification ran again for an item the next
 * write indexing one of the pull request's incidents by id writes anyway (ingest's create wrote it for this one).
 */
async function aliasHandled<T>(incidentId: string, deps: Pick<ClassifyDeps, 'logger'>, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (!(error instanceof PullAliasWriteError)) throw error;
    deps.logger.warn("classified, but the pull request's alias item was not written: the next write by id writes it", { incidentId, error: errorMessage(error.cause) });
    return error.written as T;
  }
}

/** The evidence of a check run from another CI system: its output, as that system reported it to GitHub. */
export function checkRunOutputText(trigger: GithubCheckTrigger): string {
  const { title, summary, text } = trigger.checkRun.output;
  return [title, summary, text].filter((part): part is string => Boolean(part && part.trim())).join('\n');
}

/**
 * A failed check run of another CI system: no job log to download, so its output text (title, summary, text)
 * is analysed like one, and the result is stored as a single "job" named after the check.
 */
async function classifyCheckRun(trigger: GithubCheckTrigger, { incidentStored, pullAliasWritten }: StoredAtStart, deps: ClassifyDeps): Promise<ClassifyResult> {
  const check = trigger.checkRun;
  const github = deps.github.forInstallation(trigger.installationId, deps.signal);
  const { incident } = incidentStored ? incidentFromTrigger(trigger, deps.clock()) : await storeIncidentFromTrigger(deps.incidents, trigger, deps.clock());
  const text = checkRunOutputText(trigger);
  const analysis = await analyzeLog(text, { maxBytes: deps.config.MAX_LOG_BYTES });
  const [job] = withinLinesBudget([
    summarizeJob({ id: check.id, name: check.name, htmlUrl: check.htmlUrl }, analysis, text ? 'check_run_output' : 'unavailable'),
  ]) as [JobFailureSummary];
  const top = job.failures[0];
  const category: Category = top?.category ?? (check.conclusion === 'timed_out' ? 'timeout' : job.category);
  const failureLines = top ? clip(top.lines) : [];
  const fingerprint = job.failures.length > 0 ? job.fingerprint : fingerprintOf(`${check.app.slug} ${check.name} ${check.conclusion}`).fingerprint;
  const template = top ? fingerprintOf(top.lines.map((l) => l.text).join('\n')).template : null;
  const pullRequest = await resolvePullRequest(trigger, { sha: check.headSha, repositoryId: check.headRepositoryId }, github, deps);
  // A later successful run of the same check on the same branch, delivered first (a check run has no attempts).
  const { superseded, resolved } = await supersededAtClassify(incident, githubCheckIncidentScope(trigger), [], deps);
  const endedHere = await recordClassification(
    trigger.incidentId,
    { status: 'classified', category, fingerprint, template, failureLines, evidence: failureLines[0] ?? null, jobs: [job], pullRequest, repository: trigger.repository.fullName },
    [{ at: deps.clock().toISOString(), event: 'classified', detail: `check run output of ${check.app.slug} analysed (${text.length} characters)` }],
    superseded,
    { owner: incident, pullAliasWritten },
    deps,
  );
  if (endedHere) logSuperseded(trigger.incidentId, superseded, deps);
  return { incidentId: trigger.incidentId, incidentStatus: resolved ? 'resolved' : 'classified', category, fingerprint, failureCount: job.failures.length, jobCount: 1 };
}
