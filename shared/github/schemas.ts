/**
 * The few fields Pipeline Guard reads from GitHub REST responses. Parsing them (rather than casting) turns an
 * unexpected answer — an HTML error page from a proxy, a GHES version with a different shape — into a clear
 * error naming the call, instead of `undefined` travelling into the incident.
 *
 * zod builds a schema when the module is imported, and tree shaking keeps every top-level call, so each schema here
 * is built inside a function call marked pure: a bundle builds only the schemas it reads (classify carried 1.1 KB of
 * the git, label, file, collaborators' and reactions' schemas, which it never reads; test/infra/github-schemas.test.ts).
 */
import * as z from '../zod.js';

/**
 * GitHub refuses an annotation message over 65,535 characters, counted as code points: at most twice that in UTF-16
 * units. A longer field is not GitHub's answer, and would travel into the incident unbounded. (Comment bodies have
 * their own bound: `withinGitHubCommentLimit`, listing-schemas.ts.)
 */
export const GITHUB_TEXT_MAX = 131_072;
/** Names GitHub shows in one line (jobs, steps, check runs); matrix jobs put their values in the name. */
export const NAME_MAX = 1000;
export const URL_MAX = 2000;
/** Enumerations such as a conclusion, a state or an annotation level. */
export const WORD_MAX = 50;
/** ISO 8601 timestamps. */
export const TIME_MAX = 40;
export const LOGIN_MAX = 100;

export const userSchema = /* @__PURE__ */ (() => z.object({ login: z.string().check(z.minLength(1), z.maxLength(LOGIN_MAX)) }))();

/** `GET /app`: the slug names the App's bot user, `<slug>[bot]`. */
export const appSchema = /* @__PURE__ */ (() => z.object({ slug: z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[a-z0-9-]+$/i)) }))();

export const workflowRunSchema = /* @__PURE__ */ (() => z.object({
  status: z.nullish(z.string().check(z.maxLength(WORD_MAX))),
  run_attempt: z.nullish(z.number().check(z.int())),
}))();

export const labelsPageSchema = /* @__PURE__ */ (() => z.array(z.looseObject({ name: z.string().check(z.maxLength(100)) })).check(z.maxLength(100)))();

/**
 * `GET /contents/{path}` for a file: base64 content (files over 1 MB come without it, so the content is at most
 * 1 MB in base64, with a line break every 60 characters: under 1.5M characters).
 */
export const fileContentSchema = /* @__PURE__ */ (() => z.looseObject({
  type: z.string().check(z.maxLength(WORD_MAX)),
  encoding: z.optional(z.string().check(z.maxLength(WORD_MAX))),
  content: z.optional(z.string().check(z.maxLength(1_500_000))),
  size: z.number().check(z.int(), z.nonnegative()),
}))();

/** A Git object id: SHA-1, or SHA-256 in a repository that uses it. */
export const objectIdSchema = /* @__PURE__ */ (() => z.string().check(z.regex(/^[0-9a-f]{40}$|^[0-9a-f]{64}$/)))();
export const gitObjectSchema = /* @__PURE__ */ (() => z.looseObject({ sha: objectIdSchema }))();
export const gitCommitSchema = /* @__PURE__ */ (() => z.looseObject({ sha: objectIdSchema, tree: z.object({ sha: objectIdSchema }) }))();
/**
 * A Git tree (`GET /git/trees/{sha}`): one directory's names, modes and object ids, or with `recursive` every path below
 * it, at most 100,000, `truncated` when there were more.
 */
export const gitTreeSchema = /* @__PURE__ */ (() => z.looseObject({
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
}))();
export const pullRequestSchema = /* @__PURE__ */ (() => z.looseObject({
  number: z.number().check(z.int(), z.positive()),
  html_url: z.nullish(z.string().check(z.maxLength(URL_MAX))),
}))();
export const pullRequestListSchema = /* @__PURE__ */ (() => z.array(pullRequestSchema).check(z.maxLength(100)))();

