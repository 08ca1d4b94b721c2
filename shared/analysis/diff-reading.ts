import { parsePatch } from 'diff';

/**
 * A unified diff as the fix PR's applier reads it (jsdiff's `parsePatch`, the parser `buildFixFiles` uses): the files
 * it writes and the lines it shows of each. The patch check (`patch.ts`) reads these lines for what they run; an
 * approval request shows them and warns on a download run on another line (shared/notify/proposed-change.ts). Apart
 * from the check because its module builds its command readings when it loads: every function that renders an
 * approval request carried the whole check for these few lines (≈15 KB of the reconciler's bundle; docs/performance.md,
 * session 48).
 */

/** Removes git's `a/` / `b/` prefix when the diff uses it. */
export function stripPrefix(path: string, prefix: 'a/' | 'b/'): string {
  return path.startsWith(prefix) ? path.slice(2) : path;
}

/** A file name as jsdiff's `parsePatch` gives it, as a repository path: prefix removed, null for none or `/dev/null`. */
export const appliedPath = (name: string | undefined, prefix: 'a/' | 'b/'): string | null =>
  name === undefined || name === '/dev/null' ? null : stripPrefix(name, prefix);

/** The lines a patch adds, as the applier (jsdiff) reads its hunks: an added line may itself start with `++`. */
export function addedLines(diff: string): string[] {
  try {
    return parsePatch(diff).flatMap((file) => file.hunks.flatMap((hunk) => hunk.lines.filter((line) => line.startsWith('+')).map((line) => line.slice(1))));
  } catch {
    return [];
  }
}

/** What a diff shows of one file it writes, as the applier reads it. */
export interface FileShown {
  path: string;
  /** The lines it adds (Ruby's and PHP's checks go by the file). */
  added: string[];
  /** Its context and removed lines, and its context and added lines: the parts of the file before and after it shows. */
  before: string[];
  after: string[];
  /** Lines 1 and 2 of the file after it, where a hunk shows them (a declared source encoding is read there). */
  firstLines: Array<string | undefined>;
}

/** What the diff shows of each file it writes (see {@link FileShown}); throws where jsdiff cannot parse it. */
export function filesShown(diff: string): FileShown[] {
  return parsePatch(diff).flatMap((file) => {
    const path = appliedPath(file.newFileName, 'b/');
    if (path === null) return [];
    const shown: FileShown = { path, added: [], before: [], after: [], firstLines: [] };
    for (const hunk of file.hunks) {
      let number = hunk.newStart;
      for (const line of hunk.lines) {
        const text = line.slice(1);
        // An empty line in a hunk is context whose leading space was trimmed, as the applier reads it.
        const context = line.startsWith(' ') || line === '';
        if (line.startsWith('-')) shown.before.push(text);
        if (!context && !line.startsWith('+')) continue;
        if (context) shown.before.push(text);
        else shown.added.push(text);
        shown.after.push(text);
        if (number <= 2) shown.firstLines[number - 1] = text;
        number += 1;
      }
    }
    return [shown];
  });
}

/** The lines a diff shows of the files it writes, before the change (context, removed) and after it (context, added). */
export function shownLines(diff: string): { before: string[]; after: string[] } {
  try {
    const files = filesShown(diff);
    return { before: files.flatMap((file) => file.before), after: files.flatMap((file) => file.after) };
  } catch {
    return { before: [], after: [] };
  }
}
