import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { silentLogger } from '../../shared/steps/deps.js';
import type { ExperimentReport } from '../../shared/experiments/report.js';
import { type RecordedWebhook, deliverWebhook, loadWebhook, readOutbox } from '../../infra/local/replay.js';
import { createExperimentsCommand } from '../../shared/cli/commands/experiments.js';
import { createKbCommand } from '../../shared/cli/commands/kb.js';
import type { CliIO } from '../../shared/cli/io.js';
import { knowledgeLookupStep } from '../../shared/steps/knowledge-lookup.js';
import { commandAnswerMarker } from '../../shared/ingest/comment-commands.js';
import { apiRequest, storedIncident, useLocalRuntime } from '../support/harness.js';

/**
 * The learning loop through the local runtime: knowledge that remembers outcomes, experiment counters under
 * concurrent outcome events, and the quality gate over HTTP with its bearer token.
 */
const SECRET = 'learning-it-secret';
const TOKEN = 'learning-it-gate-token-0123456789';
const REPOSITORY_ID = 714523861;

/** A recorded workflow_run delivery with another run id, branch, SHA and delivery id. */
/**
 * The sample run as another run: `later` makes it a later run of the workflow (the next run number, started and
 * finished that many minutes after the sample), as a failure after a green run is; without it the run keeps the
 * sample's number and times, so a green run delivered before it supersedes it (shared/domain/recovery.ts).
 */
function variantOf(name: 'workflow_run-failure' | 'workflow_run-success', changes: { runId: number; branch?: string; sha?: string; later?: { runNumber: number; minutes: number } }): RecordedWebhook {
  const webhook = structuredClone(loadWebhook(name));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = changes.runId;
  if (changes.later) {
    const { runNumber, minutes } = changes.later;
    run.run_number = runNumber;
    for (const field of ['created_at', 'updated_at', 'run_started_at'] as const) {
      if (typeof run[field] === 'string') run[field] = new Date(Date.parse(run[field] as string) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
    }
  }
  if (changes.branch) {
    run.head_branch = changes.branch;
    // No pull request: these incidents are notified by SNS, which keeps the outbox out of the picture.
    run.pull_requests = [];
  }
  if (changes.sha) run.head_sha = changes.sha;
  webhook.headers['x-github-delivery'] = `delivery-${name}-${changes.runId}`;
  return webhook;
}

function api<T>(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: T }> {
  return apiRequest<T>(harness.runtime.url, method, path, body, token);
}

function incident(id: string): Promise<Incident> {
  return storedIncident(harness.runtime, id);
}

const harness = useLocalRuntime({ secret: SECRET, name: 'guard-learning', env: { GITHUB_TOKEN: undefined, GATE_TOKEN: TOKEN } });

describe('knowledge: a second occurrence finds the first with its outcome', () => {
  it('reports the earlier incident, its recovery and the learned entry', async () => {
    // Arrange: a failure, then the green run that resolves it
    await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await harness.runtime.idle();
    const recovery = await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-success'), SECRET);
    const firstId = `gh-${REPOSITORY_ID}-11862439017-1`;
    expect(recovery.body).toMatchObject({ recovery: 'queued' });
    await harness.runtime.idle();
    expect((await harness.runtime.incidents.get(firstId))?.status).toBe('resolved');

    // Act: the same failure again, in a later run on another commit (after the green run 483)
    const again = variantOf('workflow_run-failure', { runId: 11863000001, sha: '1111111aaaaaaaa2222222bbbbbbbb3333333ccc', later: { runNumber: 484, minutes: 60 } });
    await deliverWebhook(harness.runtime.url, again, SECRET);
    await harness.runtime.idle();

    // Assert
    const first = await incident(firstId);
    const second = await incident(`gh-${REPOSITORY_ID}-11863000001-1`);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.knowledge?.matches).toEqual([expect.objectContaining({ incidentId: firstId, status: 'resolved', recovered: true })]);
    expect(second.knowledge?.summary).toContain('Seen 1 time before; recovered 1 time.');
    const exact = second.knowledge?.entries?.find((e) => e.match === 'exact' && e.source === 'learned');
    expect(exact).toMatchObject({ fingerprint: first.fingerprint, attempts: 1, successes: 1, seen: 1 });
    expect(exact?.confidence).toBeCloseTo(0.207, 3);
    const metrics = await api<Record<string, number | null>>('GET', '/metrics/acme-shop/checkout-service', undefined, null);
    expect(metrics.body).toMatchObject({ incidents: 2, resolved: 1 });
    expect(metrics.body.meanTimeToRecoverySeconds).toBeGreaterThan(0);
  });
});

