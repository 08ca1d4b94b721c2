/**
 * Attack pass 46d (session 44): defects in the session's latest fixes, each an `it` that fails until fixed.
 *
 * D1 holderAsking (attack-46a A4): a waiter that started within 10 s of its holder fails its attempt with
 *    RetryableError at once, without waiting the 200 ms the holder needs to decide.
 * D2 rotatingGitHubClients (attack-46a A3): after a rotation every request through a port handed out before it gets
 *    a client of its own, so the writes of one step are no longer paced.
 * D4 githubToken (attack-46a A5): a plain GITHUB_TOKEN with a trailing newline (or CR) fails the cold start; the
 *    client trimmed it before, so the check broke configurations that worked.
 * D3 followUnrecordedRun (attack-46b B2): a run whose alarm recovered meanwhile and that ended in Success is paged.
 */
import { describe, expect, it } from 'vitest';
import { decideRequestAsking, holderAsking } from '../../shared/notify/approval-groups.js';
import { createGitHubClients } from '../../shared/github/clients.js';
import { loadConfig } from '../../shared/config.js';
import { createNonCommentingGitHub } from '../../shared/runtime/deps.js';
import { rotatingGitHubClients } from '../../shared/github/rotating-clients.js';
import type { GitHubAuth } from '../../shared/github/clients.js';
import type { Incident } from '../../shared/domain/incident.js';
import { createMemoryEscalationLedger, steppedTime } from '../support/fakes.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { scratchStoreForFile } from '../support/harness.js';
import { alarmEvent, reconcileRunbookChecksAt, runbookEpisode } from '../support/alarm-events.js';

const REPO = { owner: 'acme', repo: 'app' };

/** A holder of its problem's claim that has not decided how its request is asked, its Notify ending at `decidesBy`. */
const holder = (decidesBy: number) => ({
  id: 'inc-holder',
  history: [],
  approval: {
    status: 'pending' as const, taskToken: 'tok-holder', requestedAt: new Date().toISOString(), decidedAt: null, decidedBy: null, reason: null,
    decidesBy: new Date(decidesBy).toISOString(),
  },
});

describe('attack-46d: approvals, a holder deciding in a moment (A4 fix)', () => {
  it('D1: a request of an alarm storm that starts 5 s after its holder waits the moment the holder takes to decide, rather than fail its attempt at once', async () => {
    // Prepare: two ALARMs of one problem 5 s apart (a storm: the normal case), each Notify with the same 60 s
    // timeout. The holder decides "alone" 300 ms into the waiter's check, long before either invocation ends.
    // On a stepped clock (session 45): the waiter's 300 ms go by without waiting in real time.
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const now = time.clock().getTime();
    const holderEnds = now + 55_000; // started 5 s before the waiter
    const waiterEnds = now + 60_000;
    time.after(300, () => void decideRequestAsking(holder(holderEnds) as unknown as Incident, 'tok-holder', { alone: true }, { escalationLedger, clock: time.clock }));

    // Act
    const started = time.clock().getTime();
    const asking = await holderAsking(holder(holderEnds), 'tok-holder', { escalationLedger, ...time, invocationEndsAt: waiterEnds }).catch((error: unknown) => error);

    // Assess: the holder's decision is read (it took 300 ms). Observed: RetryableError thrown on the first read, as
    // `until` (55 s away) > waiterEnds − 10 s: the attempt fails and is retried by the state machine (5 s, ×2), using
    // up the Notify state's RetryableError attempts that a throttled DynamoDB or SES also draws on.
    expect(asking).toEqual({ alone: true });
    expect(time.clock().getTime() - started).toBeLessThan(5_000);
  });
});

