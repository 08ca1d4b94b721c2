import { type RecordedWebhook, loadWebhook } from '../../infra/local/replay.js';
import { noMetrics } from '../../shared/adapters/metrics.js';
import type { Config } from '../../shared/config.js';
import { loadConfig } from '../../shared/config.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { createPermissionCache } from '../../shared/github/permission-cache.js';
import { outsiderModelBudgets } from '../../shared/analysis/outsider-budget.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import type { AnalysisResult, Analyzer, BeforePage, BranchMembership, EscalationLedger, EscalationMessage, EscalationOccurrence, EscalationTally, GitHubPort, ModelBudget, ModelRequestLedger, OutsiderModelBudgets, RecoveryQueue, RepositoryRole, RerunKey, RerunLedger, TaskTokenControl } from '../../shared/ports.js';
import type { WorkflowRecoveryMessage } from '../../shared/domain/recovery.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields } from '../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { recordQueuedRecovery } from '../../shared/steps/record-outcome.js';
import { type ApprovalIndex, approvalKeys } from '../../shared/remediation/approvals.js';
import type { CommandAnswerKey, CommandAnswers } from '../../shared/stores/command-answers.js';
import type { ApprovalResumes, ListedDecision } from '../../shared/stores/approval-resumes.js';
import type { GuardCounters, GuardStore } from '../../shared/remediation/guard-store.js';
import type { RunbookRequest, RunbookRunner } from '../../shared/remediation/runbook-runner.js';
import { type NotifyDeps, type RemediationDeps, type StepDeps, silentLogger } from '../../shared/steps/deps.js';
import { WriteBudgetExhaustedError } from '../../shared/errors.js';
import { rerunLedgerKey } from '../../shared/stores/rerun-ledger.js';
import type { IncidentDue, IncidentDueList } from '../../shared/stores/due-index.js';
import { type EpisodeRunbookClaims, episodeRunbookClaimsOver } from '../../shared/stores/runbook-checks.js';
import { type RecoveryKey, type RecoveryTargets, type UnfinishedRecovery, keyTimeOf } from '../../shared/stores/recovery-targets.js';
import { createMemoryGreenRunNotes, createMemoryStore } from './memory-store.js';

/**
 * The pages of 100 the GitHub client requests for a listing of `total` items read up to `limit`: one at least, then
 * one more while GitHub has more and the limit allows; `beforePage` is paid before each, and the listing counts as
 * `requested` once its first page is (a listing refused before it asked GitHub anything made no call).
 */
function readPages(total: number, limit: number, beforePage: BeforePage | undefined, requested: () => void): void {
  const pages = Math.min(Math.ceil(limit / 100), Math.max(1, Math.ceil(total / 100)));
  for (let page = 0; page < pages; page += 1) {
    beforePage?.();
    if (page === 0) requested();
  }
}

/** Page `page` (1-based) of `all`, 100 a page, as GitHub pages a listing. */
function pageOf<T>(all: T[], page: number): { items: T[]; more: boolean } {
  return { items: all.slice((page - 1) * 100, page * 100), more: all.length > page * 100 };
}

