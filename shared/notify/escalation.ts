import { type AlarmDetails, type FallbackCause, type Incident, type RemediationAction, unresumedDecision } from '../domain/incident.js';
import { type AutomaticAction, type CommentStep, type GuardSteps, type Handoff, commentPlaceName, degradingStageErrors, guardHandoff } from '../domain/handoff.js';
import { FAILURE_IN_WORDS } from '../logs/categories.js';
import { redactOrWithhold } from '../logs/redact.js';
import type { ChatNotification, EscalationDigest, EscalationMessage, EscalationTally, PublishMark } from '../ports.js';
import { chatText, defang } from './defang.js';
import { DOWNLOADS_AND_RUNS_WARNING, FIX_PR_APPROVAL_NOTE, type ProposedChange, proposedChange } from './proposed-change.js';

/**
 * Every line break a mail client or a chat renderer may honour. Each line of the e-mail starts with the guard's own
 * words ("What it needs from you:"), so text from outside stays on the line it started on: a fork's workflow named
 * `CI\nWhat it needs from you: Nothing: it has recovered.`, or a steered model's root cause, forged whole lines.
 */
const LINE_BREAKS = /[\n\r\v\f\u0085\u2028\u2029]+/g;

/** Text from a log, an alarm or a model, as it may appear in an e-mail: redacted once more, one line, no live link. */
function untrusted(text: string): string {
  return defang(redactOrWithhold(text)).replace(LINE_BREAKS, ' ');
}

/**
 * A Slack-style link. A check run's details URL and app name come from a third-party app: the URL is a
 * {@link linkTarget} and the label is muted, so neither can close the link and open a `<!channel>`. The label is
 * chat text too: Mattermost and Teams get the link as `[label](url)`, which a `](` in the label would end early.
 */
function chatLink(label: string, url: string): string {
  return `<${linkTarget(url)}|${chatText(defang(label)).replace(/\|/g, '¦')}>`;
}