describe('attack-46d: GitHub credential rotation (A3 fix)', () => {
  /** A fetch that answers every request and records when each POST went out. */
  function recordingFetch(posts: number[]) {
    return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (method === 'POST') posts.push(Date.now());
      return new Response(JSON.stringify({ id: 1, content: '+1' }), { status: 201, headers: { 'content-type': 'application/json' } });
    };
  }

  /**
   * The pacer's spacing, and the least time three paced writes can span as the fetch sees them: two spacings less an eighth
   * of them, for the first request's longer way to the fetch on a loaded machine (with 400 ms and a bound of 700, 682
   * was seen at load 9, session 45). Unpaced writes, the defect, go out together.
   */
  const WRITE_INTERVAL_MS = 1_000;
  const PACED_THREE_WRITES_MS = 2 * WRITE_INTERVAL_MS - WRITE_INTERVAL_MS / 4;

  function rotating(posts: number[], rotate: boolean) {
    let at = 0;
    const clients = rotatingGitHubClients<GitHubAuth>({
      credential: { kind: 'token', token: 'ghp_oldOldOldOldOldOld1' },
      read: async () => ({ kind: 'token', token: rotate ? 'ghp_newNewNewNewNewNew2' : 'ghp_oldOldOldOldOldOld1' }),
      build: (auth) => createGitHubClients({ auth, client: { fetch: recordingFetch(posts) as typeof fetch, writeIntervalMs: WRITE_INTERVAL_MS, retries: 0 } }),
      same: (a, b) => a.kind === 'token' && b.kind === 'token' && a.token === b.token,
      maxAgeMs: 300_000,
      now: () => at,
    });
    return { clients, due: () => { at = 300_000; } };
  }

  it('control: the writes of one step through one port are paced (writeIntervalMs) when the credential read again is the same', async () => {
    const posts: number[] = [];
    const { clients, due } = rotating(posts, false);
    due();
    const port = clients.forInstallation(1, new AbortController().signal)!;
    await Promise.all([port.addCommentReaction(REPO, 1, '+1'), port.addCommentReaction(REPO, 2, '+1'), port.addCommentReaction(REPO, 3, '+1')]);
    expect(posts).toHaveLength(3);
    expect(posts[2]! - posts[0]!).toBeGreaterThanOrEqual(PACED_THREE_WRITES_MS);
  });

  it('D2: the writes of one step through a port handed out as a rotated credential is read again stay paced', async () => {
    // Prepare: the step's port is handed out as the re-read becomes due; the token was rotated in Secrets Manager.
    const posts: number[] = [];
    const { clients, due } = rotating(posts, true);
    due();
    const port = clients.forInstallation(1, new AbortController().signal)!;

    // Act: three writes of one step (a Notify's comment and reactions, a reconciler's pass over many incidents).
    await Promise.all([port.addCommentReaction(REPO, 1, '+1'), port.addCommentReaction(REPO, 2, '+1'), port.addCommentReaction(REPO, 3, '+1')]);

    // Assess: paced as before the rotation (two spacings between the first and the third). Observed: all three at once —
    // the Proxy builds `clients.forInstallation(installationId, signal)` anew for every request (a new Octokit, a new
    // per-client pacer) once the clients changed, so GitHub's 1 s write spacing is lost (secondary rate limits).
    expect(posts).toHaveLength(3);
    expect(posts[2]! - posts[0]!).toBeGreaterThanOrEqual(PACED_THREE_WRITES_MS);
  });
});

describe('attack-46d: a promised outcome after the OK (attack-46b B2 fix)', () => {
  const scratch = scratchStoreForFile('guard-a46d-claims');
  let alarms = 0;

  // D3: the holder's step stopped following its run still going (runNotEnded), the alarm's OK resolved the holder at
  // 14:30, and the run then SUCCEEDED. followUnrecordedRun's B2 branch publishes on the escalation topic (a page)
  // whatever the run's status: "the runbook run exec-1 … has ended: Success; its alarm had recovered meanwhile". The
  // alarm is OK and the runbook did what it should: nobody must act (README, "Quiet by design": on-call is paged only
  // when a human must act). Required: recorded on the incident (the dashboard), not paged.
  it("D3: does not page on-call that a run whose alarm recovered meanwhile ended in Success (nobody must act)", async () => {
    const ep = await runbookEpisode(scratch.client, 'a46d', ++alarms, { status: 'InProgress', env: { RUNBOOK_WAIT_SECONDS: '0' } });
    const { deps, published, runner, first, name } = ep;
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ runNotEnded: true });
    await recordAlarmRecovery(alarmEvent('a46d', 'OK', '2026-11-20T14:30:00.000+0000', { name, previous: { value: 'ALARM', at: '2026-11-20T10:07:00.000+0000' } }), {
      ...deps,
      clock: () => new Date('2026-11-20T14:30:30Z'),
    });
    const pagesBefore = published.length;
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });
    await reconcileRunbookChecksAt(ep, '14:35:00');

    // The outcome is recorded …
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { executionId: 'exec-1' }, action: 'run_runbook' });
    // … but nobody is paged: the alarm is OK and the run succeeded. Observed: one page "has ended: … Success".
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('exec-1')).map((p) => p.message.split('\n').find((line) => line.includes('exec-1')))).toEqual([]);
  });
});

describe('attack-46d: the token form check (A5 fix)', () => {
  // D4: githubToken (shared/runtime/deps.ts) tests the raw value against /^[A-Za-z0-9._~+/=-]+$/ (JS `$` does not match
  // before a final newline). A plain GITHUB_TOKEN set from a file or a CRLF env file (`--env-file`, a pasted value)
  // ends with "\n" or "\r": createGitHubClient trims it (`options.token?.trim()`), so it worked before session 44, and
  // readSecret trims a secret's value; now the function fails its cold start with a ConfigError. Required: trimmed
  // (as the client and readSecret do), then checked.
  it('control: the same token without the line end is taken', async () => {
    const config = loadConfig({ AWS_REGION: 'us-east-1', INCIDENTS_TABLE: 'incidents', GITHUB_TOKEN: 'ghp_attack46dnewline00000000000000000' });
    expect(await createNonCommentingGitHub(config).then(() => 'built', (error: unknown) => String(error))).toBe('built');
  });
  it.each([['a newline', '\n'], ['a carriage return', '\r'], ['CRLF', '\r\n']])('D4: a plain GITHUB_TOKEN ending with %s is taken (trimmed), not refused at cold start', async (_what, end) => {
    const config = loadConfig({ AWS_REGION: 'us-east-1', INCIDENTS_TABLE: 'incidents', GITHUB_TOKEN: `ghp_attack46dnewline00000000000000000${end}` });
    const built = await createNonCommentingGitHub(config).then(() => 'built', (error: unknown) => String(error));
    expect(built).toBe('built');
  });
});
