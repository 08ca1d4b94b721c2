import { OUR_MARKER_PREFIX } from '../domain/comment-text.js';
import { rerunUnderWay } from '../domain/handoff.js';
import { type Incident, type KnowledgeMatch, outsiderCanRepeat } from '../domain/incident.js';
import type { JobFailureSummary } from '../domain/incident.js';
import { sameRepository } from '../domain/repository-key.js';
import { FAILED_RUN_CONCLUSIONS } from '../domain/trigger.js';
import { resolvedBySameCommitRerun } from '../baselines/flaky.js';
import { formatDuration } from '../duration.js';
import { isUserLogin } from '../github/roles.js';
import { FAILURE_IN_WORDS } from '../logs/categories.js';
import type { Category } from '../logs/types.js';
import { plannedProposalDigest } from '../remediation/proposal-digest.js';
import { codeBlock, defuseReferences, escapeMarkdown, inlineCode, link, sentenceWithCode } from './markdown.js';
import { DOWNLOADS_AND_RUNS_WARNING, FIX_PR_APPROVAL_NOTE, proposedChange } from './proposed-change.js';

/** Hidden marker that identifies the bot's comment (together with the bot's login). */
export const COMMENT_MARKER = `${OUR_MARKER_PREFIX}incident-comment -->`;
/**
 * The hidden marker of the guard's comment on a pushed commit: one per run (its attempts share it), found again by it
 * and the bot's login so a retry or a redelivery posts no second one.
 */
export function commitCommentMarker(incident: Pick<Incident, 'id' | 'runId'>): string {
  return `${OUR_MARKER_PREFIX}commit-comment run ${incident.runId ?? incident.id} -->`;
}

/** GitHub rejects comment bodies over 65,536 characters; stay clear of it. */
export const MAX_COMMENT_CHARS = 60_000;

const PROPOSAL_TEXT: Record<string, string> = {
  rerun_failed_jobs: 'Re-run the failed jobs',
  open_fix_pr: 'Open a fix pull request for review',
  run_runbook: 'Run the allow-listed runbook',
};

/** Said instead of the model's answer when the log tried to steer automated tools. */
export const INJECTION_NOTICE =
  '**Note:** the log contained text aimed at automated tools (AI assistants, bots). The analysis model\'s answer is not shown and no automatic action was taken on it; the failure lines are what the log rules found.';

/** What failed, in plain words, per category (the first line of the comment). */
const WHAT_FAILED = FAILURE_IN_WORDS;

/** Categories a change to the code can cause: with a determined diagnosis, the verdict is "caused by this change". */
const CODE_CATEGORIES: readonly Category[] = ['test_failure', 'compilation', 'lint', 'security_scan'];

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

/**
 * A `<details>` block: GitHub renders Markdown inside it when blank lines surround the content. The summary is
 * raw HTML, where Markdown escapes would show as backslashes, so it takes plain text and escapes it as HTML.
 */
function details(summary: string, body: string[]): string {
  return `<details><summary>${htmlText(summary)}</summary>\n\n${body.join('\n\n')}\n\n</details>`;
}

/** Text for raw HTML: entities for the characters HTML gives meaning to, mentions, references and links defused. */
function htmlText(text: string): string {
  const escaped = text
    .replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return defuseReferences(escaped);
}

function workflowLabel(incident: Incident): string {
  // An empty workflow name (GitHub sends "" for some dynamic workflows) must not render as `****`.
  return incident.workflowName && incident.workflowName.trim() !== '' ? incident.workflowName : 'the workflow';
}

function primaryJob(incident: Incident): JobFailureSummary | undefined {
  return incident.jobs.find((job) => job.failures.length > 0) ?? incident.jobs[0];
}

/** Longer than this, a stored summary is not a title: the category's words are said instead. */
const MAX_SUMMARY_CHARS = 260;

/**
 * The first line: what failed — the diagnosis's summary when it has one (the test, or the compiler's message, and
 * where: "Test `invoice › total` failed in `src/invoice.test.ts:43` — `test (node 22)` (CI)"), else the category in
 * plain words ("A test failed in `test (node 22)` (CI)"). The summary's quotes of the log render as code, the rest
 * escaped, as the diagnosis sentence below it is.
 */