describe('knowledge: a retried knowledge stage counts the incident once', () => {
  it('stores the lookup again but takes the seen claim with the first write only', async () => {
    // Arrange: an incident the pipeline has been through (counted once by its knowledge stage)
    // On a branch without a pull request, so the later tests' pull request keeps its newest incident.
    const failure = variantOf('workflow_run-failure', { runId: 11864000001, branch: 'retry-branch', sha: '4444444ddddddd5555555eeeeeee6666666fff00' });
    await deliverWebhook(harness.runtime.url, failure, SECRET);
    await harness.runtime.idle();
    const id = `gh-${REPOSITORY_ID}-11864000001-1`;
    const before = await incident(id);
    const seenOf = async () => (await harness.runtime.learning.knowledge.get(before.fingerprint as string, `repo:${REPOSITORY_ID}`))?.seen;
    const seenBefore = await seenOf();
    const metricsBefore = (await api<Record<string, number>>('GET', '/metrics/acme-shop/checkout-service', undefined, null)).body.incidents;
    const deps = { incidents: harness.runtime.incidents, learning: harness.runtime.learning, clock: () => new Date(), logger: silentLogger };

    // Act: the stage runs again twice (a retry after a timeout, a re-drive)
    await knowledgeLookupStep({ trigger: await harness.runtime.incidents.triggerOf(id) }, deps);
    await knowledgeLookupStep({ trigger: await harness.runtime.incidents.triggerOf(id) }, deps);

    // Assert: the lookup was stored each time; the knowledge base and the repository metrics counted it once.
    const after = await incident(id);
    expect(after.history.filter((h) => h.event === 'knowledge')).toHaveLength(3);
    expect(seenBefore).toBeGreaterThanOrEqual(1);
    expect(await seenOf()).toBe(seenBefore);
    expect((await api<Record<string, number>>('GET', '/metrics/acme-shop/checkout-service', undefined, null)).body.incidents).toBe(metricsBefore);
  });
});

