import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Outbox } from '../adapters/outbox.js';
import type { CommentOutcome, GitHubPort } from '../ports.js';

const recordedStepSchema = z.object({
  number: z.number().int(),
  name: z.string(),
  conclusion: z.string().nullable().default(null),
  startedAt: z.string().nullable().default(null),
  completedAt: z.string().nullable().default(null),
});

/**
 * Run id → its jobs. A job's `conclusion` defaults to `failure`; a run whose jobs all succeeded is a green run
 * (the newest one of a workflow is the baseline of its failing twins).
 */
const manifestSchema = z.record(
  z.string(),
  z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      log: z.string(),
      url: z.string().nullable().default(null),
      conclusion: z.string().default('failure'),
      workflowId: z.number().int().optional(),
      steps: z.array(recordedStepSchema).default([]),
    }),
  ),
);

interface StoredComment {
  id: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * GitHub stand-in for the local runtime when no token is configured: job logs come from a manifest of
 * recorded runs (`events/recorded-runs.json`, keyed by run id, with a `default` entry), comments and re-runs
 * go to the outbox. Comments keep create-once/update-in-place semantics in a small JSON file.
 */
export function createRecordedGitHub(options: { manifestPath: string; commentsPath: string; outbox: Outbox; botLogin?: string }): GitHubPort {
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
  async function loadComments(): Promise<Record<string, StoredComment>> {
    try {
      return JSON.parse(await readFile(options.commentsPath, 'utf8')) as Record<string, StoredComment>;
    } catch {
      return {};
    }
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
    async upsertComment(repo, issueNumber, _marker, body) {
      const comments = await loadComments();
      const key = `${repo.owner}/${repo.repo}#${issueNumber}`;
      const now = new Date().toISOString();
      const existing = comments[key];
      let outcome: CommentOutcome;
      if (existing && existing.body === body) {
        outcome = 'unchanged';
      } else if (existing) {
        comments[key] = { ...existing, body, updatedAt: now };
        outcome = 'updated';
      } else {
        comments[key] = { id: Object.keys(comments).length + 1, body, createdAt: now, updatedAt: now };
        outcome = 'created';
      }
      if (outcome !== 'unchanged') {
        await mkdir(dirname(options.commentsPath), { recursive: true });
        await writeFile(options.commentsPath, JSON.stringify(comments, null, 2));
        await options.outbox.write({ kind: 'github_comment', target: key, outcome, body });
      }
      const stored = comments[key] as StoredComment;
      return { outcome, commentId: stored.id, url: null };
    },
    async rerunFailedJobs(repo, runId, rerunOptions = {}) {
      // Recorded runs never advance, so the outbox entry is the whole effect; the ledger keeps it to one per commit.
      await options.outbox.write({ kind: 'github_rerun', target: `${repo.owner}/${repo.repo}`, runId, expectedAttempt: rerunOptions.expectedAttempt ?? null });
      return 'requested';
    },
    async botLogin() {
      return options.botLogin ?? 'pipeline-guard[bot]';
    },
    async listCommentReactions() {
      // Nobody can react to a comment in the outbox.
      return [];
    },
    async listIssueLabels() {
      return [];
    },
    async readFile() {
      // No repository contents are recorded, so a fix PR cannot be built from a patch here: it is refused and escalated.
      return null;
    },
    async createFixPullRequest(repo, request) {
      const entry = await options.outbox.write({ kind: 'github_fix_pr', target: `${repo.owner}/${repo.repo}`, ...request });
      return { number: 1, url: null, outcome: 'created', outboxId: entry.id } as { number: number; url: null; outcome: 'created' };
    },
    async repositoryPermission(repo, username) {
      // No collaborator list is recorded: the account that owns the repository administers it, nobody else writes.
      return username.toLowerCase() === repo.owner.toLowerCase() ? 'admin' : 'read';
    },
  };
}