function headline(incident: Incident): string {
  const job = primaryJob(incident);
  const summary = job?.diagnosis?.determined ? job.diagnosis.summary : undefined;
  if (job && typeof summary === 'string' && summary.length > 0 && summary.length <= MAX_SUMMARY_CHARS) {
    return `${sentenceWithCode(summary)} — ${inlineCode(job.jobName)} (${escapeMarkdown(workflowLabel(incident))})`;
  }
  const what = WHAT_FAILED[job?.category ?? incident.category ?? 'unknown'];
  const where = job ? ` in ${inlineCode(job.jobName)}` : '';
  const workflow = job ? ` (${escapeMarkdown(workflowLabel(incident))})` : ` in ${escapeMarkdown(workflowLabel(incident))}`;
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}${where}${workflow}`;
}


export type Verdict = 'flaky' | 'likely_flaky' | 'base_branch' | 'this_change' | 'not_determined';

/**
 * Whether this change caused the failure: flaky when the same commit passed on a re-run (or the baselines hold
 * flaky evidence for these tests), also failing on the base branch when the same fingerprint failed there,
 * caused by this change when the log rules determined a code failure, else not determined.
 */
export function verdictOf(incident: Incident): Verdict {
  if (incident.status === 'resolved' && resolvedBySameCommitRerun(incident)) return 'flaky';
  if (incident.flaky && incident.flaky.tests.length > 0) return 'likely_flaky';
  const base = incident.defaultBranch;
  const baseRunFailed = FAILED_RUN_CONCLUSIONS.has(incident.baseBranchRun?.conclusion ?? '');
  if (base && incident.branch !== base && (baseRunFailed || baseBranchMatch(incident))) {
    return 'base_branch';
  }
  const job = primaryJob(incident);
  if (job?.diagnosis?.determined && CODE_CATEGORIES.includes(job.category)) return 'this_change';
  return 'not_determined';
}

/**
 * An earlier failure of the same fingerprint on this repository's base branch, from the incident's history. The
 * history is read per repository (by its id: `listHistory`), and a match must still be this repository's (`sameRepository`):
 * another repository's `main` failing with the same line says nothing of this one's, and its run is not this pull
 * request's to link (attack pass 50, L1). None for a failure whose log an outsider writes (a fork's, `outsiderCanRepeat`): its
 * author picks its fingerprint, and printing a line the base branch once failed with made their own failure "probably
 * not caused by this change" (L3); GitHub's word on the base branch's latest run (`baseBranchRun`) still counts. Nor
 * one the base branch recovered from when the history was read: it is green again, and a change that brings the
 * failure back is this change's (L4).
 */
function baseBranchMatch(incident: Incident): KnowledgeMatch | null {
  const repository = incident.repository;
  if (!repository || outsiderCanRepeat(incident)) return null;
  const here = { full_name: repository, id: incident.repositoryId };
  const onBase = (match: KnowledgeMatch) =>
    match.branch === incident.defaultBranch &&
    match.incidentId !== incident.id &&
    match.status !== 'resolved' &&
    sameRepository({ repository: match.repository ?? null, repositoryId: match.repositoryId ?? null }, here);
  return (incident.knowledge?.matches ?? []).find(onBase) ?? null;
}

function verdictLine(incident: Incident): string {
  const verdict = verdictOf(incident);
  const text: Record<Verdict, string> = {
    flaky: 'flaky — it passed when the same commit was re-run.',
    likely_flaky: `probably flaky — ${escapeMarkdown(incident.flaky?.detail ?? 'these tests failed and passed on the same commit before')}.`,
    base_branch: (() => {
      const url = (FAILED_RUN_CONCLUSIONS.has(incident.baseBranchRun?.conclusion ?? '') ? incident.baseBranchRun?.url : null) ?? baseBranchMatch(incident)?.runUrl ?? null;
      return `also failing on the base branch ${inlineCode(incident.defaultBranch ?? '')}${url ? ` (${link('that run', url)})` : ''}: probably not caused by this change.`;
    })(),
    this_change: 'caused by this change — the log shows a failure in the code under test, not in the CI system.',
    // A diagnosis may name the cause (a full disk, a refused credential) without telling whether the change caused it.
    not_determined: primaryJob(incident)?.diagnosis?.determined
      ? 'not determined — the log shows what failed, not whether this change caused it; a human should judge.'
      : 'not determined — the log does not show clearly why; a human should look.',
  };
  return `**Verdict:** ${text[verdict]}`;
}

/** `https://github.com/o/r/actions/runs/1/attempts/2` for the re-run we started. */
function attemptUrl(incident: Incident, attempt: number): string | null {
  return incident.runUrl ? `${incident.runUrl.replace(/\/attempts\/\d+$/, '')}/attempts/${attempt}` : null;
}

