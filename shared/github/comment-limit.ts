/**
 * Keeping a comment body within what GitHub accepts, without losing the marker that finds it again.
 */
import { GITHUB_COMMENT_MAX_CHARS } from '../domain/comment-limit.js';
import { pairSafeEnd } from '../utf16.js';

/** A marker this long is a caller bug; refusing it keeps the truncation arithmetic meaningful. */
export const MAX_MARKER_CHARS = 1_024;

const FENCE_LINE = /^\s*(```|~~~)/;

/**
 * Returns the body to post: the marker is guaranteed to be present (otherwise the next upsert could not find the
 * comment and would post a duplicate), and a body over `limit` is cut with a visible note. The cut never splits a
 * surrogate pair and closes a code fence it lands in, so the note renders as text rather than inside a code block.
 *
 * Lengths are UTF-16 code units (`string.length`): a unit is at most 3 UTF-8 bytes (a surrogate pair 4 for 2), so
 * a body within 65,536 units is within the 262,144 bytes GitHub counts (GITHUB_COMMENT_MAX_BYTES), whatever it holds.
 */
export function fitCommentBody(body: string, marker: string, limit = GITHUB_COMMENT_MAX_CHARS): string {
  const withMarker = body.includes(marker) ? body : `${body}\n\n${marker}`;
  if (withMarker.length <= limit) return withMarker;

  const markerTail = `\n\n${marker}`;
  // Sized for the widest possible count so the final text cannot overshoot once the real count is filled in.
  const noteFor = (omitted: number): string =>
    `\n\n---\n> ✂️ **Truncated:** this comment exceeded GitHub's ${limit}-character limit; ${omitted} characters were omitted.`;
  const fenceClose = '\n```';
  const reserve = noteFor(withMarker.length).length + fenceClose.length + markerTail.length;
  const keep = pairSafeEnd(withMarker, Math.max(0, limit - reserve));

  const kept = withMarker.slice(0, keep);
  const openFences = kept.split('\n').filter((line) => FENCE_LINE.test(line)).length;
  const closing = openFences % 2 === 1 ? fenceClose : '';
  const tail = kept.includes(marker) ? '' : markerTail;
  return `${kept}${closing}${noteFor(withMarker.length - keep)}${tail}`;
}
