import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_DIR, type RecordedWebhook, deliverAlarm, deliverWebhook, loadAlarmEvent, loadWebhook, readOutbox } from './replay.js';
import { startLocalRuntime } from './runtime.js';

/** One step of the week (events/replay/week.json). */
interface WeekStep {
  day: string;
  note: string;
  run?: { id: number; attempt: number; event: string; branch: string; pr?: number; sha: string; conclusion?: 'success' | 'failure'; actor?: string; workflow?: string; workflowId?: number };
  alarm?: string;
  at?: string;
  repeat?: number;
  untagged?: boolean;
  name?: string;
}

export interface WeekReplay {
  steps: number;
  escalations: Array<{ subject: string; step: string }>;
  /** Digests the reconciler sent when the escalation windows the week opened had ended (one per problem with unreported repeats). */
  digests: Array<{ subject: string }>;
  commentsWritten: number;
  commentEdits: number;
  comments: Record<string, string>;
  /** The comments on pushed commits (runs without a pull request), by `owner/repo@sha`. */
  commitComments: Record<string, string>;
  /** Escalations per kind of event that must never page by itself. */
  pagesFor: { muted: number; suppressed: number; autoscaling: number; outOfScope: number; personRerun: number };
  distinctProblemsNeedingAHuman: number;
}

const SECRET = 'replay-week-secret';

function workflowRun(run: NonNullable<WeekStep['run']>): RecordedWebhook {
  const webhook = structuredClone(loadWebhook(run.conclusion === 'success' ? 'workflow_run-success' : 'workflow_run-failure'));
  const body = webhook.body as Record<string, any>;
  const wr = body.workflow_run;
  wr.id = run.id;
  wr.run_attempt = run.attempt;
  wr.event = run.event;
  wr.head_branch = run.branch;
  wr.head_sha = run.sha;
  wr.name = run.workflow ?? wr.name;
  wr.workflow_id = run.workflowId ?? wr.workflow_id;
  wr.html_url = `https://github.com/acme-shop/checkout-service/actions/runs/${run.id}`;
  if (run.actor) wr.triggering_actor = { ...(wr.triggering_actor ?? {}), login: run.actor };
  wr.pull_requests = run.pr
    ? [{ ...(wr.pull_requests?.[0] ?? {}), number: run.pr, head: { ...(wr.pull_requests?.[0]?.head ?? {}), ref: run.branch, sha: run.sha }, url: `https://api.github.com/repos/acme-shop/checkout-service/pulls/${run.pr}` }]
    : [];
  webhook.headers = { ...webhook.headers, 'x-github-delivery': `week-${run.id}-${run.attempt}-${run.conclusion ?? 'failure'}` };
  return webhook;
}

function alarmEvent(step: WeekStep): Record<string, unknown> {
  const event = structuredClone(loadAlarmEvent(step.alarm as string)) as Record<string, any>;
  if (step.at) event.detail.state.timestamp = step.at;
  if (step.name) {
    event.detail.alarmName = step.name;
    event.resources = [`arn:aws:cloudwatch:${event.region}:${event.account}:alarm:${step.name}`];
  }
  if (step.untagged) delete event.detail.alarmTags;
  return event;
}

/**
 * Replays the week through the local runtime (the same handlers, state machine and tables as `npm start`) and
 * counts what people would have received: escalations (SNS → outbox), PR comments written and edited, comments on
 * pushed commits.
 */
export async function replayWeek(options: { log?: (line: string) => void } = {}): Promise<WeekReplay> {
  const week = JSON.parse(readFileSync(join(EVENTS_DIR, 'replay', 'week.json'), 'utf8')) as { steps: WeekStep[]; expected: { problemsNeedingAHuman: string[] } };
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-week-'));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    retryDelayMs: 0,
    env: { ...process.env, GITHUB_TOKEN: undefined, GITHUB_APP_ID: undefined, GITHUB_WEBHOOK_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: 'SILENT', CHAT_WEBHOOK_URL: undefined, POLICY_JSON: undefined, POLICY_FILE: undefined },
    log: () => {},
    echo: options.log ?? (() => {}),
  });
  const escalations: WeekReplay['escalations'] = [];
  const pagesFor = { muted: 0, suppressed: 0, autoscaling: 0, outOfScope: 0, personRerun: 0 };
  try {
    for (const step of week.steps) {
      const before = (await readOutbox(runtime.outboxPath)).filter((e) => e.kind === 'escalation').length;
      for (let i = 0; i < (step.repeat ?? 1); i += 1) {
        if (step.run) await deliverWebhook(runtime.url, workflowRun(step.run), SECRET);
        else if (step.alarm) {
          const event = alarmEvent(step);
          if (step.repeat) (event.detail as Record<string, any>).state.timestamp = new Date(Date.parse('2026-11-23T10:21:00Z') + i * 1_800_000).toISOString().replace('Z', '+0000');
          await deliverAlarm(runtime.url, event);
        }
        await runtime.idle();
      }
      const sent = (await readOutbox(runtime.outboxPath)).filter((e) => e.kind === 'escalation').slice(before);
      for (const entry of sent) escalations.push({ subject: String(entry.subject), step: `${step.day} ${step.note}` });
      if (step.alarm === 'alarm-muted') pagesFor.muted += sent.length;
      if (step.alarm === 'alarm-composite-suppressed') pagesFor.suppressed += sent.length;
      if (step.alarm === 'alarm-autoscaling') pagesFor.autoscaling += sent.length;
      if (step.untagged) pagesFor.outOfScope += sent.length;
      if (step.run && step.run.attempt > 1 && step.run.actor && !step.run.actor.endsWith('[bot]')) pagesFor.personRerun += sent.length;
      options.log?.(`${step.day.padEnd(10)} ${step.note.padEnd(52)} ${sent.length > 0 ? `→ PAGED: ${sent.map((e) => e.subject).join(' | ')}` : ''}`);
    }
    // The week ran in seconds, so every window it opened is still open: the reconciler runs as of the moment the
    // last of them has ended (the default window, 24 h, plus a minute) and sends their digests.
    const before = (await readOutbox(runtime.outboxPath)).filter((e) => e.kind === 'escalation').length;
    const digestRun = await runtime.reconcile(new Date(Date.now() + 24 * 3_600_000 + 60_000));
    const digests = (await readOutbox(runtime.outboxPath)).filter((e) => e.kind === 'escalation').slice(before).map((e) => ({ subject: String(e.subject) }));
    for (const digest of digests) options.log?.(`${'+24 h'.padEnd(10)} ${'the escalation window ends (reconciler)'.padEnd(52)} → DIGEST: ${digest.subject}`);
    if (digestRun.digests.failed.length > 0) throw new Error(`digests failed: ${digestRun.digests.failed.join(', ')}`);
    const outbox = await readOutbox(runtime.outboxPath);
    const commentEntries = outbox.filter((e) => e.kind === 'github_comment');
    const comments: Record<string, string> = {};
    for (const entry of commentEntries) comments[String(entry.target)] = String(entry.body);
    const commitComments: Record<string, string> = {};
    for (const entry of outbox.filter((e) => e.kind === 'github_commit_comment')) commitComments[String(entry.target)] = String(entry.body);
    return {
      steps: week.steps.length,
      escalations,
      digests,
      commentsWritten: commentEntries.filter((e) => e.outcome === 'created').length,
      commentEdits: commentEntries.filter((e) => e.outcome === 'updated').length,
      comments,
      commitComments,
      pagesFor,
      distinctProblemsNeedingAHuman: week.expected.problemsNeedingAHuman.length,
    };
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