/** A GitHubPort that records calls and keeps one comment per PR, for step unit tests. */
export function createFakeGitHub() {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const comments = new Map<string, string>();
  /** Comments on commits, by `owner/repo@sha marker`. */
  const commitComments = new Map<string, string>();
  const permissions = new Map<string, RepositoryRole>();
  const labels = new Set<string>();
  const reactions: Array<{ user: string; content: string; userType: string | null; createdAt: string | null }> = [];
  /** The reactions the guard left, by comment (as GitHub: one of a kind per comment). */
  const reacted = new Map<number, Array<{ user: string; content: string; userType: string | null; createdAt: string | null }>>();
  const files = new Map<string, string>();
  /**
   * Where each commit stands against the branch asked about, by the SHA (or prefix) asked with; a commit not listed is
   * unknown, as GitHub's 404.
   */
  const memberships = new Map<string, BranchMembership>();
  const reactionsOf = (commentId: number, content: string) => [...reactions, ...(reacted.get(commentId) ?? [])].filter((reaction) => reaction.content === content);
  // Everyone with a role but none, as GitHub lists them.
  const collaboratorsOf = () => [...permissions].filter(([, role]) => role !== 'none').map(([login, role]) => ({ login, role }));
  const port: GitHubPort = {
    async listFailedJobs(...args) {
      calls.push({ method: 'listFailedJobs', args });
      return [];
    },
    async listSucceededJobs(...args) {
      calls.push({ method: 'listSucceededJobs', args });
      return [];
    },
    async latestSuccessfulRun(...args) {
      calls.push({ method: 'latestSuccessfulRun', args });
      return null;
    },
    async latestCompletedRun(...args) {
      calls.push({ method: 'latestCompletedRun', args });
      return null;
    },
    async openJobLog(...args) {
      calls.push({ method: 'openJobLog', args });
      return null;
    },
    async listAnnotations(...args) {
      calls.push({ method: 'listAnnotations', args });
      return [];
    },
    async findPullRequestsForCommit(...args) {
      calls.push({ method: 'findPullRequestsForCommit', args });
      return [];
    },
    async upsertComment(repo, issue, marker, body) {
      calls.push({ method: 'upsertComment', args: [repo, issue, marker, body] });
      // The incident's comment is keyed by its pull request (what most tests read); any other marker is its own comment.
      const key = `${repo.owner}/${repo.repo}#${issue}${marker === COMMENT_MARKER ? '' : ` ${marker}`}`;
      const previous = comments.get(key);
      comments.set(key, body);
      return { outcome: previous === undefined ? 'created' : previous === body ? 'unchanged' : 'updated', commentId: 1, url: null };
    },
    async commentOnCommit(repo, sha, marker, body) {
      calls.push({ method: 'commentOnCommit', args: [repo, sha, marker, body] });
      // Kept as first written, as on GitHub where the guard cannot edit a commit comment.
      const key = `${repo.owner}/${repo.repo}@${sha} ${marker}`;
      if (commitComments.has(key)) return { outcome: 'unchanged', commentId: 2, url: null };
      commitComments.set(key, body);
      return { outcome: 'created', commentId: 2, url: null };
    },
    async rerunFailedJobs(...args) {
      calls.push({ method: 'rerunFailedJobs', args });
      return 'requested';
    },
    async botLogin() {
      return 'pipeline-guard[bot]';
    },
    async listCommentReactions(repo, commentId, content, limit, beforePage) {
      const all = reactionsOf(commentId, content);
      readPages(all.length, limit, beforePage, () => calls.push({ method: 'listCommentReactions', args: [repo, commentId, content, limit] }));
      return all.slice(0, limit);
    },
    async addCommentReaction(...args) {
      calls.push({ method: 'addCommentReaction', args });
      const [, commentId, content] = args;
      const mine = reacted.get(commentId) ?? [];
      if (!mine.some((reaction) => reaction.content === content)) mine.push({ user: 'pipeline-guard[bot]', content, userType: 'Bot', createdAt: null });
      reacted.set(commentId, mine);
    },
    async listIssueLabels(...args) {
      calls.push({ method: 'listIssueLabels', args });
      return [...labels];
    },
    async readFile(repo, path, ref) {
      calls.push({ method: 'readFile', args: [repo, path, ref] });
      return files.get(path) ?? null;
    },
    async listAllFiles(repo, ref) {
      calls.push({ method: 'listAllFiles', args: [repo, ref] });
      return { paths: [...files.keys()], complete: true };
    },
    async commitOnBranch(repo, branch, sha) {
      calls.push({ method: 'commitOnBranch', args: [repo, branch, sha] });
      return memberships.get(sha) ?? { status: 'unknown_commit' };
    },
    async createFixPullRequest(repo, request) {
      calls.push({ method: 'createFixPullRequest', args: [repo, request] });
      return { number: 4242, url: 'https://github.com/acme-shop/checkout-service/pull/4242', outcome: 'created' };
    },
    async repositoryPermission(repo, username) {
      calls.push({ method: 'repositoryPermission', args: [repo, username] });
      return permissions.get(username) ?? 'none';
    },
    async listCollaborators(repo, limit, beforePage) {
      readPages(collaboratorsOf().length, limit, beforePage, () => calls.push({ method: 'listCollaborators', args: [repo, limit] }));
      const collaborators = collaboratorsOf();
      return { collaborators: collaborators.slice(0, limit), complete: collaborators.length < limit };
    },
    async commentReactionsPage(repo, commentId, content, page) {
      calls.push({ method: 'commentReactionsPage', args: [repo, commentId, content, page] });
      return pageOf(reactionsOf(commentId, content), page);
    },
    async collaboratorsPage(repo, page) {
      calls.push({ method: 'collaboratorsPage', args: [repo, page] });
      return pageOf(collaboratorsOf(), page);
    },
  };
  return { port, calls, comments, commitComments, permissions, labels, files, reactions, memberships };
}