/** The action line, from what actually happened (the applied decision's result), in plain words with links. */
function actionLine(incident: Incident): string | null {
  const decision = incident.decision;
  if (!decision) return null;
  const result = decision.result ?? '';
  if (decision.dryRun) {
    const would = decision.action === 'rerun_failed_jobs' ? 're-run the failed jobs' : decision.action === 'open_fix_pr' ? 'open a fix pull request' : 'act';
    return `**Action:** dry run — the guard would ${would}; nothing was done.`;
  }
  if (incident.status === 'resolved') {
    return decision.action === 'rerun_failed_jobs' && decision.applied
      ? '**Action:** the guard re-ran the failed jobs, and the re-run passed.'
      : null;
  }
  switch (decision.action) {
    case 'rerun_failed_jobs': {
      if (!decision.applied) return '**Action:** a re-run was planned but not started.';
      if (/already re-run/.test(result)) return '**Action:** none — the run had already been re-run.';
      const next = (incident.runAttempt ?? 1) + 1;
      return `**Action:** re-running the failed jobs (${link(`attempt ${next}`, attemptUrl(incident, next))}); this comment is updated with the result.`;
    }
    case 'open_fix_pr': {
      const pr = /fix PR #(\d+)[^:]*(?::\s*(https:\/\/\S+))?/.exec(result);
      return pr ? `**Action:** opened a fix pull request for review: ${link(`#${pr[1]}`, pr[2] ?? null)}.` : '**Action:** a fix pull request was planned but not opened.';
    }
    case 'comment_only':
      return '**Action:** nothing automatic — the fix is a change to the code (see below).';
    case 'escalate': {
      if (incident.approval?.status === 'timed_out' && incident.approval.unresumed) {
        return `**Action:** ${escapeMarkdown(incident.approval.decidedBy ?? 'a maintainer')} ${incident.approval.unresumed} the proposed fix, but the guard could not carry the decision out before the approval wait timed out; nothing was done, and on-call has been asked to look.`;
      }
      if (incident.approval?.status === 'timed_out') return '**Action:** nobody approved the proposed fix in time; on-call has been asked to look.';
      if (incident.approval?.status === 'failed') return '**Action:** the guard could not ask for approval of the proposed fix; nothing was done, and on-call has been asked to look.';
      if (incident.approval?.status === 'rejected') return `**Action:** ${escapeMarkdown(incident.approval.decidedBy ?? 'a maintainer')} rejected the proposed fix; nothing was done.`;
      if ((incident.runAttempt ?? 1) > 1 && /re-run/.test(decision.reason)) return '**Action:** it failed again after a re-run, so it is not a one-off; a human needs to look.';
      if (/^open_fix_pr planned, not applied/.test(decision.reason)) return '**Action:** the guard tried to prepare a fix pull request but could not; a human needs to look.';
      return '**Action:** nothing automatic — the guard cannot fix this safely; a human needs to look.';
    }
    default:
      return null;
  }
}

/**
 * A job's diagnosis as a paragraph. A determined one is led by **Why:**; one that is not determined opens with
 * "Root cause not determined" itself, and a label saying it again read "Not determined: Root cause not determined".
 */
function diagnosisLine(diagnosis: NonNullable<JobFailureSummary['diagnosis']>): string {
  return diagnosis.determined ? `**Why:** ${sentenceWithCode(diagnosis.rootCause)}` : sentenceWithCode(diagnosis.rootCause);
}