describe('feedback: /guard feedback from users with write access', () => {
  const comment = (login: string, body: string, id: number): RecordedWebhook => ({
    headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': `comment-${id}` },
    body: {
      action: 'created',
      issue: { number: 1287, pull_request: { url: 'https://api.github.com/repos/acme-shop/checkout-service/pulls/1287' } },
      // GitHub says how the author relates to the repository; the owner's account is OWNER.
      comment: { id, body, user: { login, type: 'User' }, author_association: login === 'acme-shop' ? 'OWNER' : 'NONE' },
      repository: { id: REPOSITORY_ID, full_name: 'acme-shop/checkout-service', name: 'checkout-service', owner: { login: 'acme-shop' } },
    },
  });

  it('counts one vote per user on the incident named, asks which when the pull request has several, and ignores readers', async () => {
    // Prepare: the pull request has two incidents, the first (resolved) and the later failure.
    const first = `gh-${REPOSITORY_ID}-11862439017-1`;
    const newest = `gh-${REPOSITORY_ID}-11863000001-1`;

    // Act
    const unnamed = await deliverWebhook(harness.runtime.url, comment('acme-shop', '/guard feedback up', 6), SECRET);
    const vote = await deliverWebhook(harness.runtime.url, comment('acme-shop', `Thanks.\n/guard feedback up ${newest} found it`, 1), SECRET);
    const again = await deliverWebhook(harness.runtime.url, comment('acme-shop', `/guard feedback up ${newest}`, 2), SECRET);
    const older = await deliverWebhook(harness.runtime.url, comment('acme-shop', `/guard feedback down ${first} it was not the network`, 7), SECRET);
    const reader = await deliverWebhook(harness.runtime.url, comment('drive-by', `/guard feedback down ${newest}`, 3), SECRET);
    const chatter = await deliverWebhook(harness.runtime.url, comment('acme-shop', 'looks good', 4), SECRET);

    // Assert: nothing is credited to the newest incident that was not meant for it.
    expect(unnamed.status).toBe(200);
    expect(unnamed.body.refused).toBe(`several incidents on acme-shop/checkout-service#1287: reply /guard feedback up <incident> with one of ${newest}, ${first}`);
    expect(vote.body).toEqual({ incidentId: newest, vote: 'up', counted: true });
    expect(again.body).toEqual({ incidentId: newest, vote: 'up', counted: false });
    expect(older.body).toEqual({ incidentId: first, vote: 'down', counted: true });
    expect(reader.body.ignored).toBe('drive-by has read access; feedback needs write access');
    expect(chatter.body.ignored).toBe('no /guard command');
    expect(await incident(newest)).toMatchObject({ feedbackUp: 1, feedbackDown: 0 });
    expect(await incident(first)).toMatchObject({ feedbackUp: 0, feedbackDown: 1 });
    // On the pull request: a 👍 on each vote taken, and an answer to the unnamed one saying which ids to name.
    const outbox = await readOutbox(harness.runtime.outboxPath);
    expect(outbox.filter((e) => e.kind === 'github_reaction').map((e) => [e.commentId, e.content])).toEqual([[1, '+1'], [2, '+1'], [7, '+1']]);
    const answers = outbox.filter((e) => e.kind === 'github_comment' && e.marker === commandAnswerMarker(6));
    expect(answers).toHaveLength(1);
    expect(answers[0]?.target).toBe('acme-shop/checkout-service#1287');
    expect(answers[0]?.body).toContain(`decided nothing: several incidents on \`acme-shop/checkout-service#1287\`: reply \`/guard feedback up <incident>\` with one of \`${newest}, ${first}\``);
    expect(outbox.filter((e) => e.kind === 'github_comment' && /command-answer/.test(String(e.marker)))).toHaveLength(1);
  });

  it('refuses a forged comment', async () => {
    const forged = await deliverWebhook(harness.runtime.url, comment('acme-shop', '/guard feedback down', 5), 'not-the-secret');

    expect(forged.status).toBe(401);
  });
});

describe('experiments: counters stay exact under concurrent outcome events', () => {
  const ID = 'triage-strategy';

  it('refuses to create an experiment without the bearer token', async () => {
    const response = await api('POST', '/experiments', { id: 'x' }, null);

    expect(response.status).toBe(401);
  });

  it('assigns 50 concurrent failures and counts 50 concurrent (and redelivered) recoveries exactly once', async () => {
    // Arrange: an experiment over every incident, then 50 failures on 50 branches, all at once
    const created = await api<{ id: string }>('POST', '/experiments', {
      id: ID,
      variants: [
        { name: 'comment', action: 'comment_only', weight: 1 },
        { name: 'escalate', action: 'escalate', weight: 1 },
      ],
      metric: { kind: 'recovered_within', minutes: 1440 },
      minSamplePerVariant: 5,
    });
    expect(created.status).toBe(201);
    const runs = Array.from({ length: 50 }, (_, i) => ({ failure: 12000000000 + i, success: 12100000000 + i, branch: `load/${i}`, sha: (i + 1).toString(16).padStart(40, 'c') }));
    await Promise.all(runs.map((r) => deliverWebhook(harness.runtime.url, variantOf('workflow_run-failure', { runId: r.failure, branch: r.branch, sha: r.sha }), SECRET)));
    await harness.runtime.idle();

    // Act: each branch goes green, and every success is delivered twice, concurrently
    const deliveries = runs.flatMap((r) => {
      const success = variantOf('workflow_run-success', { runId: r.success, branch: r.branch, sha: r.sha });
      return [success, structuredClone(success)];
    });
    const responses = await Promise.all(deliveries.map((d) => deliverWebhook(harness.runtime.url, d, SECRET)));
    // The replies only queued the recoveries; the outcome recorder records them (several at once).
    await harness.runtime.idle();

    // Assert
    expect(responses.every((r) => r.status === 202)).toBe(true);
    const incidents = await Promise.all(runs.map((r) => incident(`gh-${REPOSITORY_ID}-${r.failure}-1`)));
    expect(incidents.every((i) => i.status === 'resolved' && i.experiment?.experimentId === ID)).toBe(true);
    const assigned = { comment: 0, escalate: 0 } as Record<string, number>;
    for (const i of incidents) assigned[i.experiment?.variant ?? '']! += 1;
    const report = await api<ExperimentReport>('GET', `/experiments/${ID}`, undefined, null);
    const byName = Object.fromEntries(report.body.results.map((r) => [r.name, r]));
    // The recorded failures are long past their day's window: every unit is final, counted once with its success.
    expect(byName.comment).toMatchObject({ assigned: assigned.comment, attempts: assigned.comment, successes: assigned.comment, pending: 0 });
    expect(byName.escalate).toMatchObject({ assigned: assigned.escalate, attempts: assigned.escalate, successes: assigned.escalate, pending: 0 });
    expect(assigned.comment! + assigned.escalate!).toBe(50);
    expect(report.body.decision.state).toMatch(/continue|collecting/);
  });
});