/** In-memory RerunLedger with the DynamoDB one's semantics (idempotent per incident, capped per key). */
export function createMemoryRerunLedger(): RerunLedger & { items: Map<string, { claims: Set<string>; attempts: Set<string> }> } {
  const items = new Map<string, { claims: Set<string>; attempts: Set<string> }>();
  const keyOf = (key: RerunKey) => rerunLedgerKey(key).pk;
  return {
    items,
    async claim(key, claim) {
      const item = items.get(keyOf(key)) ?? { claims: new Set<string>(), attempts: new Set<string>() };
      const held = item.claims.has(claim.incidentId);
      const granted = claim.max > 0 && (held || item.claims.size < claim.max);
      if (granted) {
        item.claims.add(claim.incidentId);
        item.attempts.add(`${claim.runId}#${claim.nextAttempt}`);
        items.set(keyOf(key), item);
      }
      return { granted, count: item.claims.size, claimedBefore: granted && held };
    },
    async release(key, claim) {
      items.get(keyOf(key))?.claims.delete(claim.incidentId);
      items.get(keyOf(key))?.attempts.delete(`${claim.runId}#${claim.nextAttempt}`);
    },
    async lookup(key, run) {
      const item = items.get(keyOf(key));
      return {
        count: item?.claims.size ?? 0,
        ownAttempt: item?.attempts.has(`${run.runId}#${run.attempt}`) ?? false,
        claimedByIncident: item?.claims.has(run.incidentId) ?? false,
      };
    },
  };
}

/** In-memory ModelBudget with the DynamoDB one's semantics (hourly windows of creation, each incident counted once). */
export function createMemoryModelBudget(max: number): ModelBudget & { windows: Map<number, Set<string>> } {
  const windows = new Map<number, Set<string>>();
  return {
    windows,
    async claim(incidentId, receivedAt, limit) {
      const start = receivedAt.getTime() - (receivedAt.getTime() % 3_600_000);
      const claims = windows.get(start) ?? new Set<string>();
      const cap = Math.min(max, limit ?? max);
      const granted = cap > 0 && (claims.has(incidentId) || claims.size < cap);
      if (granted) claims.add(incidentId);
      windows.set(start, claims);
      // A Set iterates in insertion order: its first member claimed first.
      const first = granted && claims.values().next().value === incidentId;
      return { granted, used: claims.size, first, max, windowStart: new Date(start) };
    },
  };
}

/** In-memory outsiders' budgets from the settings: one {@link createMemoryModelBudget} per counter name, kept. */
/** In-memory ModelRequestLedger with the DynamoDB one's semantics (a request per take while fewer than `max`). */
export function createMemoryModelRequestLedger(): ModelRequestLedger & { used: Map<string, number> } {
  const used = new Map<string, number>();
  return {
    used,
    async take(incidentId, max) {
      const count = used.get(incidentId) ?? 0;
      if (count >= max) return { granted: false, used: count };
      used.set(incidentId, count + 1);
      return { granted: true, used: count + 1 };
    },
  };
}

export function createMemoryOutsiderBudgets(config: Parameters<typeof outsiderModelBudgets>[0]): OutsiderModelBudgets {
  const byName = new Map<string, ModelBudget>();
  return outsiderModelBudgets(config, (name, max) => {
    let budget = byName.get(name);
    if (!budget) byName.set(name, (budget = createMemoryModelBudget(max)));
    return budget;
  });
}

export function scriptedAnalyzer(result: Partial<AnalysisResult> | Error): Analyzer {
  return {
    provider: 'scripted',
    async analyze() {
      if (result instanceof Error) throw result;
      return {
        rootCause: 'scripted root cause', fix: ['step'], confidence: 0.9, proposedAction: 'comment_only',
        rationale: 'scripted', evidence: [], provider: 'scripted', model: null, ...result,
      };
    },
  };
}

/**
 * In-memory GuardStore with the DynamoDB one's semantics (limits checked at reservation), counted per scope: every
 * scope starts from `initial`. `reserved` and `outcomes` are over all scopes.
 */
export function createMemoryGuardStore(initial: Partial<GuardCounters> = {}): GuardStore & { reserved: number; outcomes: boolean[] } {
  const scopes = new Map<string, GuardCounters>();
  const countersOf = (scope: string): GuardCounters => {
    let counters = scopes.get(scope);
    if (!counters) {
      counters = { automaticActionsLastHour: 0, automaticActionsLastDay: 0, recentOutcomes: { attempts: 0, failures: 0 }, ...structuredClone(initial) };
      scopes.set(scope, counters);
    }
    return counters;
  };
  const store = {
    reserved: 0,
    outcomes: [] as boolean[],
    async read(scope: string) {
      return structuredClone(countersOf(scope));
    },
    claims: new Set<string>(),
    async reserve(scope: string, limits: { perHour: number; perDay: number }, claim: string) {
      const counters = countersOf(scope);
      if (store.claims.has(`slot:${claim}`)) return true;
      if (counters.automaticActionsLastHour >= limits.perHour || counters.automaticActionsLastDay >= limits.perDay) return false;
      counters.automaticActionsLastHour += 1;
      counters.automaticActionsLastDay += 1;
      store.reserved += 1;
      store.claims.add(`slot:${claim}`);
      return true;
    },
    async recordOutcome(scope: string, succeeded: boolean, claim: string) {
      const counters = countersOf(scope);
      if (store.claims.has(`outcome:${claim}`)) return;
      store.claims.add(`outcome:${claim}`);
      store.outcomes.push(succeeded);
      counters.recentOutcomes.attempts += 1;
      if (!succeeded) counters.recentOutcomes.failures += 1;
    },
  };
  return store;
}

