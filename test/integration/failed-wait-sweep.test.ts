import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { createIncidentsCommand, failedWaitSweepFromEnv } from '../../shared/cli/commands/incidents.js';
import { NothingToReachError } from '../../shared/cli/local-runtime.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { GitHubRequestError } from '../../shared/github/errors.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import { FAILED_WAIT_COMMENT_DETAIL, sweepFailedWaits } from '../../shared/notify/failed-wait-sweep.js';
import type { EscalationMessage } from '../../shared/ports.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { tokenlessPendingWaits } from '../../shared/stores/tokenless-waits.js';
import { SimulatedCrash } from '../support/failing-writes.js';
import { createFakeGitHub } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { TOKENLESS, tokenlessWaitIncidents } from '../support/tokenless-waits.js';

/**
 * `guard incidents sweep-waits` on the embedded DynamoDB: approval waits that failed before session 65 (recorded
 * pending without a task token) are recorded failed and paged once, and nothing else is touched.
 */
const scratch = scratchStoreForFile('failed-wait-sweep');
const NOW = new Date('2026-11-29T12:00:00Z');
const clock = () => NOW;

const stored = tokenlessWaitIncidents(scratch, clock, 5000);

function sweeper(overrides: { replaceApproval?: (original: ReturnType<typeof createIncidentStore>['replaceApproval']) => ReturnType<typeof createIncidentStore>['replaceApproval'] } = {}) {
  const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 400, clock });
  const published: EscalationMessage[] = [];
  const github = createFakeGitHub();
  const deps = {
    incidents: overrides.replaceApproval ? { ...incidents, get: incidents.get.bind(incidents), replaceApproval: overrides.replaceApproval(incidents.replaceApproval.bind(incidents)) } : incidents,
    githubWriter: async () => staticGitHubClients(github.port),
    escalations: { publish: async (message: EscalationMessage) => (published.push(message), { messageId: `page-${published.length}` }) },
    escalationLedger: createDynamoEscalationLedger({ client: scratch.client, tableName: 'incidents' }),
    policyFile: {},
    clock,
    logger: silentLogger,
  };
  const sweep = (dryRun = false) => sweepFailedWaits(tokenlessPendingWaits({ client: scratch.client, tableName: 'incidents', pageSize: 3 }), deps, { dryRun });
  return { sweep, published, incidents, github };
}

describe('the sweep of approval waits that failed before session 65', () => {
  it('records each failed, pages once per problem, leaves decisions, live waits and recent ones alone, and finds nothing the second time', async () => {
    // Prepare: two failed waits of one repository (one problem), one of another; a decision, a live wait and a
    // request being recorded now (under 900 s old) that must not be touched.
    const shared = 6001;
    const [first, second, other] = [await stored(TOKENLESS, { repositoryId: shared }), await stored(TOKENLESS, { repositoryId: shared }), await stored(TOKENLESS)];
    const decided = await stored({ ...TOKENLESS, status: 'approved', taskToken: 'token-d', decidedAt: '2026-11-01T10:06:00Z', decidedBy: 'maintainer' });
    const waiting = await stored({ ...TOKENLESS, taskToken: 'token-w', requestedAt: '2026-11-29T11:50:00Z' }, { status: 'awaiting_approval' });
    const recent = await stored({ ...TOKENLESS, requestedAt: '2026-11-29T11:55:00Z' });
    const { sweep, published, incidents } = sweeper();

    // Act
    const done = await sweep();
    const again = await sweep();

    // Assert
    expect(done.paged.sort()).toEqual([first, other].sort());
    expect(done.recorded).toEqual([second]);
    expect(done.failed).toEqual([]);
    expect(published).toHaveLength(2);
    for (const id of [first, second, other]) {
      const swept = await incidents.get(id);
      expect(swept?.approval).toMatchObject({ status: 'failed', taskToken: null, reason: 'ThrottlingException: Rate exceeded' });
      expect(swept?.history.map((entry) => entry.event)).toContain('approval_wait_failed_swept');
      expect(swept?.notifications.filter((told) => told.channel === 'sns')).toHaveLength(1);
    }
    expect((await incidents.get(decided))?.approval).toMatchObject({ status: 'approved', taskToken: 'token-d' });
    expect((await incidents.get(waiting))?.approval).toMatchObject({ status: 'pending', taskToken: 'token-w' });
    expect((await incidents.get(recent))?.approval).toMatchObject({ status: 'pending', taskToken: null });
    expect(again).toMatchObject({ paged: [], recorded: [], failed: [] });
    expect(published).toHaveLength(2);
  });

  it('pages nobody again for a wait paged when it failed (no pull request), and records it failed', async () => {
    // Prepare
    const paged = await stored(TOKENLESS, {
      pullRequest: null, notifications: [{ channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: 'm-1', at: '2026-11-01T10:20:00Z' }],
    });
    const { sweep, published, incidents } = sweeper();

    // Act
    const done = await sweep();

    // Assert
    expect(done.recorded).toContain(paged);
    expect(published.filter((message) => message.message.includes(paged))).toHaveLength(0);
    expect((await incidents.get(paged))?.approval?.status).toBe('failed');
  });

  it('writes nothing and sends nothing in a dry run', async () => {
    // Prepare
    const id = await stored(TOKENLESS);
    const { sweep, published, incidents } = sweeper();

    // Act
    const planned = await sweep(true);

    // Assert
    expect(planned.paged).toContain(id);
    expect(published).toHaveLength(0);
    expect((await incidents.get(id))?.approval).toMatchObject({ status: 'pending', taskToken: null });
    // Swept for real, so the table holds no failed wait the next test does not make.
    await sweeper().sweep();
  });

  it('after a crash between the page and its record, the next sweep records it and the page goes once more at most', async () => {
    // Prepare: the first sweep dies as it records the wait failed, after its page went out.
    const id = await stored(TOKENLESS);
    const dying = sweeper({ replaceApproval: () => async () => Promise.reject(new SimulatedCrash('killed')) });
    const crashed = await dying.sweep();
    expect(crashed.failed).toContain(id);
    expect(dying.published.filter((message) => message.message.includes(id))).toHaveLength(1);

    // Act
    const next = sweeper();
    await next.sweep();
    const last = sweeper();
    await last.sweep();

    // Assert
    expect((await next.incidents.get(id))?.approval?.status).toBe('failed');
    expect(next.published.filter((message) => message.message.includes(id)).length).toBeLessThanOrEqual(1);
    expect(last.published).toHaveLength(0);
  });
});

