import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { commitToCommentOn } from '../../../shared/domain/handoff.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { GitHubRequestError } from '../../../shared/github/errors.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

/**
 * A failed run on a push has no pull request to explain it on: the guard comments on the pushed commit, where its
 * author sees it, once per run, and pages on-call only when that fails too or a person must act for another reason.
 */
const SHA = '9f2c4e1ab37d5c6e8f901b2a3c4d5e6f7a8b9c0d';

function pushTrigger(event = 'push', actor: string | null = 'dana-dev') {
  const body = structuredClone(loadWebhook('workflow_run-failure')).body as Record<string, any>;
  Object.assign(body.workflow_run, { event, head_branch: 'main', pull_requests: [], triggering_actor: actor === null ? null : { login: actor, type: 'User' } });
  return triggerFromWorkflowRun(body as never, 'delivery-push');
}

/** A push's failure handled up to Notify: a failing test, which the analysis explains and the guard only comments on. */
async function handled(deps: ReturnType<typeof stepDeps>['deps'], trigger = pushTrigger()) {
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: 'fp-push', failureLines: [{ line: 40, text: 'FAIL src/cart.test.ts' }] }, deps.clock()),
    githubIncidentScope(trigger),
  );
  await analyzeStep({ trigger }, deps);
  await remediateStep({ trigger }, deps);
  return trigger;
}

/** The @mentions GitHub renders in a comment: outside code blocks and code spans, not defused by a zero-width space. */
function renderedMentions(body: string): string[] {
  const prose = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
  return prose.match(/(?<![\w\u200b])@[A-Za-z0-9-]+/g) ?? [];
}