/**
 * A RunbookRunner that records starts and answers a scripted final status. Given a `clock`, it also reports when each
 * execution started (SSM's ExecutionStartTime), the time of the start that made it.
 */
export function createScriptedRunbookRunner(finalStatus = 'Success', clock?: () => Date): RunbookRunner & { started: RunbookRequest[] } {
  const started: RunbookRequest[] = [];
  const startedAt = new Map<string, string>();
  return {
    started,
    /** Every start made is in `started`; as SSM, a start repeated with a client token answers its first execution. */
    async start(request) {
      started.push(request);
      const executionId = `exec-${started.findIndex((earlier) => earlier.clientToken === request.clientToken) + 1}`;
      if (clock && !startedAt.has(executionId)) startedAt.set(executionId, clock().toISOString());
      return { executionId };
    },
    async status(executionId) {
      const at = startedAt.get(executionId);
      return { executionId, status: finalStatus, failureMessage: finalStatus === 'Success' ? null : 'step failed', ...(at ? { startedAt: at } : {}) };
    },
  };
}

/** In-memory ApprovalIndex with the DynamoDB one's semantics (take succeeds once). */
export function createMemoryApprovalIndex(): ApprovalIndex & { sets: Map<string, Set<string>> } {
  const sets = new Map<string, Set<string>>();
  return {
    sets,
    async add(repository, pullRequest, incidentId) {
      const [key, ...older] = approvalKeys(repository, pullRequest) as [string, ...string[]];
      for (const name of older) sets.get(name)?.delete(incidentId);
      sets.set(key, (sets.get(key) ?? new Set()).add(incidentId));
    },
    async pending(repository, pullRequest) {
      return [...new Set(approvalKeys(repository, pullRequest).flatMap((key) => [...(sets.get(key) ?? [])]))].sort();
    },
    async take(repository, pullRequest, incidentId) {
      return approvalKeys(repository, pullRequest).some((key) => sets.get(key)?.delete(incidentId) ?? false);
    },
  };
}

/**
 * In-memory RecoveryTargets with the DynamoDB one's semantics: a set per recovery; each note returns the set as it was
 * and stamps the recovery noted now (`clock`) with a new mark, clearing the reconciler's tries; a finished recovery's
 * set goes, and its tries are counted, if not noted since; one waiting for its retry, or given up, is not listed; the days listed are the last 15.
 */
export function createMemoryRecoveryTargets(clock: () => Date = () => new Date()): RecoveryTargets & { sets: Map<string, Set<string>>; tries: Map<string, { failures: number; retryAt?: string; givenUpAt?: string }> } {
  const sets = new Map<string, Set<string>>();
  const noted = new Map<string, Omit<UnfinishedRecovery, 'failures'>>();
  const tries = new Map<string, { failures: number; retryAt?: string; givenUpAt?: string }>();
  let marks = 0;
  const keyOf = (recovery: RecoveryKey) => `${recovery.scope}\n${recovery.resolvedBy}\n${recovery.at}`;
  const annotate = (recovery: RecoveryKey & { mark: string | null }, values: { failures: number; retryAt?: string; givenUpAt?: string }) => {
    if (!noted.has(keyOf(recovery)) || noted.get(keyOf(recovery))?.mark !== recovery.mark) return false;
    tries.set(keyOf(recovery), { ...tries.get(keyOf(recovery)), ...values });
    return true;
  };
  return {
    sets,
    tries,
    async note(recovery, incidentIds) {
      const key = keyOf(recovery);
      const before = [...(sets.get(key) ?? [])];
      const keyAt = keyTimeOf(recovery, clock());
      if (incidentIds.length > 0) {
        sets.set(key, new Set([...before, ...incidentIds]));
        marks += 1;
        noted.set(key, { scope: recovery.scope, resolvedBy: recovery.resolvedBy, at: recovery.at, ...(keyAt === recovery.at ? {} : { keyAt }), incidentIds: [], notedAt: clock().toISOString(), mark: `mark-${marks}` });
        tries.delete(key);
      }
      return { earlier: before, mark: noted.get(key)?.mark ?? null, keyAt };
    },
    async finished(recovery) {
      if ((noted.get(keyOf(recovery))?.mark ?? null) !== recovery.mark) return false;
      sets.delete(keyOf(recovery));
      noted.delete(keyOf(recovery));
      tries.delete(keyOf(recovery));
      return true;
    },
    async settled(recovery, incidentIds) {
      if ((noted.get(keyOf(recovery))?.mark ?? null) !== recovery.mark || !noted.has(keyOf(recovery))) return false;
      for (const id of incidentIds) sets.get(keyOf(recovery))?.delete(id);
      return true;
    },
    async unfinished(now, { notedBefore, limit }) {
      const firstDay = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - 15 * 86_400_000).toISOString();
      const waits = (key: string) => {
        const entry = tries.get(key);
        return entry !== undefined && (entry.givenUpAt !== undefined || (entry.retryAt !== undefined && entry.retryAt > now.toISOString()));
      };
      return [...noted.entries()]
        .filter(([key, entry]) => (entry.keyAt ?? entry.at) >= firstDay && (entry.keyAt ?? entry.at) <= now.toISOString() && entry.notedAt <= notedBefore.toISOString() && !waits(key))
        .sort(([, a], [, b]) => a.at.localeCompare(b.at))
        .slice(0, limit)
        .map(([key, entry]) => ({ ...entry, incidentIds: [...(sets.get(key) ?? [])], failures: tries.get(key)?.failures ?? 0 }));
    },
    async retry(recovery, retryAt, failures) {
      return annotate(recovery, { failures, retryAt: retryAt.toISOString() });
    },
    async givenUp(recovery, failures, at) {
      return annotate(recovery, { failures, givenUpAt: at.toISOString() });
    },
  };
}