/** `line 7` or `lines 7–12`: a one-line failure read "lines 7–7". */
function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}–${end}`;
}

function renderJobs(incident: Incident): string[] {
  const out: string[] = [];
  const jobs = incident.jobs;
  if (jobs.length === 0 && incident.failureLines.length > 0) out.push(details('Failure lines', [codeBlock(inLogOrder(incident.failureLines))]));
  for (const job of jobs.slice(0, 8)) {
    const failure = job.failures[0];
    if (job.diagnosis) out.push(diagnosisLine(job.diagnosis));
    if (!failure) {
      out.push(`${link(`Job ${job.jobName}`, job.url)}: ${job.logSource === 'unavailable' ? '_the job log is no longer available._' : '_no failure lines found in the job log._'}`);
      continue;
    }
    const step = job.step && job.step.number !== null && job.step.startLine !== undefined ? job.step : null;
    const where = step
      ? `${lineRange(failure.startLine - step.startLine! + 1, failure.endLine - step.startLine! + 1)} of step ${step.number}${step.name ? ` (${step.name})` : ''}`
      : lineRange(failure.startLine, failure.endLine);
    const jump = link(`Open ${job.jobName} at the failing line`, jobLineUrl(job.url, job.step ?? null, failure.startLine));
    if (job.diagnosis?.fix[0] && job.diagnosis.determined) out.push(`**Fix:** ${sentenceWithCode(job.diagnosis.fix[0])}`);
    const body = [
      `${jump} — ${escapeMarkdown(where)}${job.logSource === 'annotations' ? ', from check annotations' : ''} · category \`${job.category}\``,
      // Classify keeps a run's failure lines within a budget: the lines of a failure past it are in the job log only.
      failure.lines.length > 0 ? codeBlock(inLogOrder(failure.lines)) : "_its lines were left out: the run's failures fill what an incident keeps; the job log has them._",
      ...(job.failures.length > 1 ? [`_${job.failures.length - 1} more failure(s) in this job._`] : []),
    ];
    out.push(details(`Log lines of ${job.jobName} (${where})`, body));
  }
  return out;
}

function runLink(incident: Incident): string {
  // A check run of another CI system has no Actions run: link the check on GitHub and the CI system's own page.
  if (incident.checkRun) {
    return `${link(`check run ${incident.checkRun.id}`, incident.runUrl)}${incident.checkRun.detailsUrl ? ` (${link(`details in ${incident.checkRun.appName}`, incident.checkRun.detailsUrl)})` : ''}`;
  }
  return incident.runId ? link(`run ${incident.runId} (attempt ${incident.runAttempt ?? 1})`, incident.runUrl) : 'this run';
}

/** Other incidents of the same run are its other attempts: they fold into one entry instead of one each. */
function sameRun(a: Incident, b: Incident): boolean {
  return a.runId !== null && a.runId === b.runId && a.repository === b.repository;
}

/** Newest attempt per run (the list comes newest first); the rest are counted as attempts. */
function latestPerRun(incidents: Incident[]): Incident[] {
  const seen = new Set<string>();
  const out: Incident[] = [];
  for (const other of [...incidents].sort((a, b) => (b.runAttempt ?? 1) - (a.runAttempt ?? 1) || b.createdAt.localeCompare(a.createdAt))) {
    const key = other.runId !== null ? `run:${other.runId}` : `id:${other.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(other);
  }
  return out;
}

function title(incident: Incident, stillFailing: number): string {
  if (incident.status !== 'resolved') {
    return rerunUnderWay(incident.decision) ? `### 🔁 Pipeline Guard: re-running — ${headline(incident)}` : `### ❌ Pipeline Guard: ${headline(incident)}`;
  }
  if (stillFailing > 0) return `### ⚠️ Pipeline Guard: fixed, ${stillFailing} other failure${stillFailing === 1 ? '' : 's'} still open`;
  return resolvedBySameCommitRerun(incident) ? '### ✅ Pipeline Guard: passed after re-run (marked flaky)' : '### ✅ Pipeline Guard: fixed';
}

