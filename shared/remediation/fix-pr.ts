import { applyPatch, parsePatch } from 'diff';
import { appliedPath, checkPatch } from '../analysis/patch.js';
import type { Incident } from '../domain/incident.js';
import { codeBlock, escapeMarkdown, link } from '../notify/markdown.js';

/** A patch that cannot become a fix PR (unsafe path, does not apply). Not retried: the incident is escalated. */
export class PatchRefusedError extends Error {
  override name = 'PatchRefusedError';
  constructor(message: string) {
    super(message);
  }
}

/** One file of the fix commit: the new content, or null to delete it. */
export interface FixFile {
  path: string;
  content: string | null;
}

/** Labels every fix PR carries, so reviewers and branch protection can treat them differently. */
export const FIX_PR_LABELS = ['autofix', 'needs-review'] as const;

export function fixBranchName(incidentId: string): string {
  return `guard/fix-${incidentId}`;
}

/**
 * Turns a unified diff into the files of a commit, reading each file's current content at the failing commit.
 * The patch is checked again here (it was checked when stored), so nothing that touches workflows, secrets or
 * paths outside the repository can reach a commit even if a stored analysis was tampered with.
 */
export async function buildFixFiles(patch: string, readFile: (path: string) => Promise<string | null>): Promise<FixFile[]> {
  const check = checkPatch(patch);
  if (!check.ok) throw new PatchRefusedError(`patch refused: ${check.reason}`);
  const files: FixFile[] = [];
  for (const filePatch of parsePatch(check.patch.diff)) {
    const oldPath = appliedPath(filePatch.oldFileName, 'a/');
    const newPath = appliedPath(filePatch.newFileName, 'b/');
    for (const path of [oldPath, newPath]) {
      if (path !== null && !check.patch.files.includes(path)) throw new PatchRefusedError(`patch refused: it would write ${path}, which the check did not pass`);
    }
    const source = oldPath === null ? '' : await readFile(oldPath);
    if (source === null) throw new PatchRefusedError(`patch refused: ${oldPath} does not exist at the failing commit`);
    // A new file or a rename writes the whole of its target: a target that exists would be replaced by content the
    // diff never showed it losing.
    if (newPath !== null && newPath !== oldPath && (await readFile(newPath)) !== null) {
      throw new PatchRefusedError(`patch refused: ${newPath} already exists at the failing commit, and the diff would replace it whole`);
    }
    const result = applyPatch(source, filePatch);
    if (result === false) throw new PatchRefusedError(`patch refused: it does not apply cleanly to ${oldPath ?? newPath}`);
    if (newPath === null) {
      // A deletion is committed whole: its hunks must show every line that goes, or the diff hides what is removed.
      if (result !== '') throw new PatchRefusedError(`patch refused: the deletion does not remove all of ${oldPath}: the diff shows only part of it`);
      files.push({ path: oldPath as string, content: null });
      continue;
    }
    if (oldPath !== null && oldPath !== newPath) files.push({ path: oldPath, content: null });
    files.push({ path: newPath, content: result });
  }
  if (files.length === 0) throw new PatchRefusedError('patch refused: it changes no file');
  return files;
}

/** The fix PR's description: what failed, why this should fix it, how sure we are, and that a human decides. */
export function fixPrBody(incident: Incident): string {
  const analysis = incident.analysis;
  const lines = [
    `Pipeline Guard proposes this change for the failure in ${link(`run ${incident.runId}`, incident.runUrl)}` +
      `${incident.pullRequest ? ` on #${incident.pullRequest}` : ''}.`,
    '',
    `**Root cause** (${escapeMarkdown(analysis?.provider ?? 'unknown')}, confidence ${(analysis?.confidence ?? 0).toFixed(2)}): ${escapeMarkdown(analysis?.rootCause ?? '')}`,
    '',
  ];
  if (analysis && analysis.evidence.length > 0) {
    lines.push('**Evidence from the job log**', '', codeBlock(analysis.evidence.slice(0, 10)), '');
  }
  if (analysis && analysis.fix.length > 0) {
    lines.push('**What the change does**', '', ...analysis.fix.slice(0, 10).map((step, i) => `${i + 1}. ${escapeMarkdown(step)}`), '');
  }
  lines.push(
    '> [!IMPORTANT]',
    '> Generated automatically and never merged by Pipeline Guard. Review it like any other change; close it if it is wrong.',
    '',
    `<sub>Incident \`${incident.id}\` · fingerprint \`${(incident.fingerprint ?? 'none').slice(0, 16)}\`</sub>`,
  );
  return lines.join('\n');
}