describe('a failed run on a push', () => {
  it('is explained in one comment on the pushed commit, which a retry or a redelivery does not repeat, and pages nobody', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only' }) });
    const trigger = await handled(deps);

    // Act: Notify, then the same again (a retried step, a re-driven execution).
    await notifyStep({ trigger }, deps);
    await notifyStep({ trigger }, deps);

    // Assert
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(incident.decision?.action).toBe('comment_only');
    expect([...github.commitComments.keys()]).toEqual([`acme-shop/checkout-service@${SHA} <!-- pipeline-guard:commit-comment run ${incident.runId} -->`]);
    expect([...github.commitComments.values()][0]).toMatch(/FAIL src\/cart\.test\.ts/);
    expect(incident.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['commit_comment:created', 'commit_comment:unchanged']);
    expect(published).toHaveLength(0);
    expect(nextStep(incident)).toMatchObject({ human: false, text: "Nothing for on-call: the guard's comment on commit 9f2c4e1 tells its author what failed." });
  });

  it('@mentions the user who pushed, so they are notified: never a bot, a login GitHub would not allow, or a name in the log', async () => {
    // Prepare: four pushes, by a person, a bot, a name no GitHub account can have, and nobody named; the log names someone.
    const comments = [];
    for (const actor of ['dana-dev', 'dependabot[bot]', 'bad--login', null]) {
      const github = createFakeGitHub();
      const { deps } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only' }) });
      const trigger = await handled(deps, pushTrigger('push', actor));
      const incident = (await deps.incidents.get(trigger.incidentId))!;
      await deps.incidents.update(trigger.incidentId, { failureLines: [...incident.failureLines, { line: 41, text: 'ping @mallory about this' }] });

      // Act
      await notifyStep({ trigger }, deps);
      comments.push([...github.commitComments.values()][0] ?? '');
    }

    // Assert
    const mentions = comments.map(renderedMentions);
    expect(mentions).toEqual([['@dana-dev'], [], [], []]);
    expect(comments[0]).toMatch(/^@dana-dev\b/m);
  });

  it('says it is written once and not updated: whether a later run passed is on the commit\'s checks', async () => {
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only' }) });
    const trigger = await handled(deps);

    await notifyStep({ trigger }, deps);

    expect([...github.commitComments.values()][0]).toContain("This comment is not updated: the commit's checks show whether a later run passed.");
  });

  it('pages on-call when GitHub refuses the commit comment (the App without Contents read), saying so', async () => {
    // Prepare
    const github = createFakeGitHub();
    github.port.commentOnCommit = async () => {
      throw new GitHubRequestError('GitHub refused (403): comment on commit 9f2c4e1ab37d in acme-shop/checkout-service: Resource not accessible by integration', 403);
    };
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only' }) });
    const trigger = await handled(deps);

    // Act
    await notifyStep({ trigger }, deps);

    // Assert
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(incident.notifications.map((n) => `${n.channel}:${n.outcome}`)).toEqual(['commit_comment:failed', 'sns:published']);
    expect(incident.notifications[0]?.detail).toMatch(/Resource not accessible by integration/);
    const message = published[0]?.message ?? '';
    expect(message).toContain('Why you are getting this: nobody else was told: the guard could not comment on commit 9f2c4e1.');
    expect(message).toContain('What it needs from you: Look at the run: the failing lines are above, and commit 9f2c4e1 has no comment from the guard.');
    expect(nextStep(incident)).toMatchObject({ human: true, text: expect.stringMatching(/^A person must look at this failure: the guard could not comment on commit 9f2c4e1\./) });
  });

  it('is not commented on while the re-run the guard started is under way: its result decides', async () => {
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'rerun_failed_jobs', confidence: 0.9 }) });
    const trigger = pushTrigger();
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'network', fingerprint: 'fp-net', failureLines: [{ line: 7, text: 'npm ERR! network ETIMEDOUT' }] }, deps.clock()),
      githubIncidentScope(trigger),
    );
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);

    await notifyStep({ trigger }, deps);

    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(incident.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(github.calls.some((c) => c.method === 'commentOnCommit')).toBe(false);
    expect(published).toHaveLength(0);
    expect(nextStep(incident).human).toBe(false);
  });

  it("a scheduled run's commit is not its author's to fix: no commit comment, on-call is paged as before", async () => {
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only' }) });
    const trigger = await handled(deps, pushTrigger('schedule'));

    await notifyStep({ trigger }, deps);

    expect(github.calls.some((c) => c.method === 'commentOnCommit')).toBe(false);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('nobody else was told: the run has no pull request');
  });

  describe('attacks (attacker pass, session 28)', () => {
    it("does not comment on a commit whose origin is unknown (an incident stored before it was kept): unknown counts as a fork's", async () => {
      const handledAt = new Date('2026-11-20T10:00:00Z');
      const known = newIncident(githubIncidentFields(pushTrigger(), handledAt), handledAt);
      const { fromFork: _dropped, ...unknown } = known;

      expect(commitToCommentOn(known)).toBe(SHA);
      expect(commitToCommentOn(unknown)).toBeNull();
    });

    it("renders what a steered answer says as text on the commit: no mention, reference, link or HTML of the attacker's", async () => {
      // Prepare: the log steered the model past the detector; its answer names people, issues, links and markup
      const github = createFakeGitHub();
      // (An image or an <img> makes the answer withheld whole: the detector reads them as exfiltration markup.)
      const steered = 'The token expired; @acme-shop/owners see #1 and GH-2, then [re-authenticate](https://evil.example/login) at www.evil.example </details><b>done</b>';
      const { deps } = stepDeps({ github: github.port, analyzer: scriptedAnalyzer({ proposedAction: 'comment_only', rootCause: steered, fix: [steered] }) });
      const trigger = await handled(deps);

      // Act
      await notifyStep({ trigger }, deps);

      // Assert
      const body = [...github.commitComments.values()][0] ?? '';
      expect(body).toContain('The token expired');
      // The one mention is the guard's own, of the user whose push started the run; none comes from the answer.
      const mentions = body.match(/(?<![\w`\\])@[A-Za-z0-9][\w-]*/g) ?? [];
      expect(mentions).toEqual(["@dana-dev"]);
      expect(body).not.toMatch(/(?<![\w&\\])#[0-9]|GH\\?-[0-9]/);
      expect(body).not.toMatch(/(?<!\\)\]\([^)]*evil|https?:\/\/evil|(?<![\w-])www\\?\.evil/);
      expect(body).not.toMatch(/evil\S* (?<!\\)<\/details>|(?<!\\)<b>done/);
    });
  });
});