/** The full entry of one failing run: what, why, verdict, action, then the detail folded. */
function renderOpen(incident: Incident, attempts: Incident[]): string[] {
  const parts: string[] = [];
  const failedAttempts = [...new Set([...attempts.map((a) => a.runAttempt ?? 1), incident.runAttempt ?? 1])].sort((a, b) => a - b);
  const attemptNote = failedAttempts.length > 1 ? ` — failed on attempts ${failedAttempts.join(', ')}` : '';
  parts.push(`**${escapeMarkdown(workflowLabel(incident))}** failed in ${runLink(incident)}${attemptNote} · category \`${incident.category ?? 'unknown'}\``);
  parts.push(verdictLine(incident));
  const analysis = incident.analysis;
  if (incident.approval?.status === 'pending' && incident.plan) {
    parts.push(
      `**Proposed:** ${PROPOSAL_TEXT[incident.plan.action] ?? escapeMarkdown(incident.plan.action)} — waiting for approval. ` +
        `${incident.plan.action === 'open_fix_pr' ? FIX_PR_APPROVAL_NOTE : 'This repository\'s policy asks for a person\'s approval first.'}` +
        `${renderProposedDiff(incident)}\n\n${howToDecide(incident)}`,
    );
  } else {
    const action = actionLine(incident);
    if (action) parts.push(action);
  }
  parts.push(...renderJobs(incident));
  if (analysis?.injection) {
    // Only the deterministic analysis (category, rule, failure lines) is shown: no model free text at all.
    parts.push(INJECTION_NOTICE);
  } else if (analysis) {
    const fix = analysis.fix.length > 0 ? [analysis.fix.slice(0, 10).map((step, i) => `${i + 1}. ${escapeMarkdown(step)}`).join('\n')] : [];
    // Without a per-job diagnosis the analysis is the only explanation and is shown as such; next to one, a
    // model's suggestion is extra detail and folds away (the offline analysis would only repeat the diagnosis).
    if (!incident.jobs.some((job) => job.diagnosis)) parts.push(`**Why:** ${escapeMarkdown(analysis.rootCause)}`, ...fix);
    else if (analysis.provider !== 'offline') parts.push(details('What the analysis model suggests', [escapeMarkdown(analysis.rootCause), ...fix]));
  }
  const known = (incident.knowledge?.entries ?? []).filter((entry) => entry.title.trim() !== '' || entry.fix.length > 0).slice(0, 3);
  if (known.length > 0) {
    parts.push(
      '**Known failures like this one**',
      known
        .map((entry) => {
              const record = entry.attempts > 0 ? `; ${entry.action.replace(/_/g, ' ')} worked ${entry.successes} of ${entry.attempts} times` : '';
              const how = entry.match === 'exact' ? 'same failure' : `${Math.round(entry.score * 100)}% similar`;
              const fix = entry.fix[0]?.trim();
          return `- ${escapeMarkdown(entry.title.slice(0, 160))} (${how}, ${entry.source}${escapeMarkdown(record)})${fix ? `: ${escapeMarkdown(fix)}` : ''}`;
        })
        .join('\n'),
    );
  }
  if (incident.stageErrors.length > 0) parts.push('_Part of the analysis failed; on-call has been told._');
  return parts;
}

/**
 * What makes a comment the guard's on a pushed commit: the marker that names its run (see {@link commitCommentMarker}),
 * and the user who started the run (`triggering_actor`), when known.
 */
export interface CommitCommentFor {
  marker: string;
  actor: string | null;
}

/**
 * The lines only a commit's comment has. GitHub notifies a commit's author of comments on it only when the commit's
 * e-mail belongs to their account, and whoever pushed may not be its author (a merge, a cherry-pick): the comment
 * @mentions the user who started the run, when that is a plain user login, never a bot (a mention reaches none) nor
 * anyone the log names (log text is escaped and fenced as everywhere). It is written once and never edited, which
 * would take the App's *Contents: write*: it says so, and where a later green run shows.
 */
function commitCommentLines(onCommit: CommitCommentFor): { greeting: string[]; footer: string[] } {
  const { actor } = onCommit;
  return {
    greeting: isUserLogin(actor) ? [`@${actor}: the run your push started failed.`] : [],
    footer: ["_This comment is not updated: the commit's checks show whether a later run passed._"],
  };
}

/**
 * The pull-request comment: one per pull request, read in five seconds (and, given `onCommit`, the comment on a
 * pushed commit, about its run alone: see {@link commitCommentLines}). The first line says what failed, then
 * the verdict (caused by this change / flaky / also failing on the base branch / not determined) and the action
 * that actually happened; log lines, model suggestions and history are folded into `<details>`. Attempts of one
 * run collapse into one entry; resolved failures fold away below the open ones. Everything from logs or the
 * analyzer is escaped or fenced, internal identifiers stay in HTML comments, and the result stays under GitHub's
 * size limit.
 */
