import type { Incident } from '../domain/incident.js';
import type { JobFailureSummary } from '../domain/incident.js';
import { codeBlock, escapeMarkdown, link, sentenceWithCode } from './markdown.js';

/** Hidden marker that identifies the bot's comment (together with the bot's login). */
export const COMMENT_MARKER = '<!-- pipeline-guard:incident-comment -->';
/** GitHub rejects comment bodies over 65,536 characters; stay clear of it. */
export const MAX_COMMENT_CHARS = 60_000;

const PROPOSAL_TEXT: Record<string, string> = {
  rerun_failed_jobs: 'Re-run the failed jobs',
  open_fix_pr: 'Open a fix pull request for review',
  run_runbook: 'Run the allow-listed runbook',
};

const ACTION_TEXT: Record<string, string> = {
  comment_only: 'No automatic action —',
  rerun_failed_jobs: 'Re-ran the failed jobs —',
  open_fix_pr: 'Proposed a fix pull request —',
  run_runbook: 'Started the runbook —',
  escalate: 'Escalated to the on-call team —',
};

/** Said instead of the model's answer when the log tried to steer automated tools. */
export const INJECTION_NOTICE =
  '**Note:** the log contained text aimed at automated tools (AI assistants, bots). The analysis model\'s answer is not shown and no automatic action was taken on it; the failure lines above are what the log rules found.';

/** Failure lines come most-telling first; a reader wants them in log order. */
function inLogOrder(lines: Array<{ line: number; text: string }>): string[] {
  return [...lines].sort((a, b) => a.line - b.line).map((l) => `${String(l.line).padStart(5)} | ${l.text}`);
}

/**
 * GitHub's job page anchors a line as `#step:<step number>:<line within the step>`; without a step number from the
 * jobs API the link opens the job at its failing step's top instead of pointing at a wrong line.
 */
function jobLineUrl(jobUrl: string | null, step: JobFailureSummary['step'], line: number): string | null {
  if (!jobUrl) return null;
  if (!step || step.number === null || step.startLine === undefined || line < step.startLine) return jobUrl;
  return `${jobUrl}#step:${step.number}:${line - step.startLine + 1}`;
}

function renderJobs(incident: Incident): string[] {
  const out: string[] = [];
  const jobs = incident.jobs.length > 0 ? incident.jobs : [];
  if (jobs.length === 0 && incident.failureLines.length > 0) {
    out.push(codeBlock(inLogOrder(incident.failureLines)));
  }
  for (const job of jobs.slice(0, 8)) {
    const failure = job.failures[0];
    out.push(`#### ${link(`Job ${job.jobName}`, job.url)} — \`${job.category}\``);
    if (job.diagnosis) out.push(`**${job.diagnosis.determined ? 'Why' : 'Not determined'}:** ${sentenceWithCode(job.diagnosis.rootCause)}`);
    if (!failure) {
      out.push(job.logSource === 'unavailable' ? '_The job log is no longer available._' : '_No failure lines found in this job log._');
      continue;
    }
    const where = link(`lines ${failure.startLine}–${failure.endLine}`, jobLineUrl(job.url, job.step ?? null, failure.startLine));
    out.push(`Failure at ${where} (rule \`${failure.rule}\`${job.logSource === 'annotations' ? ', from check annotations' : ''}):`);
    out.push(codeBlock(inLogOrder(failure.lines)));
    if (job.failures.length > 1) out.push(`_${job.failures.length - 1} more failure(s) in this job._`);
  }
  return out;
}

/**
 * The pull-request comment for an incident. Everything from logs or the analyzer is escaped or fenced; the
 * result is kept under GitHub's size limit.
 */
