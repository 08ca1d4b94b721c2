/**
 * Ports: every outside system Pipeline Guard talks to, as a small interface. Each has an AWS adapter and a
 * local one; `shared/runtime/deps.ts` (AWS) and `infra/local/` (embedded runtime) choose between them.
 */
import type { CommitPullRequest } from './domain/commit-pull-request.js';
import type { AlarmDetails, KnowledgeSummary, RemediationAction } from './domain/incident.js';
import type { WorkflowRecoveryMessage } from './domain/recovery.js';
import type { Category, JobStep, LogLine } from './logs/types.js';

/** Minimal structured logger; Powertools' Logger satisfies it, tests pass a silent one. */
export interface StepLogger {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * Whether a branch contains a commit, as {@link GitHubPort.commitOnBranch} reports it. On the branch, `sha` is the
 * commit's full SHA in lower case: GitHub resolves the one asked about, which may be a prefix, in any case.
 */
export type BranchMembership = { status: 'on_branch'; sha: string } | { status: 'off_branch' } | { status: 'unknown_commit' };

/** A user's role on a repository, highest first; `none`: not a collaborator. */
export type RepositoryRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** A 👍 or 👎, the reactions counted as feedback. */
export type VoteReaction = '+1' | '-1';
/** The reaction the guard leaves on a `/guard` command it carried out. */
export type CommandReaction = '+1';

export interface FailedJob {
  id: number;
  name: string;
  /** Link to the job on GitHub. */
  htmlUrl: string | null;
  conclusion: string | null;
  /** The job's check-run id (equal to the job id on GitHub Actions); used for annotations. */
  checkRunId: number;
  /** The job's steps (number, name, conclusion, times) from the jobs API; empty when it lists none. */
  steps: JobStep[];
}

export interface CheckAnnotation {
  path: string;
  startLine: number | null;
  level: string;
  message: string;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged';

/**
 * A job's log: its bytes, and `bytes`, the size the server announced (Content-Length), when it did. The size is a
 * hint for the analyzer (see `AnalyzeLogOptions.expectedBytes`), never a bound: the stream is capped on its own.
 */
export type JobLogStream = AsyncIterable<Uint8Array> & { readonly bytes?: number };

/**
 * GitHub for remediate: re-runs, the kill-switch label, fix pull requests and the bot's login, nothing else. It never
 * comments: its clients are built without the comment slots that keep an incident to one comment per pull request,
 * so commenting is left out of the type instead of left unguarded; and its bundle carries only these requests.
 */
export type RemediationGitHubPort = Pick<GitHubPort, 'rerunFailedJobs' | 'botLogin' | 'listIssueLabels' | 'readFile' | 'listAllFiles' | 'createFixPullRequest'>;

/**
 * GitHub for classify: reading a failed run (its jobs, logs and annotations, the workflow's newest runs, the pull
 * requests of its commit), nothing else. It never writes: its clients carry neither the comment slots nor the
 * comment, label, re-run, fix pull request and collaborator requests, and its bundle leaves them out.
 */
export type RunReadingGitHubPort = Pick<
  GitHubPort,
  'listFailedJobs' | 'listSucceededJobs' | 'latestSuccessfulRun' | 'latestCompletedRun' | 'openJobLog' | 'listAnnotations' | 'findPullRequestsForCommit' | 'commitOnBranch'
>;

export interface GitHubPort {
  /** Jobs of one run attempt that did not succeed (failure, timed_out, cancelled, startup_failure). */
  listFailedJobs(repo: RepoRef, runId: number, attempt: number): Promise<FailedJob[]>;
  /** Jobs of one run attempt that succeeded: a green run's logs are the baseline of its failing twins. */
  listSucceededJobs(repo: RepoRef, runId: number, attempt: number): Promise<FailedJob[]>;
  /** The newest successful run of a workflow on a branch (`GET …/workflows/{id}/runs?status=success`), or null. */
  latestSuccessfulRun(repo: RepoRef, workflowId: number, branch: string): Promise<{ id: number; attempt: number } | null>;
  /** The newest finished run of a workflow on a branch, whatever its conclusion (is the base branch failing too?). */
  latestCompletedRun(repo: RepoRef, workflowId: number, branch: string): Promise<{ id: number; attempt: number; conclusion: string | null; url: string | null } | null>;
  /**
   * Opens a job's log as a byte stream (the API answers with a redirect to storage; it is followed), with its
   * size when the server gave one. Resolves to null when the log is gone or not available (404, 410).
   */
  openJobLog(repo: RepoRef, jobId: number): Promise<JobLogStream | null>;
  /** Check-run annotations, the fallback evidence when a log is unavailable. */
  listAnnotations(repo: RepoRef, checkRunId: number): Promise<CheckAnnotation[]>;
  /**
   * Open pull requests whose head is this commit in `headRepositoryId`, the repository the run's commit came from
   * (works for forks, where the payload's list is empty). Anyone can open a pull request from a fork whose head is
   * a commit of this repository: only one from the run's own head repository is the run's. `null` (unknown): any.
   */
  findPullRequestsForCommit(repo: RepoRef, sha: string, headRepositoryId: number | null): Promise<CommitPullRequest[]>;
  /**
   * Creates the bot's comment on an issue/PR, or updates it in place. The comment is found by `marker`
   * *and* authored by the bot itself; an identical body is left alone.
   */
  upsertComment(
    repo: RepoRef,
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<{ outcome: CommentOutcome; commentId: number; url: string | null }>;
  /**
   * Creates the bot's comment on a commit (POST /repos/{owner}/{repo}/commits/{commit_sha}/comments), once: a comment
   * of the bot's with `marker` on that commit is left as it is (`unchanged`), as after a retry or a redelivery.
   * Creating one needs the App's Contents read; editing one would need Contents write, which the guard never asks.
   */
  commentOnCommit(repo: RepoRef, sha: string, marker: string, body: string): Promise<{ outcome: 'created' | 'unchanged'; commentId: number; url: string | null }>;
  /**
   * Re-runs the failed jobs of a run (POST .../rerun-failed-jobs). With `expectedAttempt` (the attempt that failed),
   * a run that has already moved past it — re-run by an earlier try of the same step, or by a person — is left
   * alone (`already_rerun`), so retries and redeliveries cannot queue a second re-run. A POST of this call that failed
   * but was applied (the run moved on after it) is `requested`: that re-run is the one asked for. `enableDebugLogging` sends GitHub's
   * `enable_debug_logging: true` (runner diagnostic and step debug logs for the re-run).
   */
  rerunFailedJobs(repo: RepoRef, runId: number, options?: RerunOptions): Promise<RerunOutcome>;
  /** The login this client acts as (`<app-slug>[bot]` for a GitHub App); PR comments and re-runs carry it. */
  botLogin(): Promise<string>;
  /** The `content` reactions on an issue comment, in GitHub's order, at most `limit` of them (read 100 a page). */
  listCommentReactions(
    repo: RepoRef,
    commentId: number,
    content: VoteReaction,
    limit: number,
    beforePage?: BeforePage,
  ): Promise<CommentReaction[]>;
  /**
   * Leaves `content` on an issue comment (POST …/issues/comments/{comment_id}/reactions). GitHub keeps one reaction
   * of a kind per user and answers a repeat with the existing one, so a retry or a redelivery adds nothing.
   */
  addCommentReaction(repo: RepoRef, commentId: number, content: CommandReaction): Promise<void>;
  /** Names of the labels on an issue or pull request (the kill-switch label is one of them). */
  listIssueLabels(repo: RepoRef, issueNumber: number): Promise<string[]>;
  /** A text file's content at a commit; null when it does not exist. */
  readFile(repo: RepoRef, path: string, ref: string): Promise<string | null>;
  /**
   * Every file's path at a commit (GET …/git/trees/{sha}?recursive=1): not folders or submodules. `complete` is false
   * when GitHub cut the listing short (over 100,000 entries or 7 MB).
   */
  listAllFiles(repo: RepoRef, ref: string): Promise<{ paths: string[]; complete: boolean }>;
  /**
   * Where a commit stands against a branch (GET /repos/{owner}/{repo}/compare/{branch}...{sha}): `on_branch` when it
   * is the branch's head or one of its ancestors (GitHub: `identical`, `behind`), `off_branch` when the branch does
   * not contain it (`ahead`, `diverged`), `unknown_commit` when GitHub knows no such commit or branch (404).
   */
  commitOnBranch(repo: RepoRef, branch: string, sha: string): Promise<BranchMembership>;
  /**
   * Commits `files` on top of `baseSha` to `branch` through the Git Data API and opens a pull request into
   * `baseBranch` with `labels`. Idempotent: an existing PR from `branch` is returned instead of a second one.
   * Never merges.
   */
  createFixPullRequest(repo: RepoRef, request: FixPullRequest): Promise<{ number: number; url: string | null; outcome: 'created' | 'existing' }>;
  /**
   * A user's role on the repository (GET /repos/{owner}/{repo}/collaborators/{username}/permission): `none` for
   * someone who is not a collaborator. Feedback commands and reactions count only from `write` and above.
   */
  repositoryPermission(repo: RepoRef, username: string): Promise<RepositoryRole>;
  /**
   * The repository's collaborators with their roles (GET /repos/{owner}/{repo}/collaborators, every affiliation),
   * at most `limit` of them (read 100 a page); `complete` is false when GitHub may have more.
   */
  listCollaborators(repo: RepoRef, limit: number, beforePage?: BeforePage): Promise<{ collaborators: Array<{ login: string; role: RepositoryRole }>; complete: boolean }>;
  /**
   * Page `page` (1-based, 100 a page) of {@link GitHubPort.listCommentReactions}'s list, and whether GitHub has more
   * after it: for a reader that reads a long list over several runs, resuming at the page where it stopped.
   */
  commentReactionsPage(repo: RepoRef, commentId: number, content: VoteReaction, page: number): Promise<ListPage<CommentReaction>>;
  /** Page `page` (1-based, 100 a page) of {@link GitHubPort.listCollaborators}'s list, and whether GitHub has more. */
  collaboratorsPage(repo: RepoRef, page: number): Promise<ListPage<{ login: string; role: RepositoryRole }>>;
}

/** A reaction on a comment, as GitHub lists it (user and content as GitHub spells them). */
export interface CommentReaction {
  user: string;
  content: string;
  userType: string | null;
  createdAt: string | null;
}

/** One page of a listing, and whether GitHub has another after it. */
export interface ListPage<T> {
  items: T[];
  more: boolean;
}

/**
 * Called before each page of a listing is requested; what it throws ends the listing there. A caller that budgets its
 * GitHub calls pays with it for the pages a list really reads, which only the listing knows (one page, or up to its bound).
 */
export type BeforePage = () => void;

export interface RerunOptions {
  expectedAttempt?: number;
  enableDebugLogging?: boolean;
}

/** `requested`: GitHub accepted our re-run. `already_rerun`: the run was already past the expected attempt or running. */
export type RerunOutcome = 'requested' | 'already_rerun';

/**
 * GitHub access per App installation. With a token every installation shares one client; as a GitHub App each
 * installation (the webhook's `installation.id`) gets its own installation token. Null when no GitHub access is
 * configured, or when an App is configured and the event names no installation: steps then degrade, never fail.
 */
export interface FixPullRequest {
  baseBranch: string;
  baseSha: string;
  branch: string;
  title: string;
  body: string;
  labels: string[];
  commitMessage: string;
  /** New content per path; null deletes the file. */
  files: Array<{ path: string; content: string | null }>;
}

export interface GitHubClients<Port = GitHubPort> {
  /**
   * With `signal` (the step's deadline, see shared/runtime/lambda.ts), every request of the returned client stops
   * when it fires, so an attempt that timed out does not keep writing beside its retry.
   */
  forInstallation(installationId: number | null, signal?: AbortSignal): Port | null;
  /**
   * The App installation covering a repository, for deliveries that name none (a repository webhook rather than
   * the App's). Null with a token (no installations) or when the App is not installed there.
   */
  installationFor?(repo: RepoRef): Promise<number | null>;
}

/** Kinds of content-creating GitHub requests the shared write budget counts. */
export type GitHubWriteKind = 'comment' | 'rerun';

/**
 * A write budget shared by every concurrent execution (state in DynamoDB, not in process memory), keeping
 * content-creating requests under GitHub's secondary rate limits. `acquire` takes one unit or throws
 * `WriteBudgetExhaustedError` (retryable: the state machine backs off).
 */
export interface WriteLimiter {
  acquire(kind: GitHubWriteKind): Promise<void>;
  /**
   * GitHub asked this identity to wait (`retry-after`, a rate-limit reset): no write, from any attempt or process,
   * before `until`; `acquire` throws `WriteBudgetExhaustedError` until then. Only ever moves the time later.
   */
  holdUntil?(until: Date): Promise<void>;
}

/** Identifies the commit a workflow's automatic re-runs are counted for. */
export interface RerunKey {
  repositoryId: number;
  /** Workflow id for Actions runs. */
  workflowId: number;
  headSha: string;
  /**
   * A run any outsider can cause again and again (`outsiderCanRepeat`): its re-runs are counted apart from the
   * repository's own runs of the same workflow and commit (a workflow on `issues` runs at `main`'s head commit).
   */
  outsiders?: true;
}

/** A claim on a commit's automatic re-runs: the incident, and the run attempt its re-run will create. */
export interface RerunClaimRequest {
  incidentId: string;
  runId: number;
  nextAttempt: number;
  max: number;
}

export interface RerunClaim {
  granted: boolean;
  /** Automatic re-runs claimed for the key, including this one when granted. */
  count: number;
  /**
   * Whether this incident held the claim before this call: an earlier try of the step took it, and may have started
   * the re-run. Found by the claim's own write, so the step need not read the ledger again to know.
   */
  claimedBefore: boolean;
}

/**
 * Persisted cap on automatic re-runs per (workflow, head SHA). `claim` is one conditional write: concurrent
 * executions cannot both take the last slot, and a claim by the same incident (a Step Functions retry) is
 * granted again without counting twice.
 */
export interface RerunLedger {
  claim(key: RerunKey, claim: RerunClaimRequest): Promise<RerunClaim>;
  /** Gives back a claim whose re-run was never requested: the slot, and the attempt it would have created. */
  release(key: RerunKey, claim: Omit<RerunClaimRequest, 'max'>): Promise<void>;
  /**
   * Re-runs claimed so far, whether run `runId` attempt `attempt` is one we started, and whether `incidentId`
   * already holds a claim (a retried step must not count its own claim against itself).
   */
  lookup(
    key: RerunKey,
    run: { runId: number; attempt: number; incidentId: string },
  ): Promise<{ count: number; ownAttempt: boolean; claimedByIncident: boolean }>;
}

/** What a claim on a {@link ModelBudget} found. */
export interface ModelBudgetClaim {
  granted: boolean;
  /** Analyses counted in the claim's window, this one included when granted. */
  used: number;
  /**
   * Whether this incident made the window's first claim: still true when its analysis is retried after others
   * claimed (`used` has grown by then), false when refused.
   */
  first: boolean;
  /** The most a window counts. */
  max: number;
  /** Start of the claim's window. */
  windowStart: Date;
}

/**
 * Model analyses per fixed window, shared by every concurrent execution (state in DynamoDB, not in process memory).
 * A claim is one conditional write: concurrent executions cannot both take the last one, and an incident that
 * already holds one (a retried analyze step, a re-driven execution) is granted again without counting twice. The
 * window is the one `receivedAt` falls in (the incident's creation, which a retry or re-drive does not move).
 */
export interface ModelBudget {
  /** With `limit` (below the budget's own), granted only while fewer than `limit` are counted in the window. */
  claim(incidentId: string, receivedAt: Date, limit?: number): Promise<ModelBudgetClaim>;
}

/**
 * Model requests per incident, shared by every attempt of its analysis: a retried step, a re-driven execution. A
 * retry started the conversation over, so a throttled model was paid for the same incident again and again; counted
 * here, one incident costs at most `max` requests, and the outsiders' budget (analyses per hour) holds in requests.
 */
export interface ModelRequestLedger {
  /** Takes one of the incident's `max` requests (one conditional `ADD`): false, with `used`, once they are spent. */
  take(incidentId: string, max: number): Promise<{ granted: boolean; used: number }>;
}

/**
 * The model budget of failures an outsider controls: the deployment's pool, and each repository's share of it (an
 * analysis needs both; the share is claimed first, so a repository past its share takes nothing from the pool).
 */
export interface OutsiderModelBudgets {
  pool: ModelBudget;
  /**
   * How far a repository's second and later failures in the hour may fill the pool: the analyses past it are kept
   * for other repositories' first failure, so outsiders flooding two repositories cannot take the whole pool.
   */
  repeatLimit: number;
  /**
   * The share of the repository `scope` names (its id, or its name when the event gave no id); null when a share
   * cannot bind, being no smaller than the pool.
   */
  share(scope: string): ModelBudget | null;
}

export interface EscalationMessage {
  subject: string;
  /** Plain text, reads well as an email: summary first, then links and what was tried. */
  message: string;
  /**
   * Message attributes subscribers can filter on: severity, source, category; repository and branch for CI
   * failures; alarm, account and region for alarms. Values as the facts give them: each publisher sends them as SNS
   * takes them (`filterAttributes`, shared/notify/message-attributes.ts). A list is sent as a String.Array, which a
   * filter policy matches when any of its values matches (a grouped approval e-mail's `alarm`).
   */
  attributes: Record<string, string | string[]>;
  /** The same escalation for chat (Amazon Q Developer in chat applications custom notification; webhooks). */
  chat?: ChatNotification;
}

/** An Amazon Q Developer in chat applications (AWS Chatbot) custom notification, version 1.0. */
export interface ChatNotification {
  version: '1.0';
  source: 'custom';
  id?: string;
  content: { textType: 'client-markdown'; title: string; description: string; nextSteps?: string[]; keywords?: string[] };
  metadata?: { threadId?: string; summary?: string };
}

/** One occurrence of a problem that needs a human, as the escalation policy sees it (shared/notify/escalation-policy.ts). */
export interface EscalationOccurrence {
  /** The problem: `gh:<repo>:<fingerprint>` for CI failures, `alarm:<arn>` for alarms. */
  key: string;
  incidentId: string;
  at: Date;
  /** One escalation per problem within this many minutes; later occurrences are counted on it. */
  windowMinutes: number;
  /** False for occurrences that may only add to an open escalation (a person's re-run): they never page by themselves. */
  mayOpen: boolean;
  /** What the problem is, in a few words (kept on the item for operators reading the table). */
  label: string;
  /**
   * Repeats counted on the open escalation are reported in one digest when the window ends (the reconciler sends
   * it; shared/reconcile/digests.ts). False: they reach on-call only with the next page after the window.
   */
  digest?: boolean;
  /**
   * What this occurrence is, named in its window's digest (an alarm group's: the alarm). Kept for the occurrences the
   * window remembers (see MAX_SEEN_PER_WINDOW), at most 255 bytes each (a longer one cut, and ended with its hash).
   */
  member?: string;
  /**
   * Counted only while the window's digest is not claimed yet (an alarm group's): an occurrence recorded as "named in
   * its digest" must be in the digest that goes out, and one that comes after the claim is refused (`digestClaimed`);
   * so is one the window has no room to remember, and so to name (`digestFull`, see MAX_SEEN_PER_WINDOW).
   */
  beforeDigest?: boolean;
  /**
   * Counted only on a window that started at or before this time: an alarm group's lead item, whose window a newer
   * group may hold by the time an alarm of an older one is handled (late); counted there, it inflated the newer group's
   * count. Not counted, the answer still gives the window's start, by which the caller finds the alarm's own group.
   */
  startedBy?: Date;
}

/** The escalation ledger's answer: whether this occurrence pages, and the counts the message shows. */
export interface EscalationTally {
  send: boolean;
  /** Occurrences in the current window (1 for the one that opened it). */
  windowCount: number;
  /** Occurrences since the problem was first seen (within the item's 30-day TTL). */
  total: number;
  firstSeen: string | null;
  windowStart: string | null;
  /** When the previous escalation of this problem went out (null for the first one). */
  previousSentAt: string | null;
  /**
   * This incident opened the window and its page went out already, with the one re-send a crash may cause: a retry
   * sends nothing more.
   */
  alreadySent?: boolean;
  /** The incident that opened the current window (absent when none is open, or on answers that do not read it). */
  owner?: string;
  /** A `beforeDigest` occurrence the window's digest was claimed (or sent) before: it was not counted. */
  digestClaimed?: boolean;
  /** A `beforeDigest` occurrence the window remembers no more of (its digest names as many as it can): it was not counted. */
  digestFull?: boolean;
}

/**
 * One open escalation per problem and window, shared by every execution (conditional writes in DynamoDB; the
 * same adapter runs against the embedded server locally).
 */
export interface EscalationLedger {
  /** Counts the occurrence; `send` claims the page (the opener's, or a retry's one re-send after a crash). */
  record(occurrence: EscalationOccurrence): Promise<EscalationTally>;
  /** The page `record` allowed could not be published: the claim is given back, so a retry may send it. */
  unsent(occurrence: EscalationOccurrence): Promise<void>;
  /**
   * Opens a new window for `occurrence` in place of the one `from` (its opener and start, as `record` answered) still
   * holds, as `record` opens one (`send`); null when the window is no longer that one (another occurrence took it over
   * or it ended meanwhile). For a claim whose holder no longer needs it: the caller decides that (one conditional
   * write, so of two callers replacing the same holder at once only one opens the window).
   */
  takeOver(occurrence: EscalationOccurrence, from: { owner: string; windowStart: string }): Promise<EscalationTally | null>;
  /**
   * The page `record` let `occurrence` send is about to be published (`underWay` true: marked on its item before the
   * publish, so a function that dies between the publish and `published` leaves a trace of it, session 43), or its
   * publish answered an error (false: the mark is taken back, as nothing is known to have gone out). A window's first
   * mark is kept: a re-send of the page neither moves nor takes back the mark of an earlier send, which may have gone
   * out (attack-45a A1, session 43).
   */
  publishing(occurrence: EscalationOccurrence, underWay: boolean): Promise<void>;
  /**
   * The page `record` let `occurrence` send was published: marked on its item, for `lastSent`. Its caller writes it
   * after the publish answered; a claim alone may have sent nothing (attack-44c S6).
   */
  published(occurrence: EscalationOccurrence): Promise<void>;
  /**
   * When the page of `key`'s latest window was published (`certain`, as `published` marked it), or when its publish
   * began and may or may not have gone out (not `certain`: `publishing` marked it, `published` never did: the function
   * died in between, or before the publish answered); null when no publish of it is known to have begun (only claimed,
   * or its publish failed and its mark was taken back), or its item expired.
   */
  lastSent(key: string): Promise<PublishMark | null>;
  /**
   * The incident that opened `key`'s latest window (ended or not) and when: written by the write that opened it, so it
   * says who took the claim from the moment it was taken; null when no window was opened or the item expired.
   */
  opener(key: string): Promise<{ owner: string; windowStart: string } | null>;
  /**
   * When the digest of `key`'s latest window was claimed to be sent (or, once sent, that claim), if the window names
   * `member`; null when it does not, or its digest was not claimed. A digest's e-mail goes out after its claim, so a
   * member of a claimed digest may have been e-mailed (session 44).
   */
  digestClaimedNaming(key: string, member: string): Promise<string | null>;
}

/** When a page's publish was marked (see `EscalationLedger.lastSent`): `certain` once it answered, else only begun. */
export interface PublishMark {
  at: string;
  certain: boolean;
}

/** A window whose end a digest waits for: the entry of the time-bucketed index the reconciler reads. */
export interface DigestDue {
  problemKey: string;
  /** When the window opened (the page went out); identifies the window. */
  windowStart: string;
  /** When the window ends: the digest is due from then. */
  dueAt: string;
  /** Sends of it that failed so far (absent: none). */
  failures?: number;
  /** When its due entry is due, later than `dueAt` once a send failed (absent: at `dueAt`). */
  retryAt?: string;
}

/** What a digest tells on-call: the repeats of one problem in one window that no page reported. */
export interface EscalationDigest extends DigestDue {
  label: string;
  /** Occurrences after the one that paged, in this window. */
  repeats: number;
  /** Occurrences since the problem was first seen (within the ledger item's TTL). */
  total: number;
  firstSeen: string;
  lastSeen: string;
  /** The latest incident counted in the window (for links); null for windows counted before it was recorded. */
  lastIncidentId: string | null;
  /** What the window's occurrences were (their `member`), sorted; empty when they named none. */
  members?: string[];
  /**
   * The messages of this window's digest an earlier claim published (their keys, see `messagePublished`): a digest
   * split over several messages whose send failed part-way is retried with the others only.
   */
  publishedMessages?: string[];
  /** This run's claim: only the holder marks the digest sent or releases it. */
  claim: string;
}

/**
 * Digests of windows that have ended with repeats no page reported. Each one is claimed with a conditional write
 * before it is sent, so two reconciler runs never send the same digest; a claim not marked sent within the lease
 * (the run died after claiming) may be claimed again.
 */
export interface EscalationDigests {
  /** Windows that ended by `now` with a digest waiting, oldest first, at most `limit`. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<DigestDue[]>;
  /** Claims one for sending; null when there is nothing to send (sent already, claimed by another run, or covered by a newer page). */
  claim(due: DigestDue, now: Date): Promise<EscalationDigest | null>;
  /** The digest went out: it is never sent again. */
  sent(digest: EscalationDigest): Promise<void>;
  /** Sending failed: the claim is given back, for a later run. */
  release(digest: EscalationDigest): Promise<void>;
  /**
   * One message (`key`) of a digest split over several went out (of an approval group's digest: one request it asked):
   * recorded by the claim's holder after the publish, so a later claim of the window skips it (a crash between the
   * publish and this write sends it once more).
   */
  messagePublished(digest: EscalationDigest, key: string): Promise<void>;
  /** A digest whose send failed is due again at `at`, its failures counted; false when its entry is gone meanwhile. */
  retry(due: DigestDue, at: Date): Promise<boolean>;
  /** A digest given up: its entry goes, and no run tries it again. */
  abandon(due: DigestDue): Promise<void>;
}

/** An alarm's tags, for alarm scope when its state-change event does not carry them (tag propagation off). */
export interface AlarmTagReader {
  tagsOf(alarmArn: string): Promise<Record<string, string>>;
}

export interface EscalationPublisher {
  publish(message: EscalationMessage): Promise<{ messageId: string }>;
}

/**
 * Resumes an execution waiting on a task token (the approval step). A token whose wait is over (resumed already, or
 * timed out) is refused with `TaskTokenSpentError`; under the local runtime, the token of an execution it restarted and
 * that is not back at its wait yet, with `TaskNotWaitingYetError` (not spent: sent again later, it decides).
 */
export interface TaskTokenControl {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  /** `error` is the name the state machine's Catch sees (e.g. `ApprovalRejected`). */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface WorkflowStarter {
  /**
   * Starts one workflow execution. `name` is deterministic for a failure, so a second start with the same
   * name starts nothing and reports `alreadyStarted`.
   */
  start(name: string, input: unknown): Promise<{ executionId: string; alreadyStarted: boolean }>;
  /** The execution of this name (DescribeExecution): its status and input; null when it never started. */
  describe(name: string): Promise<{ status: ExecutionStatus; input: unknown } | null>;
}

/**
 * Where ingest puts a green run's recovery work so the webhook reply does not wait for it: Lambda's asynchronous
 * invocation of the outcome recorder in AWS, a queue in the embedded store locally. `enqueue` resolves once the
 * message is durable (a crash after it loses nothing).
 */
export interface RecoveryQueue {
  enqueue(message: WorkflowRecoveryMessage): Promise<void>;
}

export type MetricUnit = 'Count' | 'Seconds' | 'None';

/**
 * Business and operations metrics: CloudWatch metrics through the embedded metric format (Powertools Metrics) in
 * AWS; locally the same EMF records, also served as Prometheus text at `GET /metrics/prometheus`.
 */
export interface Metrics {
  count(name: string, value: number, dimensions?: Record<string, string>): void;
  /** A measured value: a duration, tokens, a cost. */
  measure(name: string, unit: MetricUnit, value: number, dimensions?: Record<string, string>): void;
}

/** What an analyzer sees. Every text field is already redacted. */
export interface AnalysisInput {
  /** The step's deadline: a model call still running when it fires is cancelled (not part of the prompt). */
  signal?: AbortSignal;
  /**
   * Called before each request to a model, a repair's, a retried step's and a downgraded one's alike; throws
   * `ModelRequestsSpentError` once the incident may make no more (see {@link ModelRequestLedger}). Not part of the
   * prompt; absent where nothing bounds an analysis's requests but the repair loop (the CLI).
   */
  beforeModelRequest?: () => Promise<void>;
  incidentId: string;
  source: 'github' | 'cloudwatch';
  repository: string | null;
  workflowName: string | null;
  branch: string | null;
  category: Category | null;
  failureLines: LogLine[];
  /**
   * Per job: name, the failure lines with their rule names and, when the log engine could write one, its
   * deterministic diagnosis (root-cause sentence, rule-specific fix, calibrated confidence).
   */
  jobs: Array<{
    name: string;
    category: Category;
    rules: string[];
    lines: LogLine[];
    diagnosis?: { determined: boolean; rootCause: string; fix: string[]; confidence: number } | null;
  }>;
  alarm: AlarmDetails | null;
  knowledge: KnowledgeSummary | null;
}

export interface AnalysisResult {
  rootCause: string;
  fix: string[];
  confidence: number;
  proposedAction: RemediationAction;
  rationale: string;
  /** Log lines quoted from the excerpt that support the root cause. */
  evidence: string[];
  provider: string;
  model: string | null;
}

export interface Analyzer {
  readonly provider: string;
  analyze(input: AnalysisInput): Promise<AnalysisResult>;
}

/** Time is a dependency so tests and the demo control it. */
export type Clock = () => Date;
/** Waiting on the {@link Clock}, a dependency beside it: in real time in AWS and locally; a test's moves its clock on (session 45). */
export type Sleep = (ms: number) => Promise<void>;