describe("the sweep and the pull request's comment that still invites /guard approve", () => {
  const commented = (at: string) => ({ notifications: [{ channel: 'github_comment' as const, target: 'pr', outcome: 'created' as const, detail: 'failure', commentId: 77, at }] });

  it('rewrites the comment once to say the guard could not ask for approval, and records that it did', async () => {
    // Prepare
    const id = await stored(TOKENLESS, commented('2026-11-01T10:06:00Z'));
    const { sweep, github, incidents } = sweeper();
    const upserts = () => github.calls.filter((call) => call.method === 'upsertComment' && call.args[2] === COMMENT_MARKER);

    // Act
    await sweep();
    await sweep();

    // Assert
    const swept = await incidents.get(id);
    const [only] = upserts();
    expect(upserts()).toHaveLength(1);
    expect(only?.args[3]).toContain('could not ask for approval of the proposed fix');
    expect(only?.args[3]).not.toContain('/guard approve');
    expect(swept?.notifications.filter((told) => told.detail === FAILED_WAIT_COMMENT_DETAIL)).toMatchObject([{ channel: 'github_comment', outcome: 'created' }]);
  });

  it("leaves a comment a later incident of the pull request leads, and records GitHub's refusal of one it may not edit", async () => {
    // Prepare: one wait whose pull request commented for a newer incident since, one whose pull request is locked.
    const led = await stored(TOKENLESS, { ...commented('2026-11-01T10:06:00Z'), repositoryId: 7001, pullRequest: 90 });
    const decided = { ...TOKENLESS, status: 'approved' as const, decidedAt: '2026-11-02T10:00:00Z', decidedBy: 'maintainer' };
    await stored(decided, { ...commented('2026-11-02T10:00:00Z'), repositoryId: 7001, pullRequest: 90 });
    const locked = await stored(TOKENLESS, commented('2026-11-01T10:06:00Z'));
    const { sweep, github, incidents } = sweeper();
    github.port.upsertComment = async () => {
      throw new GitHubRequestError('Resource not accessible: the issue is locked', 403);
    };

    // Act
    const done = await sweep();

    // Assert
    expect(done.failed).toEqual([]);
    expect((await incidents.get(led))?.notifications.filter((told) => told.detail === FAILED_WAIT_COMMENT_DETAIL)).toEqual([]);
    expect((await incidents.get(locked))?.notifications.filter((told) => told.detail?.startsWith(FAILED_WAIT_COMMENT_DETAIL))).toMatchObject([{ outcome: 'failed' }]);
    expect((await incidents.get(locked))?.approval?.status).toBe('failed');
  });
});

describe('guard incidents sweep-waits', () => {
  it('says what to set up on a machine with no local runtime and no stack named, not which variable a function missed', async () => {
    // Prepare: a fresh machine: an empty data directory, no AWS settings.
    const dataDir = mkdtempSync(join(tmpdir(), 'guard-fresh-'));

    // Act
    const swept = failedWaitSweepFromEnv({ GUARD_DATA_DIR: dataDir })({ dryRun: true, onPage: () => undefined });

    // Assert
    await expect(swept).rejects.toBeInstanceOf(NothingToReachError);
    await expect(swept).rejects.toThrow(/npm start.*GUARD_DATA_DIR.*ESCALATION_TOPIC_ARN/);
    await expect(swept).rejects.toThrow(dataDir);
  });

  it("sweeps the tables its configuration names, pages into the outbox, and says what it did", async () => {
    // Prepare: the command's own wiring (config, stores, the outbox publisher) over the embedded store's endpoint.
    const id = await stored(TOKENLESS);
    const outbox = join(scratch.store.dir, 'sweep-outbox.jsonl');
    const env = { DYNAMODB_ENDPOINT: scratch.store.dynamo.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', INCIDENTS_TABLE: 'incidents', OUTBOX_PATH: outbox };
    const command = createIncidentsCommand(undefined, () => failedWaitSweepFromEnv(env));
    const out: string[] = [];
    const io = { out: (text: string) => void out.push(text), err: (text: string) => void out.push(text), stdin: (async function* () {})() };

    const echoed: unknown[][] = [];
    const stdout = vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void echoed.push(line));

    // Act
    const code = await command.run(['sweep-waits', '--quiet'], io).finally(() => stdout.mockRestore());

    // Assert: what it paged is in its summary and the outbox's file, not echoed to stdout (CI's log) besides.
    expect(code).toBe(0);
    expect(echoed).toEqual([]);
    // The command's clock is the real one: the earlier test's "recent" request is past 900 s by it, and is swept too.
    expect(out[0]).toMatch(/^recorded \d+ approval waits failed \(pending without a task token\): \d+ paged on-call/);
    expect(out).toContain(`  paged  ${id}`);
    expect(readFileSync(outbox, 'utf8')).toContain(id);
    expect((await createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 400, clock }).get(id))?.approval?.status).toBe('failed');
  });
});
