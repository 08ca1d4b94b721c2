import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { experimentReport } from '../../shared/experiments/report.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { collectReactionFeedback } from '../../shared/knowledge/reactions.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore, incidentKey } from '../../shared/stores/incident-store.js';
import { REACTION_FEEDBACK_COMMENT } from '../../shared/knowledge/feedback-source.js';
import { FakeGitHub, clientFor } from '../support/fake-github.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * 👍/👎 reactions on the guard's PR comment, read from a GitHub-like server in the shapes GitHub's REST API answers
 * (`GET …/issues/comments/{id}/reactions`), into a `positive_feedback` experiment: each writer's latest reaction
 * state is what counts while the unit's window is open, and nothing changes once its outcome is final.
 */
const scratch = scratchStoreForFile('guard-reaction-outcomes');
const T0 = new Date('2026-11-02T09:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const COMMENT_ID = 99;
const WINDOW_MINUTES = 60;

let github: FakeGitHub;
beforeEach(async () => {
  github = await FakeGitHub.start();
  github.permissions.set('maya', 'write');
  github.permissions.set('lee', 'maintain');
  github.permissions.set('drive-by', 'read');
});
afterEach(async () => {
  await github.close();
});

/** A reaction as GitHub lists it. */
function reaction(login: string, content: '+1' | '-1', at: Date, type = 'User') {
  return { id: Math.floor(Math.random() * 1e9), node_id: 'REA_x', content, created_at: at.toISOString(), user: { login, id: 1, type } };
}

let experimentCount = 0;

/** A `positive_feedback` experiment, one failing commit assigned to it and the guard's comment on its pull request. */
async function experimentWithOneUnit() {
  let now = T0;
  const client = scratch.store.documents();
  const learning = learningOn(client, () => now);
  const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
  experimentCount += 1;
  const id = `thumbs-${experimentCount}`;
  // A category of its own per experiment: an incident joins the oldest running experiment that covers it.
  const category = (['lint', 'test_failure', 'compilation', 'dependency', 'unknown', 'timeout', 'network', 'security_scan', 'configuration', 'infrastructure'] as const)[experimentCount - 1] ?? 'out_of_memory';
  await learning.experiments.create(
    { id, categories: [category], variants: [{ name: 'short', action: 'comment_only', weight: 1, params: { commentDetail: 'short' } }, { name: 'full', action: 'comment_only', weight: 1 }], metric: { kind: 'positive_feedback', minutes: WINDOW_MINUTES }, minSamplePerVariant: 5 },
    T0,
  );
  const incidentId = `gh-1-${7000 + experimentCount}-1`;
  const repository = `octo/app-${experimentCount}`;
  const created = newIncident(
    {
      id: incidentId, source: 'github', repository, workflowName: 'CI', runId: 7000 + experimentCount, runAttempt: 1, headSha: String(experimentCount).padStart(40, 'c'),
      category, fingerprint: `abcd${experimentCount}`.padEnd(10, '0'), fromFork: false, failedAt: T0.toISOString(), pullRequest: 7,
      notifications: [{ channel: 'github_comment', target: `${repository}#7`, outcome: 'created', detail: null, at: T0.toISOString(), commentId: COMMENT_ID }],
    },
    T0,
  );
  await incidents.create(created, null);
  const { experiment } = await learning.lookup(created, summarizeHistory(created, []));
  const incident = await incidents.update(incidentId, { experiment });
  return {
    learning,
    incident,
    /** Reads the comment's reactions at `at`, as the guard does whenever it touches the comment. */
    async collect(at: Date) {
      now = at;
      return collectReactionFeedback((await incidents.get(incidentId)) as Incident, clientFor(github), { learning, logger: silentLogger });
    },
    /** The guard's re-run applied to the incident, as the remediation stage records it. */
    async rerunApplied() {
      await incidents.update(incidentId, { decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: T0.toISOString() } });
    },
    falsePositives: async () => (await learning.baselines.metrics(repository)).falsePositives,
    /** A `/guard feedback` command delivered at `at`; `writtenAt`: when its comment was written, as the delivery says. */
    async command(vote: 'up' | 'down', user: string, at: Date, writtenAt?: Date) {
      now = at;
      const source = writtenAt ? ({ via: 'command', writtenAt: writtenAt.toISOString() } as const) : undefined;
      return learning.onFeedback((await incidents.get(incidentId)) as Incident, vote, user, null, source);
    },
    /** The unit's outcome once final, and the incident's feedback counters. */
    async outcome() {
      const report = await experimentReport(learning.experiments, id, minutes(3 * WINDOW_MINUTES));
      const arm = report.results.find((result) => result.name === incident.experiment?.variant);
      const stored = (await incidents.get(incidentId)) as Incident & { feedbackUp?: number; feedbackDown?: number };
      return { final: arm?.attempts, success: arm?.successes, up: stored.feedbackUp ?? 0, down: stored.feedbackDown ?? 0 };
    },
  };
}