export function renderComment(incident: Incident, others: Incident[] = [], onCommit?: CommitCommentFor): string {
  const attempts = others.filter((other) => other.id !== incident.id && sameRun(other, incident));
  const rest = latestPerRun(others.filter((other) => other.id !== incident.id && !sameRun(other, incident)));
  const stillFailing = rest.filter((other) => other.status !== 'resolved').slice(0, 5);
  const resolvedOthers = rest.filter((other) => other.status === 'resolved').slice(0, 5);
  const resolved = incident.status === 'resolved';
  const { greeting, footer } = onCommit ? commitCommentLines(onCommit) : { greeting: [], footer: [] };
  const parts: string[] = [onCommit?.marker ?? COMMENT_MARKER, `<!-- incident: ${incident.id} -->`, title(incident, stillFailing.length), ...greeting];
  if (resolved) {
    const how = resolvedBySameCommitRerun(incident) ? 'Passed' : 'Fixed';
    parts.push(`${how} in ${escapeMarkdown(incident.resolvedBy ?? 'a later run')} after ${formatDuration(incident.timeToRecoverySeconds)}.`);
    if (stillFailing.length > 0) parts.push('#### Also failing on this pull request', ...stillFailing.map(renderOther));
    parts.push(details(`${workflowLabel(incident)}: what had failed`, [`${headline(incident)} — ${runLink(incident)}`, ...renderJobs(incident)]));
  } else {
    parts.push(...renderOpen(incident, attempts));
    if (stillFailing.length > 0) parts.push('---', '#### Also failing on this pull request', ...stillFailing.map(renderOther));
  }
  if (resolvedOthers.length > 0) {
    parts.push(details(`Resolved on this pull request (${resolvedOthers.length})`, resolvedOthers.map((other) => `- ✅ ${headline(other)} — ${runLink(other)}, ${resolvedOtherBy(other)}`)));
  }
  parts.push(...footer);
  return truncateComment(parts.join('\n\n'));
}

/** How a resolved failure listed below the open ones ended: fixed in a later run, or superseded by one. */
function resolvedOtherBy(other: Incident): string {
  const by = escapeMarkdown(other.resolvedBy ?? 'a later run');
  return other.resolvedBy?.startsWith('superseded by ') ? by : `fixed in ${by}`;
}

/** A fix PR's change in the comment that asks for its approval, with its warning (see `proposedChange`). */
function renderProposedDiff(incident: Incident): string {
  const change = proposedChange(incident);
  if (!change) return '';
  const warning = change.downloadsAndRuns ? `\n\n> [!WARNING]\n> ${DOWNLOADS_AND_RUNS_WARNING}` : '';
  return `${warning}\n\nThe change that would be committed (${change.files.length} file${change.files.length === 1 ? '' : 's'}: ${change.files.map(inlineCode).join(', ')}):\n\n${codeBlock(change.lines, 'diff')}`;
}

/**
 * The digest an approval of a waiting proposal names: the proposal's as it stands, which is what the comment shows.
 * Null while a proposal that changed after its request is being asked again (the next request shows it): the
 * comment would show a change that an approval now could not reach.
 */
function shownDigest(incident: Incident): string | null {
  const digest = plannedProposalDigest(incident);
  return !digest || (incident.approval?.digest && incident.approval.digest !== digest) ? null : digest;
}

function howToDecide(incident: Incident): string {
  const digest = shownDigest(incident);
  if (!digest) return 'The proposal changed after it was shown and is being asked again; this comment shows how to approve it when it is.';
  return (
    `Someone with write access can reply \`/guard approve ${incident.id} ${digest}\` or \`/guard reject ${incident.id} <reason>\`. ` +
    `\`${digest}\` stands for exactly the proposal shown here: if the proposal changes, an approval naming it decides nothing.`
  );
}

/** Another open failure of the same pull request, in brief: one comment speaks for the whole PR. */
function renderOther(other: Incident): string {
  const job = primaryJob(other);
  const lines = [...other.failureLines].sort((a, b) => a.line - b.line).slice(0, 8);
  const waiting = other.approval?.status === 'pending' && other.plan;
  // The approver sees what this proposal would change here too, above the command: a cut comment loses the command
  // with the change.
  const decide = waiting ? [renderProposedDiff(other).trim(), howToDecide(other)].filter((part) => part !== '') : [];
  return [
    `<!-- incident: ${other.id} -->`,
    `**${headline(other)}** — ${runLink(other)}${waiting ? ' — waiting for approval' : ''}`,
    ...decide,
    ...(job?.diagnosis ? [diagnosisLine(job.diagnosis)] : []),
    verdictLine(other),
    ...(actionLine(other) ? [actionLine(other) as string] : []),
    ...(lines.length > 0 ? [details('Failure lines', [codeBlock(lines.map((l) => `${String(l.line).padStart(5)} | ${l.text}`))])] : []),
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