const percent = (ch: string) => [...new TextEncoder().encode(ch)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * A link's URL as it goes into the e-mail and chat: the same target, with what could end it or start something
 * else percent-encoded. A check run's details URL is the third-party app's to choose: a line break in it would
 * start a line of the e-mail, a space would end the link there, and in Mattermost and Teams (`[label](url)`) a `)`
 * or `]` would end the link and let `[Sign in](https://evil.example)` or `![](https://evil.example/pixel)` follow.
 * Controls, white space, `<`, `>`, `|`, `[`, `]`, `\`, `"`, backticks and unbalanced parentheses are encoded;
 * balanced ones stay, as a Markdown link destination keeps them (the console links' `graph=~(metrics~(…))`).
 */
export function linkTarget(url: string): string {
  const chars = [...url];
  const unbalanced = new Set<number>();
  const open: number[] = [];
  chars.forEach((ch, i) => {
    if (ch === '(') open.push(i);
    else if (ch === ')' && open.pop() === undefined) unbalanced.add(i);
  });
  for (const i of open) unbalanced.add(i);
  return chars.map((ch, i) => (unbalanced.has(i) || /[\p{Cc}\p{Cf}\p{Z}\s<>|[\]\\"`]/u.test(ch) ? percent(ch) : ch)).join('');
}

/** Printable ASCII only, as SNS wants for a subject. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '');
}

/** SNS takes a subject of at most 100 printable ASCII characters. */
const SUBJECT_MAX = 100;

/**
 * Which of `texts` (the fullest first, then shorter ones) an escalation names, in its e-mail subject and its chat
 * title alike: the first whose subject (`subjectPrefix`, then the text as the subject spells it) fits SNS's 100
 * characters, else the last, which each cuts. The chat title's prefix is shorter, so what fits the subject fits it
 * too; each choosing by its own room made the e-mail and the chat message of one incident name different things.
 */
function headlineText(subjectPrefix: string, texts: readonly string[]): string {
  return texts.find((t) => `${subjectPrefix}${defang(ascii(t))}`.length <= SUBJECT_MAX) ?? texts[texts.length - 1] ?? '';
}

/**
 * An e-mail subject: our prefix, then untrusted text defanged as the body is. SNS takes at most 100 printable ASCII
 * characters: the others go before defang (removed after, `www\u200b.evil.com` would come back together), and a
 * longer subject is cut before a word rather than inside one (a cut after defang could leave a host it did not
 * see: `evil.comx` → `evil.com`).
 */
function subject(prefix: string, text: string): string {
  const full = `${prefix}${defang(ascii(text))}`;
  if (full.length <= SUBJECT_MAX) return full;
  const cut = full.slice(0, SUBJECT_MAX + 1);
  const atWord = cut.lastIndexOf(' ');
  if (atWord > prefix.length) return cut.slice(0, atWord).trimEnd();
  // One word too long for the room (an alarm name has no spaces): cut before a word, the subject named nothing (a
  // retry's `[REPLACES EARLIER]` subject lost the alarm's name, attack-44c S9). It is cut inside the word instead, before
  // defang, so defang sees what the subject shows; cut shorter while defang's brackets take it past the limit.
  const plain = ascii(text);
  for (let room = SUBJECT_MAX - prefix.length; room > 0; room -= 1) {
    const named = `${prefix}${defang(plain.slice(0, room))}`;
    if (named.length <= SUBJECT_MAX) return named.trimEnd();
  }
  return prefix.trimEnd();
}

/**
 * A chat title: our prefix, then untrusted text in the e-mail subject's characters (printable ASCII), cut to about
 * 100 characters before it is defanged (a cut after could leave a host defang did not see: `evil.comx` →
 * `evil.com`), with no mention or Markdown link. The look-alikes chatText puts in stay: removing them would join
 * what they separate (`www<>.evil.com`).
 */
function chatTitle(prefix: string, text: string): string {
  const room = Math.max(0, SUBJECT_MAX - prefix.length);
  return `${prefix}${chatText(defang(ascii(text).slice(0, room)))}`;
}

function severityOf(incident: Incident): string {
  if (incident.source === 'cloudwatch') return 'high';
  // A knowledge lookup that failed alone leaves the analysis whole: no more urgent than the decision says.
  if (degradingStageErrors(incident).length > 0) return 'high';
  return incident.decision?.action === 'escalate' ? 'medium' : 'low';
}

const WHAT_FAILED: Record<string, string> = { ...FAILURE_IN_WORDS, unknown: 'the cause is not determined' };

const consoleBase = (region: string) => `https://${region}.console.aws.amazon.com`;

/** CloudWatch's metric-graph URL state is a tilde-encoded list; `/` in a namespace is written `*2f`. */
function tilde(value: string): string {
  return `'${value.replace(/\*/g, '*2a').replace(/\//g, '*2f').replace(/[~'()!]/g, (ch) => `*${ch.charCodeAt(0).toString(16)}`)}`;
}

/** Console links for an alarm: the alarm page, the metric graph of a single-metric alarm, a Lambda's log group. */
export function alarmLinks(alarm: AlarmDetails): Array<[string, string]> {
  const base = `${consoleBase(alarm.region)}/cloudwatch/home?region=${alarm.region}`;
  const links: Array<[string, string]> = [['Alarm', `${base}#alarmsV2:alarm/${encodeURIComponent(alarm.name)}`]];
  const input = alarm.inputs?.[0];
  if (alarm.kind !== 'composite' && alarm.namespace && alarm.metric && input) {
    const dims = /^\S+ \S+ (\S+=\S+(?:,\S+=\S+)*)/.exec(input)?.[1]?.split(',').flatMap((pair) => pair.split('=')) ?? [];
    const metric = [alarm.namespace, alarm.metric, ...dims].map(tilde).join('~');
    const stat = alarm.statistic ? `~stat~${tilde(alarm.statistic)}` : '';
    const period = alarm.period ? `~period~${alarm.period}` : '';
    links.push(['Metric graph', `${base}#metricsV2:graph=~(metrics~(~(~${metric}))~region~${tilde(alarm.region)}${stat}${period})`]);
  }
  const fn = /FunctionName=([\w-]+)/.exec(alarm.inputs?.join(' ') ?? '')?.[1];
  if (fn) links.push(['Log group', `${base}#logsV2:log-groups/log-group/${encodeURIComponent(encodeURIComponent(`/aws/lambda/${fn}`))}`]);
  return links;
}

function githubLinks(incident: Incident): Array<[string, string]> {
  const links: Array<[string, string]> = [];
  const host = incident.runUrl ? /^https:\/\/[^/]+/.exec(incident.runUrl)?.[0] : null;
  if (incident.pullRequest && incident.repository && host) links.push(['Pull request', `${host}/${incident.repository}/pull/${incident.pullRequest}`]);
  if (incident.runUrl) links.push([incident.checkRun ? 'Check run' : 'Run', incident.runUrl]);
  if (incident.checkRun?.detailsUrl) links.push([`Build in ${incident.checkRun.appName}`, incident.checkRun.detailsUrl]);
  const job = incident.jobs.find((j) => j.failures.length > 0);
  if (job?.url) links.push(['Failing job', job.url]);
  return links;
}

/** What the alarm evaluates, once: the metric and threshold, the expression and its inputs, the rule, the band. */
function alarmFacts(alarm: AlarmDetails): string[] {
  const lines: string[] = [];
  if (alarm.description) lines.push(`Description: ${untrusted(alarm.description)}`);
  if (alarm.kind === 'composite') {
    lines.push(`Rule: ${untrusted(alarm.rule ?? '')}`);
    lines.push(`Fired because of: ${alarm.children && alarm.children.length > 0 ? alarm.children.map(untrusted).join(', ') : 'the rule (no triggering child named)'}`);
  } else if (alarm.kind === 'math') {
    lines.push(`Evaluates: ${untrusted(alarm.expression ?? '')}${alarm.threshold !== null ? `, threshold ${alarm.threshold}` : ''}`);
    for (const input of alarm.inputs ?? []) lines.push(`  input: ${untrusted(input)}`);
  } else if (alarm.kind === 'anomaly') {
    lines.push(`Evaluates: ${untrusted(alarm.inputs?.[0] ?? alarm.metric ?? '')} against ${untrusted(alarm.expression ?? 'its anomaly band')}`);
    if (alarm.band) lines.push(`Expected band at the breach: ${alarm.band.lower} to ${alarm.band.upper}`);
  } else {
    lines.push(`Evaluates: ${untrusted(alarm.inputs?.[0] ?? [alarm.namespace, alarm.metric].filter(Boolean).join(' '))}${alarm.threshold !== null ? `, threshold ${alarm.threshold}` : ''}`);
  }
  if (alarm.datapoints && alarm.datapoints.length > 0) lines.push(`Datapoints: ${alarm.datapoints.join(', ')}`);
  // The reason repeats the datapoints and threshold for metric alarms; it is only worth its line when nothing
  // above says what happened (composites, unusual alarms).
  if (alarm.kind === 'composite' || !alarm.datapoints || alarm.datapoints.length === 0) lines.push(`CloudWatch says: ${untrusted(alarm.reason)}`);
  return lines;
}

/** What the guard did, after "What the guard tried:". */
const TRIED: Record<AutomaticAction, string> = {
  rerun_failed_jobs: 're-ran the failed jobs',
  open_fix_pr: 'opened a fix pull request for review',
  run_runbook: 'started the allow-listed runbook',
};

/** What the guard would do or meant to do, after "asks for approval to", "chose to" and a maintainer's "approved". */
export const PLANNED: Record<RemediationAction, string> = {
  comment_only: 'explain it on the pull request',
  rerun_failed_jobs: 're-run the failed jobs',
  open_fix_pr: 'open a fix pull request',
  run_runbook: 'run the allow-listed runbook',
  escalate: 'escalate',
};

/** What a comment-only decision came to: explained (on the pull request, on the pushed commit) only when the comment is there. */
function explained(comment: CommentStep | null): string {
  switch (comment?.state) {
    case 'posted':
      return comment.on.kind === 'pull_request' ? 'explained it on the pull request' : `explained it in a comment on ${commentPlaceName(comment.on)}`;
    case 'pending':
      return `nothing automatic; its comment on ${commentPlaceName(comment.on)} waits for GitHub's write budget (next try at ${comment.retryAt})`;
    case 'not_posted':
      return `nothing automatic, and it could not comment on ${commentPlaceName(comment.on)}`;
    case 'unknown':
      return `nothing automatic; whether its comment reached ${commentPlaceName(comment.on)} is not known, since its notify step failed`;
    case 'nowhere_to_comment':
      return 'nothing automatic, and the run has no pull request to explain it on';
    default:
      return 'nothing automatic';
  }
}

function tried(incident: Incident, { decision, comment }: GuardSteps): string {
  const approval = incident.approval;
  const unresumed = unresumedDecision(approval);
  if (unresumed) {
    const which = unresumed.decision === 'approved' ? 'approval' : 'rejection';
    return `nothing: it could not resume its execution with the ${which} of ${approval?.decidedBy ?? 'a maintainer'}, and ${unresumed.waitOver ? 'the wait timed out' : 'gave up trying'}.`;
  }
  const attempt = (incident.runAttempt ?? 1) > 1 ? ` This is attempt ${incident.runAttempt} of the run.` : '';
  switch (decision.kind) {
    case 'undecided':
      return 'nothing yet: the pipeline did not reach a decision';
    case 'awaiting_approval':
      return `nothing yet: it asks for approval to ${decision.action ? PLANNED[decision.action] : 'act'}`;
    case 'dry_run':
      return 'nothing (dry run)';
    case 'comment_only':
      // "Explained it on the pull request" only when it did: a comment that never got GitHub's write budget, or a
      // run without a pull request, leaves this e-mail as the only explanation.
      return `${explained(comment)}.${attempt}`;
    case 'escalated':
      return `nothing automatic: it could not act safely.${attempt}`;
    case 'run_not_ended':
      // Its holder's start or a later ALARM's follow of it: the run is named, not who made it.
      return `the allow-listed runbook, run ${decision.executionId ?? '(not recorded)'}, which has not ended: its outcome is told once it ends.${attempt}`;
    case 'acted':
      return `${TRIED[decision.action]}.${attempt}`;
    case 'not_acted':
      return `it chose to ${PLANNED[decision.action]}, which did not happen${decision.result ? ` (${untrusted(decision.result)})` : ''}.${attempt}`;
  }
}

/** `commands`: whether the approval commands follow this line. */
function needs(handoff: Handoff, resolved: boolean, commands: boolean): string {
  if (!handoff.mustAct) return resolved ? 'Nothing: it has recovered.' : 'Nothing for now: the guard is handling it, and escalates again if a person is needed.';
  const [first] = handoff.needed;
  switch (first?.kind) {
    case 'approve':
      if (first.onPullRequest) return `Approve or reject the proposal on ${first.onPullRequest.repository}#${first.onPullRequest.number} with /guard approve or /guard reject.`;
      return commands ? 'Approve or reject the proposal with one of these commands:' : 'Approve or reject the proposal with the commands of the approval request e-mail.';
    case 'carry_out_decision':
      return carryOut(first);
    case 'look_at_alarm':
      return 'Look at the alarm and the metric; when the cause is fixed the alarm returns to OK and the guard records the recovery.';
    case 'read_log':
      return 'The guard could not finish its own analysis: read the run\'s log yourself.';
    case 'read_comment':
      return first.on.kind === 'pull_request'
        ? 'Look at the pull request: the comment there has the failing lines and the verdict.'
        : `Look at ${commentPlaceName(first.on)}: the guard's comment there has the failing lines and the verdict.`;
    case 'check_comment':
      return `Look at the run: the guard's notify step failed, so ${commentPlaceName(first.on)} may not have its comment. A green run on the same branch resolves this.`;
    case 'look_at_run':
      return first.on
        ? `Look at the run: the failing lines are above, and ${commentPlaceName(first.on)} has no comment from the guard. A green run on the same branch resolves this.`
        : 'Look at the run: nobody else was told (there is no pull request). A green run on the same branch resolves this.';
    default:
      return 'Look at the failure.';
  }
}

/** What to do about a maintainer's decision that never reached the execution (see `carry_out_decision`). */
function carryOut(decided: Extract<Handoff['needed'][number], { kind: 'carry_out_decision' }>): string {
  const by = decided.by ?? 'a maintainer';
  const why = "The incident's timeline and the reconciler's log say why the guard could not resume it.";
  if (decided.decision === 'rejected') return `Check why the guard could not resume its execution with ${by}'s rejection: nothing was applied, as the rejection asked, so nothing needs undoing. ${why}`;
  const todo = decided.action ? PLANNED[decided.action] : 'do what was proposed';
  const ended = decided.retry
    ? `the guard gave up resuming its execution, which applies nothing. Or have the guard try again instead (not both): reply ${decided.retry} on the pull request while its approval wait runs.`
    : "the guard's execution has ended and applies nothing.";
  return `${todo.charAt(0).toUpperCase()}${todo.slice(1)} by hand if it is still wanted, as ${by} approved: ${ended} ${why}`;
}

/**
 * What happened: the subject's tag (`[ALARM]`), the rest of the subject and the chat title, and the body's first
 * line. `about` is their text, then shorter ones for when it does not fit: a CI failure's gives up the workflow, then the branch
 * (which tells on-call whether `main` or a release is broken), before what failed, which the cut at 100 characters
 * took first ("…on feature/tax-rounding: the code does").
 */
function what(incident: Incident): { tag: string; about: string[]; headline: string } {
  if (incident.source === 'cloudwatch') {
    const alarm = incident.alarm;
    const name = alarm?.name ?? 'unknown alarm';
    return {
      tag: '[ALARM]',
      about: [`${name} in ${alarm?.region ?? '?'} (${alarm?.account ?? '?'})`],
      headline: `CloudWatch alarm ${name} went ${alarm?.previousState ?? '?'} -> ${alarm?.state ?? 'ALARM'} at ${alarm?.stateChangedAt ?? '?'} (${alarm?.kind ?? 'metric'} alarm, ${alarm?.region}, account ${alarm?.account}).`,
    };
  }
  const workflow = incident.workflowName && incident.workflowName.trim() !== '' ? incident.workflowName : 'A workflow';
  // A failure of no known category may still be explained (a script's NameError): "the cause is not determined"
  // then contradicted the "What failed" below it.
  const category = incident.category ?? 'unknown';
  const explained = category === 'unknown' && incident.jobs.some((job) => job.diagnosis?.determined);
  const failed = explained ? FAILURE_IN_WORDS.unknown : (WHAT_FAILED[category] ?? 'it failed');
  const repository = incident.repository ?? 'a repository';
  const where = `${repository}${incident.branch ? ` on ${incident.branch}` : ''}`;
  const trigger = incident.runEvent === 'schedule' ? ' (scheduled run)' : incident.pullRequest ? ` (pull request #${incident.pullRequest})` : '';
  return {
    tag: '[CI failed]',
    about: [`${workflow} in ${where}: ${failed}`, `${where}: ${failed}`, `${repository}: ${failed}`],
    headline: `${workflow} failed in ${where}${trigger}: ${failed}.`,
  };
}

/** The console links of an alarm, or the pull request, run and failing job of a CI failure, as link targets. */
function incidentLinks(incident: Incident): Array<[string, string]> {
  // A label can hold a third-party app's name (`Build in <app>`): in the e-mail it starts a line of its own, where a
  // line break in it would write the next line in the guard's words, and a host in it would arrive as a live link.
  return (incident.alarm ? alarmLinks(incident.alarm) : githubLinks(incident)).map(([label, url]) => [untrusted(label), linkTarget(url)]);
}

/**
 * A page of the reconciler's fallback, by why it stepped in: its `kind` (the message attribute subscribers filter on,
 * and a chat keyword) and the tag its subject and chat title start with, when the failure's own tag alone would
 * not say it: a give-up would read as one more failure of the pipeline (`[CI failed]`), so it is tagged `[Given up]`,
 * and the ledger counts it on a problem of its own (`guard-reconcile-given-up`), not on its repository's page.
 */
export const FALLBACK_PAGE: Record<FallbackCause, { kind: string; tag: string | null }> = {
  notify_failed: { kind: 'notify-failed', tag: null },
  pipeline_failed: { kind: 'pipeline-unfinished', tag: null },
  not_started: { kind: 'pipeline-not-started', tag: null },
  reconcile_given_up: { kind: 'reconcile-given-up', tag: '[Given up]' },
};

/** The fallback page `incident` is the subject of, when the reconciler's fallback tells on-call of it. */
function fallbackPageOf(incident: Incident): (typeof FALLBACK_PAGE)[FallbackCause] | null {
  return incident.notifiedByFallback && incident.fallbackEscalation ? FALLBACK_PAGE[incident.fallbackEscalation.cause] : null;
}

/**
 * Message attributes subscribers filter on: a repository only for CI failures, the alarm's name and account for
 * alarms, the fallback page's `kind`. The branch and the alarm's name are other people's text, given as they are:
 * the publishers send each value as SNS takes it (shared/notify/message-attributes.ts).
 */
function attributesOf(incident: Incident): Record<string, string> {
  const attributes: Record<string, string> = {
    severity: severityOf(incident),
    source: incident.source,
    category: incident.category ?? 'unknown',
  };
  const fallback = fallbackPageOf(incident);
  if (fallback) attributes.kind = fallback.kind;
  if (incident.repository) attributes.repository = incident.repository;
  if (incident.alarm) {
    attributes.alarm = incident.alarm.name;
    attributes.account = incident.alarm.account;
    attributes.region = incident.alarm.region;
  }
  if (incident.branch) attributes.branch = incident.branch;
  return attributes;
}

/** One chat thread per problem: repeats and digests of the same alarm or failure land under the first message. */
function chatThreadOf(incident: Incident): string {
  return (incident.alarm?.arn ?? `${incident.repository ?? ''}:${incident.fingerprint ?? incident.id}`).slice(0, 200);
}

/**
 * An escalation on-call can act on, as an e-mail: the subject says what and where; the body gives each fact
 * once — why you are getting it, how often it was seen, what failed (the alarm's expression, rule or band, or the
 * failing lines), what the guard tried, what it needs from you — then the links (console or PR and run). The same
 * content goes to chat as an Amazon Q Developer custom notification (`chat`).
 */
/** The Step Functions console page of an execution, from its ARN (which names the region). */
export function executionLink(arn: unknown): string | null {
  const region = executionRegion(arn);
  return region ? `${consoleBase(region)}/states/home?region=${region}#/v2/executions/details/${arn}` : null;
}

/** The Region a Step Functions execution ARN names; null for anything else. */
function executionRegion(arn: unknown): string | null {
  if (typeof arn !== 'string') return null;
  return /^arn:aws[\w-]*:states:([a-z0-9-]+):\d{12}:execution:[\w-]+:[\w.-]+$/.exec(arn)?.[1] ?? null;
}

/**
 * The commands that approve or reject a proposal waiting on `taskToken`. They are ours, not text from a log or a
 * model, so they go out as written: redacting them as untrusted text took the token for a secret (the rule for
 * `--…-token <value>` flags), and on-call got a request nobody could answer. `endpoint`: the Step Functions endpoint
 * when it is not AWS's (the local runtime's), which the commands must name to reach it.
 */
function approvalCommands(taskToken: string, endpoint: string | undefined, region: string | null): string[] {
  const at = endpoint ? ` --endpoint-url '${endpoint}'` : '';
  // A task token is answered in its execution's Region: the reader's CLI may default to another one, or to none.
  const inRegion = region ? ` --region '${region}'` : '';
  return [
    `To approve: aws stepfunctions send-task-success${at} --task-token '${taskToken}' --task-output '{"approvedBy":"<your name>"}'${inRegion}`,
    `To reject: aws stepfunctions send-task-failure${at} --task-token '${taskToken}' --error ApprovalRejected --cause '<reason>'${inRegion}`,
  ];
}

/**
 * A fix PR's change in its e-mailed approval request (a run without a pull request to show it on): every line, so the
 * approver sees what the commands approve, with secrets redacted and links defanged like any text from a model.
 */
function proposedChangeLines(change: ProposedChange): string[] {
  return [
    FIX_PR_APPROVAL_NOTE,
    ...(change.downloadsAndRuns ? [`WARNING: ${DOWNLOADS_AND_RUNS_WARNING}`] : []),
    `The change that would be committed (${change.files.length} file${change.files.length === 1 ? '' : 's'}: ${change.files.map(untrusted).join(', ')}):`,
    // Redacted whole, so a secret over several lines (a private key) is found; then each line is one line again.
    ...defang(redactOrWithhold(change.lines.join('\n'))).split('\n').map((line) => `    ${line.replace(LINE_BREAKS, ' ')}`),
    '',
  ];
}

/**
 * The first line of a request that replaces one e-mailed at `earlier.at`: that request's attempt failed after it went
 * out, and Step Functions gave the retry a new token. The earlier commands go to Step Functions, not to the guard, so
 * only the reader can be told they no longer work. Not `certain`: the attempt died after it began to e-mail and before
 * it marked the e-mail sent, so it may or may not have gone out, and the line says so (session 43).
 */
function replacesLine(incident: Incident, earlier: PublishMark): string {
  const refused = 'no longer work (Step Functions refuses them: TaskTimedOut or InvalidToken): answer this one.';
  return earlier.certain
    ? `This request REPLACES the earlier approval request e-mailed at ${earlier.at} for incident ${incident.id}: its commands ${refused}`
    : `This request may REPLACE an earlier approval request for incident ${incident.id} that may or may not have been e-mailed (at ${earlier.at}): if you got it, its commands ${refused}`;
}

/**
 * `approval`: the request for a human's decision, with the task token the execution waits on; `region`, the Region
 * its commands answer in when no execution ARN says it (a request the reconciler e-mails: its own Region's);
 * `replaces`, when the earlier request this one replaces went out, or began to (see {@link replacesLine}).
 */
export function renderEscalation(
  incident: Incident,
  why: string,
  tally?: EscalationTally,
  executionArn?: unknown,
  approval?: { taskToken: string; endpoint?: string | undefined; region?: string | undefined; replaces?: PublishMark | null },
): EscalationMessage {
  const { tag: failureTag, about, headline } = what(incident);
  const fallback = fallbackPageOf(incident);
  const tag = fallback?.tag ? `${fallback.tag} ${failureTag}` : failureTag;
  const replaces = approval?.replaces ? [replacesLine(incident, approval.replaces)] : [];
  const lines: string[] = [...replaces, ...(replaces.length ? [''] : []), untrusted(headline), '', `Why you are getting this: ${untrusted(why)}`];
  const seen = tally && tally.total > 1 && tally.firstSeen
    ? `Seen ${tally.total} times since ${tally.firstSeen}${tally.previousSentAt ? `; the last escalation of this problem went out at ${tally.previousSentAt}` : ''}.`
    : null;
  if (seen) lines.push(seen);
  lines.push('');
  if (incident.alarm) lines.push(...alarmFacts(incident.alarm), '');
  const job = incident.jobs.find((j) => j.diagnosis);
  const whatFailed = incident.analysis?.injection
    ? null
    : job?.diagnosis
      ? untrusted(job.diagnosis.rootCause.replace(/`/g, ''))
      : incident.analysis && incident.source === 'github'
        ? untrusted(incident.analysis.rootCause)
        : null;
  if (incident.analysis?.injection) {
    lines.push('The log contained text aimed at automated tools (AI assistants, bots): the analysis model\'s answer is not shown and no automatic action was taken on it.', '');
  } else if (whatFailed) {
    lines.push(`What failed: ${whatFailed}`);
    if (job?.diagnosis?.determined && job.diagnosis.fix[0]) lines.push(`Likely fix: ${untrusted(job.diagnosis.fix[0])}`);
    lines.push('');
  }
  if (incident.source === 'github' && incident.failureLines.length > 0) {
    lines.push('Failure lines:');
    for (const line of [...incident.failureLines].sort((a, b) => a.line - b.line).slice(0, 15)) lines.push(`  ${String(line.line).padStart(5)} | ${untrusted(line.text)}`);
    lines.push('');
  }
  const handoff = guardHandoff(incident);
  const triedText = tried(incident, handoff.tried);
  lines.push(`What the guard tried: ${triedText}`);
  for (const error of incident.stageErrors) lines.push(`  (its ${error.stage} step failed: ${untrusted(error.error)})`);
  const commands = approval ? approvalCommands(approval.taskToken, approval.endpoint, executionRegion(executionArn) ?? approval.region ?? null) : [];
  const change = approval ? proposedChange(incident) : null;
  if (change) lines.push('', ...proposedChangeLines(change));
  const resolved = incident.status === 'resolved';
  const needed = needs(handoff, resolved, commands.length > 0);
  lines.push(`What it needs from you: ${needed}`, ...commands, '');
  const links = incidentLinks(incident);
  const execution = executionLink(executionArn);
  if (execution) links.push(['Execution', execution]);
  for (const [label, url] of links) lines.push(`${label}: ${url}`);
  lines.push(`Incident: ${incident.id} (Step Functions execution of the same name)`);

  const attributes = attributesOf(incident);
  const replacing = approval?.replaces ? (approval.replaces.certain ? '[REPLACES EARLIER] ' : '[MAY REPLACE EARLIER] ') : '';
  const subjectPrefix = `[Pipeline Guard] ${replacing}${tag} `;
  const named = headlineText(subjectPrefix, about);
  const title = chatTitle(`${tag} `, named);
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: incident.id,
    content: {
      textType: 'client-markdown',
      title,
      // What failed, as the e-mail says it: without it the chat message named only the category ("a test failed").
      description: chatText(
        [...replaces, untrusted(headline), ...(whatFailed ? [`*What failed:* ${whatFailed}`] : []), `*Why:* ${untrusted(why)}`, ...(seen ? [seen] : []), `*Tried:* ${triedText}`].join('\n'),
      ).slice(0, 3500),
      // The task token goes to the e-mail only. Whoever holds it and may call SendTaskSuccess answers the wait: a
      // chat channel is wider than on-call (AWS Chatbot may even run the command with the channel's own role), and
      // SNS gives this rendering to every subscriber that is not e-mail (SQS, Lambda, HTTPS, SMS).
      nextSteps: [needs(handoff, resolved, false), ...links.slice(0, 4).map(([label, url]) => chatLink(label, url))],
      keywords: [incident.source, incident.category ?? 'unknown', severityOf(incident), ...(fallback ? [fallback.kind] : [])],
    },
    metadata: { threadId: chatThreadOf(incident), summary: title },
  };
  return { subject: subject(subjectPrefix, named), message: lines.join('\n').slice(0, 200_000), attributes, chat };
}

/**
 * The one page of an alarm storm (shared/notify/page-claims.ts): the escalation of the alarm that made it a storm,
 * its subject saying so, so that on-call reads it as the outage's page rather than one more alarm's.
 */
export function asStormPage(message: EscalationMessage, alarms: number): EscalationMessage {
  const about = message.subject.replace(/^\[Pipeline Guard\] /, '');
  return { ...message, subject: subject(`[Pipeline Guard] [ALARM STORM: ${alarms} alarms] `, about) };
}

const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
const moreTimes = (n: number) => `${n} more time${n === 1 ? '' : 's'}`;

/**
 * The names one digest message lists at most, in bytes once JSON-encoded, as the SNS publisher sends the e-mail text
 * (inside its per-protocol message): 100 KB leaves the rest of the message (headings, links, the chat rendering, the
 * subject and attributes) far more than it needs under SNS's 256 KB limit, whatever characters the names hold.
 */
const DIGEST_NAMES_BYTES_PER_MESSAGE = 100_000;

/** Which of the messages a digest is split over this one is (see {@link renderDigestMessages}). */
interface DigestPart {
  index: number;
  of: number;
}

/**
 * The digest as the messages that send it: one, unless the names it lists (an alarm group's, up to the 1,000 its item
 * remembers, each up to 200 characters) take more than {@link DIGEST_NAMES_BYTES_PER_MESSAGE}; then the names are
 * split over as many messages as they need, each a whole digest saying which part it is, so every name goes out.
 */
export function renderDigestMessages(digest: EscalationDigest, incident: Incident | null): EscalationMessage[] {
  return renderDigestParts(digest, incident).map((part) => part.message);
}

/**
 * The messages of {@link renderDigestMessages}, each with the members it lists as stored (`members`: what says which
 * message it is; its names as rendered may be alike in two messages, redaction hiding what told them apart).
 */
export function renderDigestParts(digest: EscalationDigest, incident: Incident | null): Array<{ members: string[]; message: EscalationMessage }> {
  const parts = membersPerMessage(digest.members ?? []);
  if (parts.length <= 1) return [{ members: parts[0] ?? [], message: renderDigest(digest, incident) }];
  return parts.map((members, i) => ({ members, message: digestMessage(digest, incident, { names: members.map(untrusted), part: { index: i + 1, of: parts.length } }) }));
}

/** `members` in order, in runs whose rendered names take at most {@link DIGEST_NAMES_BYTES_PER_MESSAGE} (a longer name alone). */
function membersPerMessage(members: string[]): string[][] {
  const encoder = new TextEncoder();
  // As the message lists it: rendered, JSON-encoded without its quotes, and the ", " before it.
  return runsWithin(members, (member) => encoder.encode(JSON.stringify(untrusted(member))).length, DIGEST_NAMES_BYTES_PER_MESSAGE);
}

/**
 * `items` in order, in runs of at most `perRun` whose `bytes` add up to at most `budget`: a message's share of SNS's
 * 256 KB. An item over the budget goes in a run of its own.
 */
export function runsWithin<T>(items: readonly T[], bytes: (item: T) => number, budget: number, perRun = Infinity): T[][] {
  const runs: T[][] = [];
  let used = Infinity;
  for (const item of items) {
    const cost = bytes(item);
    if (used + cost > budget || runs.at(-1)!.length >= perRun) {
      runs.push([]);
      used = 0;
    }
    runs.at(-1)!.push(item);
    used += cost;
  }
  return runs;
}

/**
 * The digest of a window that ended with repeats no page reported: what, how many more times, first and last
 * seen, the links of the latest occurrence. Same publisher, attributes (plus `kind=digest`) and chat thread as the
 * escalation it follows. `incident` is the latest occurrence, or null when it is gone (TTL) or was not recorded.
 * Every name it has is listed: what is sent goes through {@link renderDigestMessages}, which bounds them per message.
 */
export function renderDigest(digest: EscalationDigest, incident: Incident | null, executionArn?: unknown): EscalationMessage {
  return digestMessage(digest, incident, { names: (digest.members ?? []).map(untrusted), part: null }, executionArn);
}

function digestMessage(digest: EscalationDigest, incident: Incident | null, listed: { names: string[]; part: DigestPart | null }, executionArn?: unknown): EscalationMessage {
  const label = untrusted(digest.label);
  const summary = `${label}, seen ${moreTimes(digest.repeats)} since the escalation at ${digest.windowStart}`;
  const { names, part } = listed;
  const lines: string[] = [
    `Still happening: ${summary}. No page went out for these repeats.`,
    '',
    `First seen: ${digest.firstSeen} (${times(digest.total)} in all).`,
    `Last seen: ${digest.lastSeen}.`,
    `The window of one escalation per problem ended at ${digest.dueAt}: the next occurrence pages again.`,
    '',
    // An alarm group's digest names the alarms counted on its pages.
    ...(names.length ? [`Counted in this window${part ? ` (part ${part.index} of ${part.of}: the names are split over ${part.of} messages)` : ''}: ${names.join(', ')}.`, ''] : []),
  ];
  const needed = incident ? needs(guardHandoff(incident), incident.status === 'resolved', false) : null;
  if (incident) {
    lines.push(`Latest occurrence: ${untrusted(what(incident).headline)}`, `What it needs from you: ${needed}`, '');
  }
  const links = incident ? incidentLinks(incident) : [];
  const execution = executionLink(executionArn);
  if (execution) links.push(['Execution', execution]);
  for (const [linkLabel, url] of links) lines.push(`${linkLabel}: ${url}`);
  if (incident) lines.push(`Incident: ${incident.id} (the latest occurrence)`);
  const prefix = `[Pipeline Guard] Still happening, ${moreTimes(digest.repeats)}${part ? ` (${part.index} of ${part.of})` : ''}: `;
  const title = subject(prefix, redactOrWithhold(digest.label));
  const chatTitleText = chatTitle(prefix, redactOrWithhold(digest.label));
  const chat: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: `digest:${digest.problemKey}:${digest.windowStart}`.slice(0, 190) + (part ? `:${part.index}` : ''),
    content: {
      textType: 'client-markdown',
      title: chatTitleText,
      description: chatText([`Still happening: ${summary}.`, `*First seen:* ${digest.firstSeen} (${times(digest.total)} in all)`, `*Last seen:* ${digest.lastSeen}`].join('\n')).slice(0, 3500),
      nextSteps: [
        ...(needed ? [needed] : []),
        ...links.slice(0, 4).map(([linkLabel, url]) => chatLink(linkLabel, url)),
      ],
      keywords: ['digest', ...(incident ? [incident.source, incident.category ?? 'unknown'] : [])],
    },
    metadata: { threadId: incident ? chatThreadOf(incident) : digest.problemKey.slice(0, 200), summary: chatTitleText },
  };
  return {
    subject: title,
    message: lines.join('\n').slice(0, 200_000),
    attributes: { ...(incident ? attributesOf(incident) : { severity: 'low' }), kind: 'digest' },
    chat,
  };
}
