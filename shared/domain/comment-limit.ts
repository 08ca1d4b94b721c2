/**
 * How long a comment GitHub holds, counted as GitHub counts it: for reading comments (a delivered one, a listed one)
 * and for the cut of the ones we post.
 */

/**
 * The figure in GitHub's refusal of a long comment ("Body is too long (maximum is 65536 characters)"). What GitHub
 * counts is UTF-8 bytes, four per character at the widest ({@link GITHUB_COMMENT_MAX_BYTES}).
 */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

/**
 * GitHub's real bound on an issue or pull request comment: 262,144 UTF-8 bytes. Measured by bisection on both comment
 * endpoints (dead-claudia/github-limits#13, objectstack-ai/objectstack#18826): 262,144 ASCII characters or 65,536
 * astral emoji are kept, one byte more is refused. So a comment of 65,536 characters of any kind is within it, and
 * so is an ASCII one four times that long; JavaScript's `length` (UTF-16 units) counts neither way.
 */
export const GITHUB_COMMENT_MAX_BYTES = 4 * GITHUB_COMMENT_MAX_CHARS;

/**
 * Whether GitHub could hold `body` as a comment, counted as GitHub counts it: a longer body is not a real comment.
 * Every check of a comment's length against GitHub's bound goes through here.
 */
export function withinGitHubCommentLimit(body: string): boolean {
  // More UTF-16 units than the bound is more bytes too: a hostile body is not encoded to be refused.
  return body.length <= GITHUB_COMMENT_MAX_BYTES && Buffer.byteLength(body, 'utf8') <= GITHUB_COMMENT_MAX_BYTES;
}