describe('quality gate: POST /gates/evaluate', () => {
  const evaluate = (branch: string, sha: string, metrics: Record<string, number>, token: string | null = TOKEN) =>
    api<{ decision: string; reasons: string[]; accepted: boolean; baseline: { runs: number; means: Record<string, number> } }>(
      'POST',
      '/gates/evaluate',
      { repository: 'acme-shop/checkout-service', branch, sha, metrics },
      token,
    );

  it('needs the bearer token and a valid body', async () => {
    expect((await evaluate('main', 'aaaaaaa', { coverage_pct: 80 }, null)).status).toBe(401);
    expect((await evaluate('main', 'aaaaaaa', { coverage_pct: 80 }, 'wrong-token-wrong-token')).status).toBe(401);
    const bad = await api<{ message: string }>('POST', '/gates/evaluate', { repository: 'acme-shop/checkout-service', branch: 'main', sha: 'zz', metrics: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('sha');
  });

  it('builds the baseline from passing default-branch runs and judges branches against it', async () => {
    // Arrange: three accepted runs on main (coverage 80/82/81 → mean 81)
    for (const [sha, coverage] of [['a000001', 80], ['a000002', 82], ['a000003', 81]] as const) {
      const response = await evaluate('main', sha, { coverage_pct: coverage, vuln_high: 2, vuln_critical: 0 });
      expect(response.body).toMatchObject({ decision: 'pass', accepted: true });
    }

    // Act
    const dropped = await evaluate('feature/x', 'b000001', { coverage_pct: 75.5, vuln_high: 2, vuln_critical: 0 });
    const stillLow = await evaluate('feature/x', 'b000002', { coverage_pct: 76.5, vuln_high: 2, vuln_critical: 0 });
    const recovered = await evaluate('feature/x', 'b000003', { coverage_pct: 79, vuln_high: 2, vuln_critical: 0 });
    const critical = await evaluate('feature/y', 'c000001', { coverage_pct: 81, vuln_high: 2, vuln_critical: 1 });
    const failingMain = await evaluate('main', 'a000004', { coverage_pct: 60, vuln_high: 2, vuln_critical: 0 });
    const after = await evaluate('feature/z', 'd000001', { coverage_pct: 81 });

    // Assert
    expect(dropped.body.decision).toBe('fail');
    expect(dropped.body.reasons[0]).toContain('coverage dropped by 5.5 points (baseline 81');
    expect(stillLow.body.decision).toBe('fail'); // 4.5 points: under 5, but not under 4 while recovering (hysteresis)
    expect(recovered.body.decision).toBe('pass');
    expect(critical.body.decision).toBe('fail');
    expect(critical.body.reasons.join(' ')).toContain('critical vulnerabilities rose by 1');
    expect(failingMain.body).toMatchObject({ decision: 'fail', accepted: false });
    expect(after.body.baseline).toMatchObject({ runs: 3, means: { coverage_pct: 81 } });
  });
});

describe('guard kb and guard experiments against the runtime\'s tables', () => {
  function capture(): CliIO & { lines: string[]; errors: string[] } {
    const lines: string[] = [];
    const errors: string[] = [];
    return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), stdin: (async function* () {})() };
  }

  it('imports a CSV once, reports bad rows, and finds the entries by text', async () => {
    // Arrange
    const file = join(harness.dataDir, 'history.csv');
    await writeFile(
      file,
      [
        'timestamp,title,description,service,severity,resolution_time,solution,tags,success',
        '2026-10-01T10:00:00Z,Integration tests time out,"Error: Timeout of 5000ms exceeded, waiting for postgres",orders,high,30,"Re-ran the job; raised the pool size",timeout,true',
        '2026-10-02T10:00:00Z,Integration tests time out,"Error: Timeout of 5000ms exceeded, waiting for postgres",orders,high,25,Re-ran the job,timeout,false',
        '2026-10-03T10:00:00Z,,missing title,orders,low,,,,maybe',
      ].join('\n'),
    );
    const kb = createKbCommand(async () => harness.runtime.learning);

    // Act
    const io = capture();
    const code = await kb.run(['import', file, '--quiet'], io);
    const repeat = capture();
    await kb.run(['import', file, '--quiet'], repeat);
    const search = capture();
    await kb.run(['search', 'postgres', 'timeout'], search);
    // The same rows as PowerShell's `>` writes them: UTF-16 with a byte order mark.
    const utf16 = join(harness.dataDir, 'history-utf16.csv');
    await writeFile(utf16, Buffer.from(`\ufeff${await readFile(file, 'utf8')}`, 'utf16le'));
    const fromUtf16 = capture();
    await kb.run(['import', utf16, '--quiet'], fromUtf16);

    // Assert
    expect(code).toBe(1);
    expect(io.lines).toEqual(['imported 2 of 3 rows (0 already imported, 1 invalid)']);
    expect(io.errors[0]).toMatch(/^row 3: title/);
    expect(repeat.lines).toEqual(['imported 0 of 3 rows (2 already imported, 1 invalid)']);
    expect(fromUtf16.lines).toEqual(['imported 0 of 3 rows (2 already imported, 1 invalid)']);
    expect(search.lines[0]).toMatch(/imported\s+timeout .* re-running the failed jobs 1\/2 .*Integration tests time out/);
  });

  it('shows an experiment\'s table and decision', async () => {
    const io = capture();

    const code = await createExperimentsCommand(async () => harness.runtime.learning).run(['show', 'triage-strategy'], io);

    expect(code).toBe(0);
    expect(io.lines[0]).toContain('experiment triage-strategy (running)');
    expect(io.lines[0]).toContain('variant');
    expect(io.lines[0]).toMatch(/decision: (continue|collecting)/);
  });
});

