import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incident } from '../../shared/domain/incident.js';
import { deliverAlarm, deliverWebhook, loadAlarmEvent, loadWebhook, fetchIncident, readOutbox, resolutionLine } from './replay.js';
import { startLocalRuntime } from './runtime.js';

/**
 * `npm run demo`: starts the local runtime with zero configuration in a scratch directory, replays the sample
 * events from events/ and prints what happened at each step. Exits non-zero if any step does not do its job.
 */
const dataDir = await mkdtemp(join(tmpdir(), 'pipeline-guard-demo-'));
const env = { ...process.env, GITHUB_TOKEN: undefined, GITHUB_WEBHOOK_SECRET: 'demo-secret', POWERTOOLS_LOG_LEVEL: 'ERROR' };
const runtime = await startLocalRuntime({ dataDir, port: 0, env, retryDelayMs: 50 });
let failed = false;

function heading(text: string) {
  console.log(`\n━━ ${text} ${'━'.repeat(Math.max(0, 72 - text.length))}`);
}
function check(ok: boolean, what: string) {
  console.log(`${ok ? '  ✔' : '  ✘'} ${what}`);
  if (!ok) failed = true;
}
const incident = (id: string) => fetchIncident(runtime.url, id);
const outbox = () => readOutbox(runtime.outboxPath);
function indent(text: string, prefix = '    │ ') {
  return text.split('\n').map((line) => prefix + line).join('\n');
}

try {
  console.log(`Pipeline Guard demo — local runtime at ${runtime.url}, data in ${dataDir}`);

  heading('1. GitHub: a workflow run fails (signed workflow_run webhook)');
  const failure = loadWebhook('workflow_run-failure');
  const first = await deliverWebhook(runtime.url, failure, runtime.webhookSecret);
  console.log(`  POST /webhooks/github → ${first.status} ${JSON.stringify(first.body)}`);
  await runtime.idle();
  const id = String(first.body.incidentId);
  const created = await incident(id);
  console.log(`  incident ${created.id}: status=${created.status} category=${created.category} fingerprint=${created.fingerprint?.slice(0, 16)}`);
  console.log('  failure lines (line numbers in the job log):');
  for (const line of created.failureLines.slice(0, 12)) console.log(`    ${String(line.line).padStart(5)} | ${line.text}`);
  console.log(`  analysis (${created.analysis?.provider}, confidence ${created.analysis?.confidence.toFixed(2)}): ${created.analysis?.rootCause}`);
  for (const step of created.analysis?.fix ?? []) console.log(`    - ${step}`);
  console.log(`  decision: ${created.decision?.action} — ${created.decision?.reason}`);
  const comment = (await outbox()).filter((e) => e.kind === 'github_comment');
  console.log(`  PR comment (${comment.at(-1)?.outcome} on ${comment.at(-1)?.target}):`);
  console.log(indent(String(comment.at(-1)?.body ?? '(none)')));
  check(first.status === 202 && created.status === 'notified', 'incident stored and notified');
  check(created.failureLines.length > 0, 'failure lines found in the job log');
  check(comment.length === 1 && comment[0]?.outcome === 'created', 'one PR comment created');

  heading('2. GitHub redelivers the same webhook');
  const again = await deliverWebhook(runtime.url, failure, runtime.webhookSecret);
  await runtime.idle();
  const all = (await (await fetch(`${runtime.url}/incidents`)).json()) as Incident[];
  console.log(`  POST /webhooks/github → ${again.status} ${JSON.stringify(again.body)}`);
  check(again.body.duplicate === true && all.length === 1, `no new incident or execution (incidents: ${all.length})`);

  heading('3. A bad signature is refused');
  const forged = await deliverWebhook(runtime.url, failure, 'not-the-secret');
  console.log(`  POST /webhooks/github → ${forged.status} ${JSON.stringify(forged.body)}`);
  check(forged.status === 401, 'refused with 401');

  heading('4. A later run of the same workflow succeeds');
  const green = await deliverWebhook(runtime.url, loadWebhook('workflow_run-success'), runtime.webhookSecret);
  // The reply only queued the recovery (so GitHub is answered at once); the outcome recorder records it.
  await runtime.idle();
  const resolved = await incident(id);
  console.log(`  POST /webhooks/github → ${green.status} ${JSON.stringify(green.body)}`);
  console.log(`  incident ${id}: status=${resolved.status}, resolved by ${resolved.resolvedBy}, time to recovery ${resolved.timeToRecoverySeconds}s`);
  const comments = (await outbox()).filter((e) => e.kind === 'github_comment');
  const fixedLine = resolutionLine(String(comments.at(-1)?.body ?? ''));
  console.log(`  PR comment ${comments.at(-1)?.outcome}: ${fixedLine ?? '(no "Fixed in …" line)'}`);
  check(resolved.status === 'resolved', 'incident resolved with time to recovery');
  check(comments.length === 2 && comments[1]?.outcome === 'updated', 'the same PR comment updated in place');
  check(fixedLine !== null, 'the updated comment says which run fixed it');

  heading('5. CloudWatch: an alarm fires (EventBridge event)');
  const alarm = await deliverAlarm(runtime.url, loadAlarmEvent('alarm-state-alarm'));
  await runtime.idle();
  const alarmIncident = await incident(String(alarm.body.incidentId));
  console.log(`  POST /events/cloudwatch → ${alarm.status} ${JSON.stringify(alarm.body)}`);
  console.log(`  incident ${alarmIncident.id}: status=${alarmIncident.status} category=${alarmIncident.category} decision=${alarmIncident.decision?.action}`);
  const escalation = (await outbox()).filter((e) => e.kind === 'escalation').at(-1);
  console.log(`  escalation (SNS → outbox): ${escalation?.subject}`);
  console.log(indent(String(escalation?.message ?? '').split('\n').slice(0, 8).join('\n')));
  check(alarmIncident.status === 'notified' && escalation !== undefined, 'alarm incident escalated to a human');

  heading('6. The alarm returns to OK');
  const ok = await deliverAlarm(runtime.url, loadAlarmEvent('alarm-state-ok'));
  const recovered = await incident(alarmIncident.id);
  console.log(`  POST /events/cloudwatch → ${ok.status} ${JSON.stringify(ok.body)}`);
  console.log(`  incident ${recovered.id}: status=${recovered.status}, alarm state ${recovered.alarm?.state}, time to recovery ${recovered.timeToRecoverySeconds}s`);
  check(recovered.status === 'resolved' && recovered.alarm?.state === 'OK', 'alarm incident resolved, state change stored');
} finally {
  await runtime.close();
  await rm(dataDir, { recursive: true, force: true });
}

console.log(failed ? '\nDemo finished with failures.' : '\nDemo finished: every step did its job.');
process.exit(failed ? 1 : 0);