describe('reactions on the guard comment in a positive_feedback experiment', () => {
  it('counts a 👍 changed to 👎 inside the window as the 👎 it became, not a success', async () => {
    // Prepare: maya 👍 at 5 minutes, read at 10; at 20 she has taken it back and reacted 👎 (GitHub lists only the 👎)
    const run = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5)), reaction('drive-by', '+1', minutes(6)), reaction('renovate[bot]', '+1', minutes(6), 'Bot')]);
    await run.collect(minutes(10));
    github.reactions.set(COMMENT_ID, [reaction('maya', '-1', minutes(15)), reaction('drive-by', '+1', minutes(6)), reaction('renovate[bot]', '+1', minutes(6), 'Bot')]);

    // Act
    await run.collect(minutes(20));

    // Assert: the unit is final with no success (it stayed one, and the 👍 kept counting as well)
    expect(run.incident.experiment).not.toBeNull();
    expect(await run.outcome()).toEqual({ final: 1, success: 0, up: 0, down: 1 });
  });

  it('counts a writer who reacted both ways by the later reaction', async () => {
    // Prepare: maya 👍 at 5, read at 10; she adds a 👎 at 15 and leaves the 👍 (GitHub lists both)
    const run = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5))]);
    await run.collect(minutes(10));
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5)), reaction('maya', '-1', minutes(15))]);

    // Act
    await run.collect(minutes(20));

    // Assert: a user with both used to count as neither, so the 👍 counted before stayed a success
    expect(await run.outcome()).toEqual({ final: 1, success: 0, up: 0, down: 1 });
  });

  it('takes back a 👍 that was removed inside the window, but not a command vote nor another writer’s 👍', async () => {
    // Prepare: maya and lee 👍; lee also voted up with a command
    const run = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5))]);
    await run.collect(minutes(10));
    const removedOnly = await (async () => {
      github.reactions.set(COMMENT_ID, []);
      await run.collect(minutes(20));
      return run.outcome();
    })();
    await run.command('up', 'lee', minutes(25));

    // Act: nobody has a reaction left at 30 minutes
    await run.collect(minutes(30));

    // Assert: maya's removed 👍 counts nothing; lee's command vote stands, and makes the unit a success
    expect(removedOnly).toEqual({ final: 1, success: 0, up: 0, down: 0 });
    expect(await run.outcome()).toEqual({ final: 1, success: 1, up: 1, down: 0 });
  });

  it("lets a writer's command vote stand again when the reaction that overrode it is removed", async () => {
    // Prepare: maya votes down and lee up by command; then maya 👍 and lee 👎 on the comment, read at 10 minutes
    const run = await experimentWithOneUnit();
    await run.command('down', 'maya', minutes(2));
    await run.command('up', 'lee', minutes(3));
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5)), reaction('lee', '-1', minutes(6))]);
    await run.collect(minutes(10));
    const overridden = await run.outcome();
    github.reactions.set(COMMENT_ID, []);

    // Act: both reactions are gone at 20 minutes
    await run.collect(minutes(20));

    // Assert: each writer's command is their latest standing vote again (both votes used to be withdrawn entirely)
    expect(overridden).toEqual({ final: 1, success: 1, up: 1, down: 1 });
    expect(await run.outcome()).toEqual({ final: 1, success: 1, up: 1, down: 1 });
    const stored = await run.learning.onFeedback(run.incident, 'down', 'maya', null);
    expect(stored).toEqual({ counted: false, previous: 'down' });
  });

  it('reads the votes stored before a command and a reaction were kept apart', async () => {
    // Prepare: as the earlier code stored them, maya's 👍 read at 10 minutes and lee's command down at 12
    const run = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5))]);
    await run.collect(minutes(10));
    await run.command('down', 'lee', minutes(12));
    const { pk } = incidentKey(run.incident.id);
    const stored = [
      { pk, sk: 'FEEDBACK#maya', vote: 'up', user: 'maya', comment: REACTION_FEEDBACK_COMMENT, at: minutes(10).toISOString(), via: 'reaction', expressedAt: minutes(5).toISOString(), commentId: COMMENT_ID },
      { pk, sk: 'FEEDBACK#lee', vote: 'down', user: 'lee', comment: null, at: minutes(12).toISOString(), via: 'command', expressedAt: minutes(12).toISOString() },
    ];
    for (const item of stored) await scratch.store.documents().send(new PutCommand({ TableName: 'incidents', Item: item }));

    // Act: lee 👍 at 15 minutes (maya's is gone), read at 20; then his is gone too, read at 30
    for (const [reactions, at] of [[[reaction('lee', '+1', minutes(15))], 20], [[], 30]] as const) {
      github.reactions.set(COMMENT_ID, [...reactions]);
      await run.collect(minutes(at));
    }

    // Assert: maya's removed 👍 is taken back; lee's 👍 overrode his command, which stands again once it is gone
    expect(await run.outcome()).toEqual({ final: 1, success: 0, up: 0, down: 1 });
  });

  it('changes nothing once the window has closed', async () => {
    // Prepare: maya 👍 at 5, read at 10; the window closes at 60
    const run = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5))]);
    await run.collect(minutes(10));
    const before = await run.outcome();
    github.reactions.set(COMMENT_ID, [reaction('maya', '-1', minutes(70))]);

    // Act: read at 80, after the window
    await run.collect(minutes(80));

    // Assert: the outcome stays a success; the incident's own counters follow the latest state
    expect(before).toMatchObject({ final: 1, success: 1 });
    expect(await run.outcome()).toEqual({ final: 1, success: 1, up: 0, down: 1 });
  });

  it('counts a 👍 by when it was made: made inside the window and first read after it, it counts; made after it, it does not', async () => {
    // Prepare: nothing touches the comment inside either window; maya 👍 at 5 minutes on one, at 70 on the other
    const inside = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(5))]);
    await inside.collect(minutes(80));
    const after = await experimentWithOneUnit();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(70))]);

    // Act: both read for the first time at 80 minutes, after the 60-minute window
    await after.collect(minutes(80));

    // Assert: read late, the 👍 made at 5 minutes used to count as a failure
    expect(await inside.outcome()).toEqual({ final: 1, success: 1, up: 1, down: 0 });
    expect(await after.outcome()).toEqual({ final: 1, success: 0, up: 1, down: 0 });
  });

  it("counts no 👎 from a bot with write access, a triager or a stranger, and none dated in GitHub's future as made later than it was read", async () => {
    // Prepare: a deploy bot with write access, a triager and a stranger 👎 the comment (attacker pass, session 28);
    // maya's 👍 carries a time ahead of the guard's clock
    const run = await experimentWithOneUnit();
    github.permissions.set('deploy-bot[bot]', 'write');
    github.permissions.set('tri', 'triage');
    github.reactions.set(COMMENT_ID, [
      reaction('deploy-bot[bot]', '-1', minutes(5), 'Bot'), reaction('tri', '-1', minutes(5)), reaction('stranger', '-1', minutes(5)),
      reaction('maya', '+1', minutes(40)),
    ]);
    await run.collect(minutes(10));

    // Act: maya votes down by command at 12; the same reactions are read again at 20
    await run.command('down', 'maya', minutes(12), minutes(12));
    await run.collect(minutes(20));

    // Assert: only maya counts; her 👍 was taken as made at 10 and 20 (when read), so her command at 12 stood
    // between, and the 👍 stamped 40 is her latest word by GitHub's clock at 20
    expect(await run.outcome()).toEqual({ final: 1, success: 1, up: 1, down: 0 });
  });

  it('takes a command delivered again (a redelivery, a late delivery) by when it was written: it does not override a later 👎', async () => {
    // Prepare: maya's `/guard feedback up`, written and delivered at 2 minutes; at 15 she reacts 👎, read at 20
    const run = await experimentWithOneUnit();
    await run.command('up', 'maya', minutes(2), minutes(2));
    github.reactions.set(COMMENT_ID, [reaction('maya', '-1', minutes(15))]);
    await run.collect(minutes(20));

    // Act: GitHub delivers the command written at 2 minutes once more, at 30 (attacker pass, session 28)
    const replayed = await run.command('up', 'maya', minutes(30), minutes(2));

    // Assert: her latest word is the 👎; the old command used to count as made at 30 and flip her vote back to 👍
    expect(replayed).toEqual({ counted: false, previous: 'down' });
    expect(await run.outcome()).toEqual({ final: 1, success: 0, up: 0, down: 1 });
  });

  it('counts a command delivered late by when it was written: written inside the window, it counts there', async () => {
    // Prepare: lee's `/guard feedback up` written at 50 minutes, inside the 60-minute window
    const run = await experimentWithOneUnit();

    // Act: delivered at 75 minutes
    await run.command('up', 'lee', minutes(75), minutes(50));

    // Assert: it used to count as made at 75, after the window, and the unit ended without a success
    expect(await run.outcome()).toEqual({ final: 1, success: 1, up: 1, down: 0 });
  });

  it("takes back the false positive a writer's 👎 on the guard's re-run counted when the 👎 becomes a 👍", async () => {
    // Prepare
    const run = await experimentWithOneUnit();
    await run.rerunApplied();
    github.reactions.set(COMMENT_ID, [reaction('maya', '-1', minutes(5))]);
    await run.collect(minutes(10));
    const counted = await run.falsePositives();
    github.reactions.set(COMMENT_ID, [reaction('maya', '+1', minutes(15))]);

    // Act
    await run.collect(minutes(20));

    // Assert
    expect(counted).toBe(1);
    expect(await run.falsePositives()).toBe(0);
    expect(await run.outcome()).toMatchObject({ up: 1, down: 0 });
  });
});