export function renderComment(incident: Incident, others: Incident[] = []): string {
  const analysis = incident.analysis;
  const resolved = incident.status === 'resolved';
  const stillFailing = others.filter((other) => other.id !== incident.id && other.status !== 'resolved').slice(0, 5);
  const parts: string[] = [COMMENT_MARKER];
  const title = !resolved
    ? '### ❌ Pipeline Guard: workflow failed'
    : stillFailing.length > 0
      ? `### ⚠️ Pipeline Guard: fixed, ${stillFailing.length} other failure${stillFailing.length === 1 ? '' : 's'} still open`
      : '### ✅ Pipeline Guard: fixed';
  parts.push(title);
  // A check run of another CI system has no Actions run: link the check on GitHub and the CI system's own page.
  const run = incident.checkRun
    ? `${link(`check run ${incident.checkRun.id}`, incident.runUrl)}${incident.checkRun.detailsUrl ? ` (${link(`details in ${incident.checkRun.appName}`, incident.checkRun.detailsUrl)})` : ''}`
    : incident.runId
      ? link(`run ${incident.runId} (attempt ${incident.runAttempt ?? 1})`, incident.runUrl)
      : 'this run';
  parts.push(
    `**${escapeMarkdown(incident.workflowName ?? 'Workflow')}** failed in ${run} — category \`${incident.category ?? 'unknown'}\`.`,
  );
  if (resolved && incident.resolvedBy) {
    parts.push(`> Fixed in ${escapeMarkdown(incident.resolvedBy)} after ${formatDuration(incident.timeToRecoverySeconds)}.`);
  }
  parts.push(...renderJobs(incident));
  if (analysis?.injection) {
    // Only the deterministic analysis (category, rule, failure lines) is shown: no model free text at all.
    parts.push(INJECTION_NOTICE);
  } else if (analysis) {
    // The offline analyzer's root cause is the job's diagnosis, already shown as its "Why:" line.
    const said = incident.jobs.some((job) => job.diagnosis?.rootCause === analysis.rootCause);
    if (!said) parts.push(`**Root cause** (${escapeMarkdown(analysis.provider)}, confidence ${analysis.confidence.toFixed(2)}): ${escapeMarkdown(analysis.rootCause)}`);
    if (analysis.fix.length > 0) {
      parts.push('**Suggested fix**');
      parts.push(analysis.fix.slice(0, 10).map((step, i) => `${i + 1}. ${escapeMarkdown(step)}`).join('\n'));
    }
  }
  if (incident.approval?.status === 'pending' && incident.plan) {
    parts.push(
      `**Proposed:** ${PROPOSAL_TEXT[incident.plan.action] ?? escapeMarkdown(incident.plan.action)} — waiting for approval. ` +
        `${escapeMarkdown(incident.plan.reasons.join('; '))}${renderProposedDiff(incident)}\n\nSomeone with write access can reply \`/guard approve ${incident.id}\` or \`/guard reject ${incident.id} <reason>\` (the id may be left out while this is the only proposal waiting).`,
    );
  } else if (incident.decision) {
    const action = ACTION_TEXT[incident.decision.action] ?? escapeMarkdown(incident.decision.action);
    const prefix = incident.decision.dryRun ? '(dry run) ' : '';
    parts.push(`**Action:** ${prefix}${action} ${escapeMarkdown(incident.decision.reason)}`);
  }
  if (incident.knowledge && incident.knowledge.seenBefore > 0) {
    parts.push(`**History:** ${escapeMarkdown(incident.knowledge.summary)}`);
  }
  const known = (incident.knowledge?.entries ?? []).slice(0, 3);
  if (known.length > 0) {
    parts.push(
      '**Known failures like this one**',
      known
        .map((entry) => {
          const record = entry.attempts > 0 ? `; ${entry.action.replace(/_/g, ' ')} worked ${entry.successes} of ${entry.attempts} times` : '';
          const how = entry.match === 'exact' ? 'same failure' : `${Math.round(entry.score * 100)}% similar`;
          return `- ${escapeMarkdown(entry.title.slice(0, 160))} (${how}, ${entry.source}${escapeMarkdown(record)}): ${escapeMarkdown(entry.fix[0] ?? '')}`;
        })
        .join('\n'),
    );
  }
  if (incident.stageErrors.length > 0) {
    parts.push(`_Some analysis steps failed (${incident.stageErrors.map((e) => escapeMarkdown(e.stage)).join(', ')}); a human has been notified._`);
  }
  if (stillFailing.length > 0) parts.push('---', '#### Also failing on this pull request', ...stillFailing.map(renderOther));
  parts.push(`<sub>Incident \`${incident.id}\` · fingerprint \`${(incident.fingerprint ?? 'none').slice(0, 16)}\`</sub>`);
  return truncateComment(parts.join('\n\n'));
}

/** A fix PR waits for approval: the approver sees exactly the change that would be committed. */
function renderProposedDiff(incident: Incident): string {
  const patch = incident.plan?.action === 'open_fix_pr' ? incident.analysis?.patch : undefined;
  if (!patch) return '';
  return `\n\nThe change that would be committed (${patch.files.length} file${patch.files.length === 1 ? '' : 's'}: ${patch.files.map((f) => `\`${f.replace(/`/g, '')}\``).join(', ')}):\n\n${codeBlock(patch.diff.split('\n'), 'diff')}`;
}

/** Another open incident of the same pull request, in brief: one comment speaks for the whole PR. */
function renderOther(other: Incident): string {
  const run = other.runId ? link(`run ${other.runId}`, other.runUrl) : 'a run';
  const lines = [...other.failureLines].sort((a, b) => a.line - b.line).slice(0, 8);
  const action = other.approval?.status === 'pending' && other.plan
    ? `waiting for approval: reply \`/guard approve ${other.id}\``
    : other.decision
      ? escapeMarkdown(`${other.decision.action}: ${other.decision.reason}`)
      : 'being analysed';
  return [
    `**${escapeMarkdown(other.workflowName ?? 'Workflow')}** failed in ${run} — \`${other.category ?? 'unknown'}\` — ${action}`,
    ...(lines.length > 0 ? [codeBlock(lines.map((l) => `${String(l.line).padStart(5)} | ${l.text}`))] : []),
    `<sub>Incident \`${other.id}\`</sub>`,
  ].join('\n\n');
}

export function truncateComment(body: string): string {
  if (body.length <= MAX_COMMENT_CHARS) return body;
  const note = '\n\n_…comment truncated to stay within GitHub limits._';
  // Room for the note and for a closing fence of the longest possible length.
  const reserve = note.length + 64;
  let cut = body.slice(0, MAX_COMMENT_CHARS - reserve);
  // An odd number of fences means we cut inside a code block: close it so the rest does not render as code.
  const fences = cut.match(/^`{3,}/gm) ?? [];
  const open = fences[fences.length - 1];
  if (fences.length % 2 === 1 && open) cut += `\n${open.slice(0, 60)}`;
  return cut + note;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'an unknown time';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
