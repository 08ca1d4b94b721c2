import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../zod.js';
import type { Outbox } from '../adapters/outbox.js';
import type { CommentOutcome, GitHubPort } from '../ports.js';

const recordedStepSchema = z.object({
  number: z.number().check(z.int()),
  name: z.string(),
  conclusion: z._default(z.nullable(z.string()), null),
  startedAt: z._default(z.nullable(z.string()), null),
  completedAt: z._default(z.nullable(z.string()), null),
});

/**
 * Run id → its jobs. A job's `conclusion` defaults to `failure`; a run whose jobs all succeeded is a green run
 * (the newest one of a workflow is the baseline of its failing twins).
 */
const manifestSchema = z.record(
  z.string(),
  z.array(
    z.object({
      id: z.number().check(z.int()),
      name: z.string(),
      log: z.string(),
      url: z._default(z.nullable(z.string()), null),
      conclusion: z._default(z.string(), 'failure'),
      workflowId: z.optional(z.number().check(z.int())),
      steps: z._default(z.array(recordedStepSchema), []),
    }),
  ),
);

/**
 * GitHub stand-in for the local runtime when no token is configured: job logs come from a manifest of
 * recorded runs (`events/recorded-runs.json`, keyed by run id, with a `default` entry), comments (on pull requests
 * and commits) and re-runs go to the outbox. Comments keep create-once/update-in-place semantics in the embedded table (items
 * `RECORDEDCOMMENT#<owner/repo#pr>`), with atomic writes: a JSON file rewritten by concurrent executions
 * without a lock lost 993 of 1,000 comment records in a burst.
 */
/** Comment ids one counter update reserves for this process. */
const COMMENT_ID_BLOCK = 100;

