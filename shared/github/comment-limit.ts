/**
 * Keeping a comment body within what GitHub accepts, without losing the marker that finds it again.
 */
import { pairSafeEnd } from '../utf16.js';

/** GitHub rejects issue/PR comment bodies longer than this ("Body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_MAX_CHARS = 65_536;

/** A marker this long is a caller bug; refusing it keeps the truncation arithmetic meaningful. */
export const MAX_MARKER_CHARS = 1_024;

const FENCE_LINE = /^\s*(```|~~~)/;

/**
 * Returns the body to post: the marker is guaranteed to be present (otherwise the next upsert could not find the
 * comment and would post a duplicate), and a body over `limit` is cut with a visible note. The cut never splits a
 * surrogate pair and closes a code fence it lands in, so the note renders as text rather than inside a code block.
 *
 * Lengths are UTF-16 code units (`string.length`), which is never less than the character count GitHub checks.
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