/** Step Functions as the reconciler sees it: records each call, or answers it with `answer` (an error thrown). */
export function taskPort(answer: (token: string) => Error | null = () => null): TaskTokenControl & { calls: Array<[string, string, unknown]> } {
  const calls: Array<[string, string, unknown]> = [];
  const call = async (kind: string, token: string, detail: unknown) => {
    const error = answer(token);
    if (error) throw error;
    calls.push([kind, token, detail]);
  };
  return { calls, succeed: (token, output) => call('succeed', token, output), fail: (token, error, cause) => call('fail', token, `${error}: ${cause}`) };
}

/** In-memory ApprovalResumes: the entries by their key (`<due time>#<incident id>`), listed oldest first as DynamoDB lists them. */
export function createMemoryApprovalResumes(): ApprovalResumes & { entries: Map<string, ListedDecision> } {
  const entries = new Map<string, ListedDecision>();
  const keyOf = (entry: { id: string; dueAt: string }) => `${entry.dueAt}#${entry.id}`;
  const moveTo = (decision: ListedDecision, at: Date, failures: number) => {
    if (!entries.delete(keyOf(decision.entry))) return false;
    const entry = { id: decision.entry.id, dueAt: at.toISOString() };
    entries.set(keyOf(entry), { ...decision, entry, failures });
    return true;
  };
  return {
    entries,
    async schedule(decision, options = {}) {
      const entry = { id: decision.incidentId, dueAt: options.listedAt ?? decision.decidedAt };
      entries.set(keyOf(entry), { ...decision, entry, failures: 0 });
    },
    async due(recordedBefore, { limit }) {
      return [...entries.entries()].filter(([, listed]) => listed.entry.dueAt <= recordedBefore.toISOString()).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit).map(([, listed]) => structuredClone(listed));
    },
    async done(decision) {
      entries.delete(keyOf('entry' in decision ? decision.entry : { id: decision.incidentId, dueAt: decision.decidedAt }));
    },
    async retry(decision, at) {
      return moveTo(decision, at, decision.failures + 1);
    },
    async postpone(decision, at) {
      return moveTo(decision, at, decision.failures);
    },
  };
}

/** In-memory CommandAnswers with the DynamoDB one's answers (a claim here never lapses). */
export function createMemoryCommandAnswers(): CommandAnswers & { items: Map<string, { holder?: string; replyId?: number; done?: true; finalBody?: string; finalWritten?: true }> } {
  const items = new Map<string, { holder?: string; replyId?: number; done?: true; finalBody?: string; finalWritten?: true }>();
  const keyOf = (key: CommandAnswerKey) => `${key.repositoryId}#${key.pullRequest}#${key.commentId}`;
  const itemOf = (key: CommandAnswerKey) => items.get(keyOf(key)) ?? items.set(keyOf(key), {}).get(keyOf(key))!;
  let holders = 0;
  return {
    items,
    async claim(key, final) {
      const item = itemOf(key);
      if (item.done || (final ? item.finalWritten : item.finalBody !== undefined)) return { kind: 'done' };
      if (final) item.finalBody = final.final;
      if (item.replyId !== undefined) return { kind: 'update', replyId: item.replyId };
      if (item.holder !== undefined) return { kind: 'busy' };
      item.holder = `holder-${(holders += 1)}`;
      return { kind: 'create', holder: item.holder };
    },
    async record(key, replyId, options = {}) {
      const item = itemOf(key);
      item.replyId = replyId;
      if (options.final) item.finalWritten = true;
      return { done: item.done === true, final: item.finalBody ?? null };
    },
    async release(key, holder) {
      const item = itemOf(key);
      if (item.holder === holder && item.replyId === undefined) delete item.holder;
    },
    async markDone(key) {
      const item = itemOf(key);
      item.done = true;
      return { replyId: item.replyId ?? null };
    },
    async keepFinal(key, final) {
      const item = itemOf(key);
      if (!item.done && !item.finalWritten) item.finalBody = final;
    },
    async pendingFinal(key) {
      const item = items.get(keyOf(key));
      return !item || item.done || item.finalWritten ? null : (item.finalBody ?? null);
    },
  };
}

