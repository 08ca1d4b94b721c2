/**
 * The GitHub responses only the reporting functions read: a run's jobs, annotations and pull requests, a repository's
 * workflow runs and commit comparisons, a thread's comments and reactions, and collaborators. Apart from schemas.ts
 * (the same conventions, its bounds) so a function that reads none of them (remediate: re-runs, labels and fix
 * pull requests) does not build them at every cold start: a zod schema is built at import, which tree shaking keeps.
 * Each is built inside a function call marked pure, as there, so a bundle that reads some builds only those.
 */
import { GITHUB_COMMENT_MAX_BYTES, withinGitHubCommentLimit } from '../domain/comment-limit.js';
import * as z from '../zod.js';
import { GITHUB_TEXT_MAX, LOGIN_MAX, NAME_MAX, TIME_MAX, URL_MAX, WORD_MAX, objectIdSchema } from './schemas.js';

/** A job's step as the jobs API lists it; old GHES versions and queued jobs may omit times. */
const jobStepSchema = /* @__PURE__ */ (() => z.object({
  number: z.number().check(z.int()),
  name: z.string().check(z.maxLength(500)),
  conclusion: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
  started_at: z.nullish(z.string().check(z.maxLength(TIME_MAX))),
  completed_at: z.nullish(z.string().check(z.maxLength(TIME_MAX))),
}))();

export const jobsPageSchema = /* @__PURE__ */ (() => z.object({
  jobs: z.array(
    z.object({
      id: z.number().check(z.int()),
      name: z.string().check(z.maxLength(NAME_MAX)),
      html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
      conclusion: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
      steps: z.nullish(z.array(jobStepSchema).check(z.maxLength(1000))),
    }),
  ),
}))();

/** `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`: only the newest run is read. */
export const workflowRunsPageSchema = /* @__PURE__ */ (() => z.object({
  workflow_runs: z.array(
    z.object({
      id: z.number().check(z.int()),
      run_attempt: z.nullish(z.number().check(z.int(), z.positive())),
      conclusion: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
      html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
      // A pull request's run from a fork has the fork as its head repository (and its branch name: often `main`).
      repository: z.nullish(z.object({ id: z.number().check(z.int()) })),
      head_repository: z.nullish(z.object({ id: z.number().check(z.int()) })),
      // What started the run: a comment, pull_request_target or workflow_run run names this repository as its head.
      event: z.nullish(z.string().check(z.maxLength(100))),
    }),
  ),
}))();

export const annotationsPageSchema = /* @__PURE__ */ (() => z.array(
  z.object({
    path: z.nullish(z.string().check(z.maxLength(4096))),
    start_line: z.nullish(z.number().check(z.int())),
    annotation_level: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
    message: z.nullish(z.string().check(z.maxLength(GITHUB_TEXT_MAX))),
  }),
))();

export const pullsPageSchema = /* @__PURE__ */ (() => z.array(
  z.object({
    number: z.number().check(z.int()),
    state: z.string().check(z.maxLength(WORD_MAX)),
    head: z.nullish(z.object({ sha: z.string().check(z.maxLength(64)), repo: z.nullish(z.object({ id: z.number().check(z.int()) })) })),
  }),
))();

export const commentSchema = /* @__PURE__ */ (() => z.object({
  id: z.number().check(z.int()),
  // Anyone's comment on the thread is listed: one GitHub holds is never refused (it would stop every upsert there).
  body: z.nullish(z.string().check(z.refine(withinGitHubCommentLimit, `must be within GitHub's comment bound (${GITHUB_COMMENT_MAX_BYTES} UTF-8 bytes)`))),
  html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
  user: z.nullish(z.object({ login: z.string().check(z.maxLength(LOGIN_MAX)) })),
}))();
export type Comment = z.infer<typeof commentSchema>;

export const commentsPageSchema = /* @__PURE__ */ (() => z.array(commentSchema))();

/** One page of collaborators: `role_name` may be a custom role; `permissions` holds the base role's flags. */
export const collaboratorsPageSchema = /* @__PURE__ */ (() => z
  .array(
    z.looseObject({
      login: z.string().check(z.maxLength(100)),
      role_name: z.nullish(z.string().check(z.maxLength(100))),
      permissions: z.nullish(
        z.looseObject({
          admin: z.optional(z.boolean()),
          maintain: z.optional(z.boolean()),
          push: z.optional(z.boolean()),
          triage: z.optional(z.boolean()),
          pull: z.optional(z.boolean()),
        }),
      ),
    }),
  )
  .check(z.maxLength(100)))();

export const reactionsPageSchema = /* @__PURE__ */ (() => z
  .array(
    z.looseObject({
      content: z.string().check(z.maxLength(20)),
      created_at: z.nullish(z.string().check(z.maxLength(40))),
      user: z.nullish(z.object({ login: z.string().check(z.maxLength(100)), type: z.optional(z.string().check(z.maxLength(50))) })),
    }),
  )
  .check(z.maxLength(100)))();

/**
 * `GET /compare/{base}...{head}`: the status and the merge base, which is the head itself when the base contains it
 * (the commits and files beside them are not read). Any other status is an unexpected answer, never taken as a yes.
 */
export const commitComparisonSchema = /* @__PURE__ */ (() => z.object({
  status: z.enum(['identical', 'behind', 'ahead', 'diverged']),
  merge_base_commit: z.looseObject({ sha: objectIdSchema }),
}))();
