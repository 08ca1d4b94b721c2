/**
 * The few fields Pipeline Guard reads from GitHub REST responses. Parsing them (rather than casting) turns an
 * unexpected answer — an HTML error page from a proxy, a GHES version with a different shape — into a clear
 * error naming the call, instead of `undefined` travelling into the incident.
 */
import { GITHUB_COMMENT_MAX_BYTES, withinGitHubCommentLimit } from '../domain/comment-limit.js';
import * as z from '../zod.js';

/**
 * GitHub refuses an annotation message over 65,535 characters, counted as code points: at most twice that in UTF-16
 * units. A longer field is not GitHub's answer, and would travel into the incident unbounded. (Comment bodies have
 * their own bound, {@link withinGitHubCommentLimit}.)
 */
const GITHUB_TEXT_MAX = 131_072;
/** Names GitHub shows in one line (jobs, steps, check runs); matrix jobs put their values in the name. */
const NAME_MAX = 1000;
const URL_MAX = 2000;
/** Enumerations such as a conclusion, a state or an annotation level. */
const WORD_MAX = 50;
/** ISO 8601 timestamps. */
const TIME_MAX = 40;
const LOGIN_MAX = 100;

/** A job's step as the jobs API lists it; old GHES versions and queued jobs may omit times. */
const jobStepSchema = z.object({
  number: z.number().check(z.int()),
  name: z.string().check(z.maxLength(500)),
  conclusion: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
  started_at: z.nullish(z.string().check(z.maxLength(TIME_MAX))),
  completed_at: z.nullish(z.string().check(z.maxLength(TIME_MAX))),
});

export const jobsPageSchema = z.object({
  jobs: z.array(
    z.object({
      id: z.number().check(z.int()),
      name: z.string().check(z.maxLength(NAME_MAX)),
      html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
      conclusion: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
      steps: z.nullish(z.array(jobStepSchema).check(z.maxLength(1000))),
    }),
  ),
});

/** `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`: only the newest run is read. */
export const workflowRunsPageSchema = z.object({
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
});

export const annotationsPageSchema = z.array(
  z.object({
    path: z.nullish(z.string().check(z.maxLength(4096))),
    start_line: z.nullish(z.number().check(z.int())),
    annotation_level: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
    message: z.nullish(z.string().check(z.maxLength(GITHUB_TEXT_MAX))),
  }),
);

export const pullsPageSchema = z.array(
  z.object({
    number: z.number().check(z.int()),
    state: z.string().check(z.maxLength(WORD_MAX)),
    head: z.nullish(z.object({ sha: z.string().check(z.maxLength(64)), repo: z.nullish(z.object({ id: z.number().check(z.int()) })) })),
  }),
);

export const commentSchema = z.object({
  id: z.number().check(z.int()),
  // Anyone's comment on the thread is listed: one GitHub holds is never refused (it would stop every upsert there).
  body: z.nullish(z.string().check(z.refine(withinGitHubCommentLimit, `must be within GitHub's comment bound (${GITHUB_COMMENT_MAX_BYTES} UTF-8 bytes)`))),
  html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
  user: z.nullish(z.object({ login: z.string().check(z.maxLength(LOGIN_MAX)) })),
});
export type Comment = z.infer<typeof commentSchema>;

export const commentsPageSchema = z.array(commentSchema);

export const userSchema = z.object({ login: z.string().check(z.minLength(1), z.maxLength(LOGIN_MAX)) });

/** `GET /app`: the slug names the App's bot user, `<slug>[bot]`. */
export const appSchema = z.object({ slug: z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[a-z0-9-]+$/i)) });

export const workflowRunSchema = z.object({
  status: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
  run_attempt: z.nullish(z.number().check(z.int())),
});

export const labelsPageSchema = z.array(z.looseObject({ name: z.string().check(z.maxLength(100)) })).check(z.maxLength(100));

/**
 * `GET /contents/{path}` for a file: base64 content (files over 1 MB come without it, so the content is at most
 * 1 MB in base64, with a line break every 60 characters: under 1.5M characters).
 */
export const fileContentSchema = z.looseObject({
  type: z.string().check(z.maxLength(WORD_MAX)),
  encoding: z.optional(z.string().check(z.maxLength(WORD_MAX))),
  content: z.optional(z.string().check(z.maxLength(1_500_000))),
  size: z.number().check(z.int(), z.nonnegative()),
});

/** A Git object id: SHA-1, or SHA-256 in a repository that uses it. */
const objectIdSchema = z.string().check(z.regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/));
export const gitObjectSchema = z.looseObject({ sha: objectIdSchema });
export const gitCommitSchema = z.looseObject({ sha: objectIdSchema, tree: z.object({ sha: objectIdSchema }) });
/**
 * A Git tree (`GET /git/trees/{sha}`): one directory's names, modes and object ids, or with `recursive` every path below
 * it, at most 100,000, `truncated` when there were more.
 */
export const gitTreeSchema = z.looseObject({
  tree: z
    .array(
      z.looseObject({
        path: z.string().check(z.maxLength(4096)),
        mode: z.string().check(z.maxLength(6)),
        type: z.string().check(z.maxLength(10)),
        sha: z.string().check(z.maxLength(64)),
      }),
    )
    .check(z.maxLength(100_000)),
  truncated: z.optional(z.boolean()),
});
export const pullRequestSchema = z.looseObject({
  number: z.number().check(z.int(), z.positive()),
  html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
});
export const pullRequestListSchema = z.array(pullRequestSchema).check(z.maxLength(100));

/** One page of collaborators: `role_name` may be a custom role; `permissions` holds the base role's flags. */
export const collaboratorsPageSchema = z
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
  .check(z.maxLength(100));

export const reactionsPageSchema = z
  .array(
    z.looseObject({
      content: z.string().check(z.maxLength(20)),
      created_at: z.nullish(z.string().check(z.maxLength(40))),
      user: z.nullish(z.object({ login: z.string().check(z.maxLength(100)), type: z.optional(z.string().check(z.maxLength(50))) })),
    }),
  )
  .check(z.maxLength(100));

/**
 * `GET /compare/{base}...{head}`: the status and the merge base, which is the head itself when the base contains it
 * (the commits and files beside them are not read). Any other status is an unexpected answer, never taken as a yes.
 */
export const commitComparisonSchema = z.object({
  status: z.enum(['identical', 'behind', 'ahead', 'diverged']),
  merge_base_commit: z.looseObject({ sha: objectIdSchema }),
});