/** In-memory IncidentDueList (shared/stores/due-index.ts): `entries` holds what is scheduled and not done. */
export function createMemoryIncidentDueList(): IncidentDueList & { entries: IncidentDue[] } {
  const entries: IncidentDue[] = [];
  const same = (a: IncidentDue, b: IncidentDue) => a.incidentId === b.incidentId && a.dueAt === b.dueAt;
  return {
    entries,
    async schedule(entry) {
      if (!entries.some((known) => same(known, entry))) entries.push({ ...entry });
    },
    async due(now, { limit }) {
      return entries.filter((entry) => entry.dueAt <= now.toISOString()).sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, limit);
    },
    async done(entry) {
      const at = entries.findIndex((known) => same(known, entry));
      if (at >= 0) entries.splice(at, 1);
    },
  };
}

/**
 * In-memory EpisodeRunbookClaims (shared/stores/runbook-checks.ts): one claim per scope (an alarm's, a run's follow, a
 * check page's), taken over from a holder that no longer stands; scoped as the DynamoDB store scopes its items.
 */
export function createMemoryEpisodeRunbookClaims(): EpisodeRunbookClaims & { holders: Map<string, string> } {
  const holders = new Map<string, string>();
  const approvedHolders = new Set<string>();
  const take = (scope: string, incidentId: string, approved?: boolean) => {
    holders.set(scope, incidentId);
    if (approved) approvedHolders.add(incidentId);
  };
  const claims = episodeRunbookClaimsOver(async (scope, { incidentId, approved }, holderStands) => {
    const holder = holders.get(scope);
    if (holder === undefined || holder === incidentId) take(scope, incidentId, approved);
    else if (!(await holderStands(holder, { approved: approvedHolders.has(holder) })) && holders.get(scope) === holder) take(scope, incidentId, approved);
    return { heldBy: holders.get(scope)! };
  });
  return { ...claims, holders };
}

export function remediationDeps(overrides: Partial<RemediationDeps> = {}): RemediationDeps {
  return {
    policyFile: {},
    runbooks: [],
    // The account and region of the alarm fixtures (events/cloudwatch).
    deployment: { account: '123456789012', region: 'us-east-1' },
    guards: createMemoryGuardStore(),
    approvals: createMemoryApprovalIndex(),
    runner: createScriptedRunbookRunner(),
    runbookChecks: createMemoryIncidentDueList(),
    episodeRunbooks: createMemoryEpisodeRunbookClaims(),
    ...overrides,
  };
}

/**
 * A clock that moves only when slept on, with work due at its times (`after`): a wait by the clock (`holderAsking`)
 * tested without waiting in real time (session 45). Each sleep lets other work run before it returns.
 */
