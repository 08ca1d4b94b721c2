import { downloadsAndRuns } from '../analysis/downloads-and-runs.js';
import { addedLines, shownLines } from '../analysis/diff-reading.js';
import type { Incident } from '../domain/incident.js';

/**
 * What approving a fix PR does. The approver may take it for the first review of a change that runs only once merged;
 * but the commit is pushed to a branch of the repository itself, so its push and pull-request workflows run it with
 * the repository's secrets as soon as it is approved.
 */
export const FIX_PR_APPROVAL_NOTE =
  'A fix pull request always waits for approval from someone with write access, who sees the change first. Approving ' +
  "pushes it to a branch of this repository, where workflows that run on push or pull requests run it with the repository's " +
  'secrets: approve only a change you would run yourself.';

/** Said when {@link ProposedChange.downloadsAndRuns}. */
export const DOWNLOADS_AND_RUNS_WARNING =
  'This change downloads something and, on another line, runs code: check that what runs is not what was downloaded before approving.';

export interface ProposedChange {
  readonly files: readonly string[];
  /** The diff's lines, exactly as they would be committed. */
  readonly lines: readonly string[];
  /**
   * It downloads something and runs code elsewhere: the patch check refuses the two on one line; across lines only
   * a reader can tell whether what runs is what was downloaded.
   */
  readonly downloadsAndRuns: boolean;
}

/**
 * The change a fix PR waiting for approval would commit, which every approval request shows in full (on the pull
 * request, or in the e-mail for a run without one): the approver sees exactly what the approval commits.
 */
export function proposedChange(incident: Incident): ProposedChange | null {
  const patch = incident.plan?.action === 'open_fix_pr' ? incident.analysis?.patch : undefined;
  if (!patch) return null;
  // The context lines too: a download already there and a run added next to it are the same two lines (attack pass 12).
  const shown = shownLines(patch.diff);
  const warns = downloadsAndRuns(addedLines(patch.diff).join('\n')) || (downloadsAndRuns(shown.after.join('\n')) && !downloadsAndRuns(shown.before.join('\n')));
  return { files: patch.files, lines: patch.diff.split('\n'), downloadsAndRuns: warns };
}
