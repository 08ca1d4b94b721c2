/**
 * The few fields Pipeline Guard reads from GitHub REST responses. Parsing them (rather than casting) turns an
 * unexpected answer — an HTML error page from a proxy, a GHES version with a different shape — into a clear
 * error naming the call, instead of `undefined` travelling into the incident.
 */
import * as z from 'zod';

/**
 * GitHub refuses a comment body or an annotation message over 65,535 characters, counted as code points: at most
 * twice that in UTF-16 units. A longer field is not GitHub's answer, and would travel into the incident unbounded.
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
  number: z.number().int(),
  name: z.string().max(500),
  conclusion: z.string().max(WORD_MAX).nullish(),
  started_at: z.string().max(TIME_MAX).nullish(),
  completed_at: z.string().max(TIME_MAX).nullish(),
});

export const jobsPageSchema = z.object({
  jobs: z.array(
    z.object({
      id: z.number().int(),
      name: z.string().max(NAME_MAX),
      html_url: z.string().max(URL_MAX).nullish(),
      conclusion: z.string().max(WORD_MAX).nullish(),
      steps: z.array(jobStepSchema).max(1000).nullish(),
    }),
  ),
});

/** `GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs`: only the newest run is read. */
export const workflowRunsPageSchema = z.object({
  workflow_runs: z.array(
    z.object({
      id: z.number().int(),
      run_attempt: z.number().int().positive().nullish(),
      conclusion: z.string().max(WORD_MAX).nullish(),
      html_url: z.string().max(URL_MAX).nullish(),
      // A pull request's run from a fork has the fork as its head repository (and its branch name: often `main`).
      repository: z.object({ id: z.number().int() }).nullish(),
      head_repository: z.object({ id: z.number().int() }).nullish(),
      // What started the run: a comment, pull_request_target or workflow_run run names this repository as its head.
      event: z.string().max(100).nullish(),
    }),
  ),
});

export const annotationsPageSchema = z.array(
  z.object({
    path: z.string().max(4096).nullish(),
    start_line: z.number().int().nullish(),
    annotation_level: z.string().max(WORD_MAX).nullish(),
    message: z.string().max(GITHUB_TEXT_MAX).nullish(),
  }),
);

export const pullsPageSchema = z.array(
  z.object({
    number: z.number().int(),
    state: z.string().max(WORD_MAX),
    head: z.object({ sha: z.string().max(64), repo: z.object({ id: z.number().int() }).nullish() }).nullish(),
  }),
);

export const commentSchema = z.object({
  id: z.number().int(),
  body: z.string().max(GITHUB_TEXT_MAX).nullish(),
  html_url: z.string().max(URL_MAX).nullish(),
  user: z.object({ login: z.string().max(LOGIN_MAX) }).nullish(),
});
export type Comment = z.infer<typeof commentSchema>;

export const commentsPageSchema = z.array(commentSchema);

export const userSchema = z.object({ login: z.string().min(1).max(LOGIN_MAX) });

/** `GET /app`: the slug names the App's bot user, `<slug>[bot]`. */
export const appSchema = z.object({ slug: z.string().min(1).max(100).regex(/^[a-z0-9-]+$/i) });

export const workflowRunSchema = z.object({
  status: z.string().max(WORD_MAX).nullish(),
  run_attempt: z.number().int().nullish(),
});

export const labelsPageSchema = z.array(z.object({ name: z.string().max(100) }).passthrough()).max(100);

/**
 * `GET /contents/{path}` for a file: base64 content (files over 1 MB come without it, so the content is at most
 * 1 MB in base64, with a line break every 60 characters: under 1.5M characters).
 */
export const fileContentSchema = z
  .object({ type: z.string().max(WORD_MAX), encoding: z.string().max(WORD_MAX).optional(), content: z.string().max(1_500_000).optional(), size: z.number().int().nonnegative() })
  .passthrough();

/** A Git object id: SHA-1, or SHA-256 in a repository that uses it. */
const objectIdSchema = z.string().regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/);
export const gitObjectSchema = z.object({ sha: objectIdSchema }).passthrough();
export const gitCommitSchema = z.object({ sha: objectIdSchema, tree: z.object({ sha: objectIdSchema }) }).passthrough();
/**
 * A Git tree (`GET /git/trees/{sha}`): one directory's names, modes and object ids, or with `recursive` every path below
 * it, at most 100,000, `truncated` when there were more.
 */
export const gitTreeSchema = z
  .object({
    tree: z.array(z.object({ path: z.string().max(4096), mode: z.string().max(6), type: z.string().max(10), sha: z.string().max(64) }).passthrough()).max(100_000),
    truncated: z.boolean().optional(),
  })
  .passthrough();
export const pullRequestSchema = z.object({ number: z.number().int().positive(), html_url: z.string().max(URL_MAX).nullable().optional() }).passthrough();
export const pullRequestListSchema = z.array(pullRequestSchema).max(100);

/** One page of collaborators: `role_name` may be a custom role; `permissions` holds the base role's flags. */
export const collaboratorsPageSchema = z
  .array(
    z
      .object({
        login: z.string().max(100),
        role_name: z.string().max(100).nullish(),
        permissions: z.object({ admin: z.boolean().optional(), maintain: z.boolean().optional(), push: z.boolean().optional(), triage: z.boolean().optional(), pull: z.boolean().optional() }).passthrough().nullish(),
      })
      .passthrough(),
  )
  .max(100);

export const reactionsPageSchema = z
  .array(
    z
      .object({ content: z.string().max(20), created_at: z.string().max(40).nullish(), user: z.object({ login: z.string().max(100), type: z.string().max(50).optional() }).nullable().optional() })
      .passthrough(),
  )
  .max(100);

/**
 * `GET /compare/{base}...{head}`: the status and the merge base, which is the head itself when the base contains it
 * (the commits and files beside them are not read). Any other status is an unexpected answer, never taken as a yes.
 */
export const commitComparisonSchema = z.object({
  status: z.enum(['identical', 'behind', 'ahead', 'diverged']),
  merge_base_commit: z.object({ sha: objectIdSchema }).passthrough(),
});
