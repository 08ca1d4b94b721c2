import type { Incident } from '../domain/incident.js';
import { formatDuration } from '../duration.js';
import { COMMENT_MARKER, INJECTION_NOTICE, truncateComment } from './comment.js';
import { escapeMarkdown, link } from './markdown.js';

const ACTION_TEXT: Record<string, string> = {
  comment_only: 'No automatic action —',
  rerun_failed_jobs: 'Re-ran the failed jobs —',
  open_fix_pr: 'Proposed a fix pull request —',
  run_runbook: 'Started the runbook —',
  escalate: 'Escalated to the on-call team —',
};

/**
 * The short pull-request comment an experiment arm with `commentDetail: "short"` gets: status, root cause and
 * action in a few lines, without the job log excerpts, fix steps or knowledge list of the full comment. The same
 * marker, so it is updated in place like the full one; a pending approval always gets the full comment, because
 * the approver must see what is proposed.
 */
export function renderShortComment(incident: Incident, others: Incident[] = []): string {
  const resolved = incident.status === 'resolved';
  const open = others.filter((other) => other.id !== incident.id && other.status !== 'resolved').length;
  const run = incident.runId ? link(`run ${incident.runId} (attempt ${incident.runAttempt ?? 1})`, incident.runUrl) : 'this run';
  const parts = [
    COMMENT_MARKER,
    `${resolved ? '✅' : '❌'} **Pipeline Guard:** ${escapeMarkdown(incident.workflowName ?? 'Workflow')} ${resolved ? `fixed after ${formatDuration(incident.timeToRecoverySeconds)}` : 'failed'} in ${run} — \`${incident.category ?? 'unknown'}\`.`,
  ];
  if (incident.analysis?.injection) parts.push(INJECTION_NOTICE);
  else if (incident.analysis) parts.push(`**Root cause** (confidence ${incident.analysis.confidence.toFixed(2)}): ${escapeMarkdown(incident.analysis.rootCause)}`);
  if (incident.decision) {
    parts.push(`**Action:** ${incident.decision.dryRun ? '(dry run) ' : ''}${ACTION_TEXT[incident.decision.action] ?? escapeMarkdown(incident.decision.action)} ${escapeMarkdown(incident.decision.reason)}`);
  }
  if (open > 0) parts.push(`_${open} other failure${open === 1 ? '' : 's'} on this pull request still open._`);
  parts.push(`<sub>Incident \`${incident.id}\`</sub>`);
  return truncateComment(parts.join('\n\n'));
}