export function createRecordedGitHub(options: {
  manifestPath: string;
  comments: { client: DynamoDBDocumentClient; tableName: string };
  outbox: Outbox;
  botLogin?: string;
}): GitHubPort {
  const { client, tableName } = options.comments;
  const baseDir = dirname(options.manifestPath);
  let manifest: z.infer<typeof manifestSchema> | undefined;
  async function runs() {
    manifest ??= manifestSchema.parse(JSON.parse(await readFile(options.manifestPath, 'utf8')));
    return manifest;
  }
  async function jobsOf(runId: number) {
    const all = await runs();
    return all[String(runId)] ?? all.default ?? [];
  }
  const commentKey = (key: string) => ({ pk: `RECORDEDCOMMENT#${key}`, sk: 'RECORDEDCOMMENT' });
  /**
   * Comment ids come from one atomic counter, as GitHub's would be unique. Each process reserves a block of ids
   * with one `ADD` and hands them out from memory (one call per block instead of one per comment); a block cut off
   * by a restart leaves a gap, never a duplicate.
   */
  let nextId = 0;
  let blockEnd = 0;
  let reserving: Promise<void> | null = null;
  async function reserveBlock(): Promise<void> {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: 'RECORDEDCOMMENT#SEQUENCE', sk: 'RECORDEDCOMMENT' },
        UpdateExpression: 'ADD seq :block',
        ExpressionAttributeValues: { ':block': COMMENT_ID_BLOCK },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    blockEnd = Number(response.Attributes?.seq);
    nextId = blockEnd - COMMENT_ID_BLOCK + 1;
  }
  async function nextCommentId(): Promise<number> {
    while (nextId === 0 || nextId > blockEnd) {
      reserving ??= reserveBlock().finally(() => {
        reserving = null;
      });
      await reserving;
    }
    const id = nextId;
    nextId += 1;
    return id;
  }
  /**
   * One UpdateItem whatever the record's state: the id and creation time are set only where absent, the body always,
   * and the old values say which it was (none: created; the same body: unchanged). Concurrent upserts of one pull
   * request are serialised by the store, so exactly one sees no old record. A comment that existed already leaves
   * the id taken for it unused, a gap like the one a restart leaves.
   */
  async function upsert(key: string, body: string, options: { keepBody?: boolean } = {}): Promise<{ outcome: CommentOutcome; id: number }> {
    const now = new Date().toISOString();
    const id = await nextCommentId();
    // A comment kept as first written (a commit's) sets its body only where there is none.
    const setBody = options.keepBody ? 'body = if_not_exists(body, :body)' : 'body = :body, updatedAt = :now';
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: commentKey(key),
        UpdateExpression: `SET #id = if_not_exists(#id, :id), createdAt = if_not_exists(createdAt, :now), ${setBody}`,
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':id': id, ':now': now, ':body': body },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const old = response.Attributes;
    if (old?.id === undefined) return { outcome: 'created', id };
    return { outcome: old.body === body || options.keepBody ? 'unchanged' : 'updated', id: Number(old.id) };
  }

  return {
    async listFailedJobs(_repo, runId) {
      return (await jobsOf(runId))
        .filter((job) => job.conclusion !== 'success')
        .map((job) => ({ id: job.id, name: job.name, htmlUrl: job.url, conclusion: job.conclusion, checkRunId: job.id, steps: job.steps }));
    },
    async listSucceededJobs(_repo, runId) {
      return (await jobsOf(runId))
        .filter((job) => job.conclusion === 'success')
        .map((job) => ({ id: job.id, name: job.name, htmlUrl: job.url, conclusion: job.conclusion, checkRunId: job.id, steps: job.steps }));
    },
    async latestCompletedRun() {
      // Recorded runs carry no branch: whether the base branch fails too stays unknown offline.
      return null;
    },
    async latestSuccessfulRun(_repo, workflowId) {
      const green = Object.entries(await runs())
        .filter(([id, jobs]) => /^\d+$/.test(id) && jobs.length > 0 && jobs.every((job) => job.conclusion === 'success' && (job.workflowId ?? workflowId) === workflowId))
        .map(([id]) => Number(id))
        .sort((a, b) => b - a);
      return green[0] === undefined ? null : { id: green[0], attempt: 1 };
    },
    async openJobLog(_repo, jobId) {
      const all = Object.values(await runs()).flat();
      const job = all.find((candidate) => candidate.id === jobId);
      if (!job) return null;
      return createReadStream(resolve(baseDir, job.log));
    },
    async listAnnotations() {
      return [];
    },
    async findPullRequestsForCommit() {
      return [];
    },
    async upsertComment(repo, issueNumber, marker, body) {
      const key = `${repo.owner}/${repo.repo}#${issueNumber}`;
      // One comment per marker, as on GitHub: the incident's comment and an answer to a command are two comments.
      const { outcome, id } = await upsert(`${key} ${marker}`, body);
      if (outcome !== 'unchanged') await options.outbox.write({ kind: 'github_comment', target: key, outcome, marker, body });
      return { outcome, commentId: id, url: null };
    },
    async commentOnCommit(repo, sha, marker, body) {
      const key = `${repo.owner}/${repo.repo}@${sha}`;
      const { outcome, id } = await upsert(`${key} ${marker}`, body, { keepBody: true });
      if (outcome === 'created') await options.outbox.write({ kind: 'github_commit_comment', target: key, outcome, marker, body });
      return { outcome: outcome === 'created' ? 'created' : 'unchanged', commentId: id, url: null };
    },
    async rerunFailedJobs(repo, runId, rerunOptions = {}) {
      // Recorded runs never advance, so the outbox entry is the whole effect; the ledger keeps it to one per commit.
      await options.outbox.write({ kind: 'github_rerun', target: `${repo.owner}/${repo.repo}`, runId, expectedAttempt: rerunOptions.expectedAttempt ?? null, enableDebugLogging: rerunOptions.enableDebugLogging === true });
      return 'requested';
    },
    async botLogin() {
      return options.botLogin ?? 'pipeline-guard[bot]';
    },
    async listCommentReactions(_repo, _commentId, _content, _limit, beforePage) {
      // Nobody can react to a comment in the outbox: one empty page.
      beforePage?.();
      return [];
    },
    async addCommentReaction(repo, commentId, content) {
      await options.outbox.write({ kind: 'github_reaction', target: `${repo.owner}/${repo.repo}`, commentId, content });
    },
    async listIssueLabels() {
      return [];
    },
    async readFile() {
      // No repository contents are recorded, so a fix PR cannot be built from a patch here: it is refused and escalated.
      return null;
    },
    async listAllFiles() {
      return { paths: [], complete: true };
    },
    async commitOnBranch() {
      // Recorded runs carry no commit graph: no commit can be shown to be on a branch offline.
      return { status: 'unknown_commit' };
    },
    async createFixPullRequest(repo, request) {
      const entry = await options.outbox.write({ kind: 'github_fix_pr', target: `${repo.owner}/${repo.repo}`, ...request });
      return { number: 1, url: null, outcome: 'created', outboxId: entry.id } as { number: number; url: null; outcome: 'created' };
    },
    async repositoryPermission(repo, username) {
      // No collaborator list is recorded: the account that owns the repository administers it, nobody else writes.
      return username.toLowerCase() === repo.owner.toLowerCase() ? 'admin' : 'read';
    },
    async listCollaborators(repo, _limit, beforePage) {
      beforePage?.();
      return { collaborators: [{ login: repo.owner, role: 'admin' }], complete: true };
    },
    async commentReactionsPage() {
      return { items: [], more: false };
    },
    async collaboratorsPage(repo, page) {
      return { items: page === 1 ? [{ login: repo.owner, role: 'admin' as const }] : [], more: false };
    },
  };
}
