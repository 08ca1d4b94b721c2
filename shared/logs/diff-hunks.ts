/**
 * How far a unified diff's hunk reaches (see `Rule.hunks`): its header `@@ -a,b +c,d @@` counts the lines of each
 * side (a count left out is 1), and the hunk is those lines, not every line that begins the way diff lines do.
 */

/** What is left of the hunk being read: lines of the old side, of the new; both -1 before the first hunk header. */
export interface HunkReading {
  hunkOld: number;
  hunkNew: number;
}

const HUNK_HEADER_RE = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/**
 * Whether `text`, the line after the last one taken, is still the diff's (true), the next program's (false), or, before
 * the first hunk header, for the rule's `end` to say (null). Counts the line off `reading`.
 */
export function takesDiffLine(reading: HunkReading, text: string): boolean | null {
  const first = text.charCodeAt(0);
  if (first === 64 /* @ */) {
    const header = HUNK_HEADER_RE.exec(text);
    if (header !== null) {
      reading.hunkOld = header[1] === undefined ? 1 : Number(header[1]);
      reading.hunkNew = header[2] === undefined ? 1 : Number(header[2]);
      return true;
    }
  }
  if (reading.hunkOld < 0) return null;
  // `\ No newline at end of file` follows the line it is about, which may be the hunk's last.
  if (first === 92 /* \ */) return true;
  if (first === 32 /* space */) return takesContextLine(reading);
  if (first === 45 /* - */ && reading.hunkOld > 0) {
    reading.hunkOld--;
    return true;
  }
  if (first === 43 /* + */ && reading.hunkNew > 0) {
    reading.hunkNew--;
    return true;
  }
  return false;
}

/** Counts a context line (a blank one too: its space trimmed) off the hunk being read; false when the hunk has no room for one. */
export function takesContextLine(reading: HunkReading): boolean {
  if (reading.hunkOld <= 0 || reading.hunkNew <= 0) return false;
  reading.hunkOld--;
  reading.hunkNew--;
  return true;
}