export function steppedTime(start = Date.parse('2026-11-20T10:00:00Z')) {
  let now = start;
  const due: Array<{ at: number; run: () => void }> = [];
  return {
    clock: () => new Date(now),
    async sleep(ms: number) {
      now += ms;
      for (const work of due.filter((item) => item.at <= now)) {
        due.splice(due.indexOf(work), 1);
        work.run();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
    after(ms: number, run: () => void) {
      due.push({ at: now + ms, run });
    },
  };
}

/** Step dependencies for unit tests; `github` is one port for every installation (or none). */
export function stepDeps(
  overrides: Omit<Partial<StepDeps>, 'github'> & { github?: GitHubPort | null; env?: Record<string, string> } = {},
) {
  const published: EscalationMessage[] = [];
  const clock = () => new Date('2026-11-20T10:00:00Z');
  const config: Config = loadConfig(overrides.env ?? {});
  const { github = null, env: _env, ...rest } = overrides;
  const incidents = rest.incidents ?? createMemoryStore(clock);
  const deps: StepDeps = {
    config,
    incidents,
    // Beside whichever incident store the test gives: the next attempt's incident is read from it.
    greenRuns: createMemoryGreenRunNotes(incidents),
    reruns: createMemoryRerunLedger(),
    analyzer: scriptedAnalyzer({}),
    fallbackAnalyzer: { ...scriptedAnalyzer({ rootCause: 'offline root cause', confidence: 0.5 }), provider: 'offline-fake' },
    outsiderModelBudget: createMemoryOutsiderBudgets(config),
    modelRequests: createMemoryModelRequestLedger(),
    escalations: {
      async publish(message) {
        published.push(message);
        return { messageId: `m-${published.length}` };
      },
    },
    escalationLedger: createMemoryEscalationLedger(),
    approvalResumes: createMemoryApprovalResumes(),
    // On the steps' clock, so a test that moves it also ages the kept answers.
    permissions: createPermissionCache(() => (overrides.clock ?? clock)().getTime()),
    clock,
    // Moves the steps' clock on (whichever the test set) and lets other work run: a step's wait by the clock takes no
    // real time (session 45).
    async sleep(ms) {
      const woken = deps.clock().getTime() + ms;
      deps.clock = () => new Date(woken);
      await new Promise((resolve) => setImmediate(resolve));
    },
    logger: silentLogger,
    remediation: remediationDeps(),
    metrics: noMetrics,
    ...rest,
    github: staticGitHubClients(github),
  };
  return { deps, published };
}

/**
 * In-memory EscalationLedger with the DynamoDB one's semantics (one opener per window, each incident counted once,
 * the opener's page sent at most twice unless a send is given back).
 */
export function createMemoryEscalationLedger(): EscalationLedger & { items: Map<string, { windowStart: string; owner: string; windowCount: number; sends: number; total: number; firstSeen: string; lastSentAt: string; publishedAt?: string; publishingAt?: string; seen: Set<string> }> } {
  const items = new Map<string, { windowStart: string; owner: string; windowCount: number; sends: number; total: number; firstSeen: string; lastSentAt: string; publishedAt?: string; publishingAt?: string; seen: Set<string> }>();
  const openWindow = (occurrence: EscalationOccurrence): EscalationTally => {
    const at = occurrence.at.toISOString();
    const item = items.get(occurrence.key);
    const opened = {
      windowStart: at, owner: occurrence.incidentId, windowCount: 1, sends: 1, total: (item?.total ?? 0) + 1, firstSeen: item?.firstSeen ?? at, lastSentAt: at, seen: new Set([occurrence.incidentId]),
    };
    items.set(occurrence.key, opened);
    return { send: true, windowCount: 1, total: opened.total, firstSeen: opened.firstSeen, windowStart: at, previousSentAt: item?.lastSentAt ?? null, owner: occurrence.incidentId };
  };
  return {
    items,
    async record(occurrence) {
      const cutoff = new Date(occurrence.at.getTime() - occurrence.windowMinutes * 60_000).toISOString();
      const item = items.get(occurrence.key);
      const tally = (send: boolean, previousSentAt: string | null) => ({
        send, windowCount: item?.windowCount ?? 0, total: item?.total ?? 0, firstSeen: item?.firstSeen ?? null, windowStart: item?.windowStart ?? null, previousSentAt,
        ...(item ? { owner: item.owner } : {}),
      });
      const open = item !== undefined && item.windowStart >= cutoff;
      if (open && item.owner === occurrence.incidentId) {
        if (item.sends >= 2) return { ...tally(false, item.lastSentAt), alreadySent: true };
        item.sends += 1;
        return tally(true, item.lastSentAt);
      }
      if (open && item.seen.has(occurrence.incidentId)) return tally(false, item.lastSentAt);
      if (open && occurrence.startedBy && item.windowStart > occurrence.startedBy.toISOString()) return tally(false, item.lastSentAt);
      if (open) {
        item.windowCount += 1;
        item.total += 1;
        item.seen.add(occurrence.incidentId);
        return tally(false, item.lastSentAt);
      }
      if (!occurrence.mayOpen) return tally(false, item?.lastSentAt ?? null);
      return openWindow(occurrence);
    },
    async takeOver(occurrence, from) {
      const item = items.get(occurrence.key);
      return item?.owner === from.owner && item.windowStart === from.windowStart ? openWindow(occurrence) : null;
    },
    async unsent(occurrence) {
      const item = items.get(occurrence.key);
      if (item?.owner === occurrence.incidentId && item.sends > 0) item.sends -= 1;
    },
    async lastSent(key) {
      const item = items.get(key);
      if (item?.publishedAt) return { at: item.publishedAt, certain: true };
      return item?.publishingAt ? { at: item.publishingAt, certain: false } : null;
    },
    async opener(key) {
      const item = items.get(key);
      return item ? { owner: item.owner, windowStart: item.windowStart } : null;
    },
    // Keeps no digests: none is claimed.
    async digestClaimedNaming() {
      return null;
    },
    async publishing(occurrence, underWay) {
      const item = items.get(occurrence.key);
      if (item?.owner !== occurrence.incidentId) return;
      // As the DynamoDB ledger: the window's first mark is kept, and only the mark this attempt wrote is taken back.
      const at = occurrence.at.toISOString();
      if (underWay) item.publishingAt ??= at;
      else if (item.publishingAt === at) delete item.publishingAt;
    },
    async published(occurrence) {
      const item = items.get(occurrence.key);
      if (item?.owner === occurrence.incidentId) item.publishedAt = occurrence.at.toISOString();
    },
  };
}

/**
 * Ingest's recovery queue in unit tests: keeps what was queued; `drain` delivers it to the outcome recorder the
 * way Lambda's asynchronous invocation does, and returns the incidents each message resolved, in order.
 */
export function createRecordingRecoveryQueue(): RecoveryQueue & {
  messages: WorkflowRecoveryMessage[];
  drain(deps: Parameters<typeof recordQueuedRecovery>[1]): Promise<string[]>;
} {
  const messages: WorkflowRecoveryMessage[] = [];
  return {
    messages,
    async enqueue(message) {
      messages.push(structuredClone(message));
    },
    async drain(deps) {
      const resolved: string[] = [];
      for (const message of messages.splice(0)) resolved.push(...(await recordQueuedRecovery(JSON.parse(JSON.stringify(message)), deps)).resolved);
      return resolved;
    },
  };
}

/**
 * A failed run's `workflow_run` delivery, made from the recorded one (events/github/workflow_run-failure.json): run
 * `runId` of its repository, or of `repository` (another of the same owner's: named on the delivery, and its id on the
 * head repository and on the pull requests' repositories), with `run`'s fields then set on `workflow_run` and
 * `deliveryId` as its x-github-delivery. `deliverWebhook` signs it with the runtime's secret.
 */
export function failedRunDelivery(
  runId: number,
  options: { repository?: { id: number; name: string }; run?: Record<string, unknown>; deliveryId?: string } = {},
): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const body = webhook.body as Record<string, any>;
  body.workflow_run.id = runId;
  if (options.repository) {
    const { id, name } = options.repository;
    Object.assign(body.repository, { id, name, full_name: `${body.repository.owner.login}/${name}` });
    body.workflow_run.head_repository.id = id;
    for (const pr of body.workflow_run.pull_requests) pr.base.repo.id = pr.head.repo.id = id;
  }
  Object.assign(body.workflow_run, options.run);
  if (options.deliveryId !== undefined) webhook.headers['x-github-delivery'] = options.deliveryId;
  return webhook;
}

/**
 * The incident of failed run `runId` ({@link failedRunDelivery}, delivered as `deliveryId`) as first stored, with
 * `fields`: handled at 10:00 on 2026-11-20, after the recorded run ended.
 */
export function failedRunIncident(runId: number, deliveryId: string, fields: Partial<Incident> = {}): Incident {
  const trigger = triggerFromWorkflowRun(failedRunDelivery(runId).body as never, deliveryId);
  const handledAt = new Date('2026-11-20T10:00:00Z');
  return newIncident({ ...githubIncidentFields(trigger, handledAt), ...fields }, handledAt);
}

/**
 * A comment on a pull request as GitHub delivers it (`issue_comment`, created): `text` by the user `login`, as
 * comment `commentId`, on pull request `pullRequest` of `repository` (the recorded failure's repository, renamed).
 */
export function pullRequestCommentDelivery(comment: {
  login: string;
  text: string;
  commentId: number;
  pullRequest: number;
  repository: { id: number; name: string };
  deliveryId: string;
}): RecordedWebhook {
  const recorded = loadWebhook('workflow_run-failure').body.repository as Record<string, any>;
  const fullName = `${recorded.owner.login}/${comment.repository.name}`;
  return {
    headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': comment.deliveryId },
    body: {
      action: 'created',
      issue: { number: comment.pullRequest, pull_request: { url: `https://api.github.com/repos/${fullName}/pulls/${comment.pullRequest}` } },
      comment: { id: comment.commentId, body: comment.text, user: { login: comment.login, type: 'User' } },
      repository: { ...recorded, id: comment.repository.id, name: comment.repository.name, full_name: fullName },
    },
  };
}

/** Notify's share of the write budget for runs an outsider can repeat, spent: each installation it is asked for is kept. */
export function spentOutsiderShare(): { outsiderWrites: NonNullable<NotifyDeps['outsiderWrites']>; asked: Array<number | null> } {
  const asked: Array<number | null> = [];
  return {
    asked,
    outsiderWrites: (installationId) => {
      asked.push(installationId);
      return {
        async acquire() {
          throw new WriteBudgetExhaustedError('GitHub write budget spent for token#forks: 5 writes per minute already used; room again in 30 s', { retryAfterSeconds: 30 });
        },
      };
    },
  };
}