describe('experiments: promoting and stopping over HTTP', () => {
  /** An experiment of two arms with no sample yet: the stopping rule names no winner. */
  async function createUndecided(id: string): Promise<void> {
    const variants = [
      { name: 'rerun', action: 'rerun_failed_jobs', weight: 1 },
      { name: 'escalate', action: 'escalate', weight: 1 },
    ];
    expect((await api('POST', '/experiments', { id, variants, metric: { kind: 'recovered_within', minutes: 60 }, categories: ['network'] })).status).toBe(201);
  }

  it('answers 400 to promoting without a winner, saying how to name a variant and which there are', async () => {
    const id = 'promote-undecided';
    await createUndecided(id);

    const undecided = await api<{ message: string }>('POST', `/experiments/${id}/promote`, {});

    expect(undecided.status).toBe(400);
    expect(undecided.body.message).toMatch(
      new RegExp(`^experiment ${id} has no winner yet \\(.+\\); name a variant \\(rerun, escalate\\) to promote it anyway: guard experiments promote ${id} --variant <name>, or \\{"variant": "<name>"\\} in the request$`),
    );
  });

  it('answers 409 to promoting or stopping an experiment that was already promoted, with or without a winner', async () => {
    // Arrange: an experiment with no sample yet, promoted by naming a variant
    const id = 'promote-twice';
    await createUndecided(id);
    expect((await api('POST', `/experiments/${id}/promote`, { variant: 'rerun' })).status).toBe(200);

    // Act
    const again = await api<{ message: string }>('POST', `/experiments/${id}/promote`, {});
    const named = await api<{ message: string }>('POST', `/experiments/${id}/promote`, { variant: 'escalate' });
    const stop = await api<{ message: string }>('POST', `/experiments/${id}/stop`);

    // Assert
    expect(again).toEqual({ status: 409, body: { message: `experiment ${id} is promoted` } });
    expect(named).toEqual({ status: 409, body: { message: `experiment ${id} is promoted` } });
    expect(stop).toEqual({ status: 409, body: { message: `experiment ${id} is promoted` } });
  });
});
