import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';
import { renderDigest, renderEscalation } from '../../../shared/notify/escalation.js';
import { escalationFor } from '../../../shared/notify/escalation-policy.js';
import { renderComment } from '../../../shared/notify/comment.js';
import { DEFAULT_POLICY } from '../../../shared/remediation/policy.js';
import type { Incident } from '../../../shared/domain/incident.js';
import { INCIDENT_STATES } from '../../support/incident-states.js';

/** The escalation e-mail's line that starts with `label`, without it. */
function line(message: string, label: string): string {
  return message.split('\n').find((l) => l.startsWith(label))?.slice(label.length) ?? '';
}

const escalated = (incident: Incident) => renderEscalation(incident, 'x').message;
const tried = (incident: Incident) => line(escalated(incident), 'What the guard tried: ');
const needs = (incident: Incident) => line(escalated(incident), 'What it needs from you: ');
/** Notify's decision about the incident as its round leaves it: the reasons it pages with, when the policy says on-call. */
const notified = (incident: Incident) => escalationFor(incident, { ownRerun: false, policy: DEFAULT_POLICY.escalation });

/**
 * The dashboard's "what to do" and the escalation's "What the guard tried" / "What it needs from you" were worked
 * out twice from the incident, and said different things about the same one. Each case is one of those.
 */
describe('the dashboard and the escalation say the same about an incident', () => {
  it('a comment the guard could not post: neither says the pull request comment tells the author', () => {
    const { incident } = INCIDENT_STATES['comment not posted (no GitHub credentials)']!;

    expect(tried(incident)).toBe('nothing automatic, and it could not comment on pull request #12.');
    expect(nextStep(incident).text).not.toMatch(/comment tells its author/);
    expect(nextStep(incident).human).toBe(true);
  });

  it('a run without a pull request: the dashboard does not speak of its pull request comment', () => {
    const { incident } = INCIDENT_STATES['no pull request to comment on']!;

    expect(tried(incident)).toBe('nothing automatic, and the run has no pull request to explain it on.');
    expect(nextStep(incident).text).not.toMatch(/pull request comment/);
    expect(nextStep(incident).human).toBe(true);
  });

  it('a fix pull request that failed: the escalation does not say it was opened', () => {
    const { incident } = INCIDENT_STATES['fix pull request failed']!;

    expect(nextStep(incident).human).toBe(true);
    expect(tried(incident)).not.toMatch(/opened a fix pull request/);
    expect(tried(incident)).toMatch(/open a fix pull request/);
  });

  it('a proposal waiting for approval by e-mail: both ask for the approval, neither says no decision was reached', () => {
    const { incident } = INCIDENT_STATES['approval waits by e-mail']!;
    const message = renderEscalation(incident, 'x', undefined, undefined, { taskToken: 'token-1' }).message;

    expect(nextStep(incident).text).toMatch(/^Waiting for approval to re-run the failed jobs/);
    expect(line(message, 'What the guard tried: ')).not.toMatch(/did not reach a decision/);
    expect(line(message, 'What it needs from you: ')).toMatch(/^Approve or reject/);
  });

  it('a proposal waiting for approval by e-mail: the task token goes to the e-mail only, never to chat or other subscribers', () => {
    // The token answers the wait for whoever can call SendTaskSuccess: a chat channel (where AWS Chatbot may run
    // the command with the channel's role) and SNS's other protocols (which get the chat rendering) are not on-call.
    const { incident } = INCIDENT_STATES['approval waits by e-mail']!;
    const rendered = renderEscalation(incident, 'x', undefined, undefined, { taskToken: 'token-secret-1' });

    expect(rendered.message).toMatch(/send-task-success .*--task-token 'token-secret-1'/);
    expect(JSON.stringify(rendered.chat)).not.toMatch(/token-secret-1|send-task-(?:success|failure)/);
    expect(rendered.chat?.content.nextSteps?.[0]).toMatch(/^Approve or reject the proposal with the commands of the approval request e-mail/);
  });

  it('a failed knowledge lookup alone: the escalation does not say the guard could not finish its analysis', () => {
    const { incident } = INCIDENT_STATES['only the knowledge lookup failed']!;

    expect(nextStep(incident).human).toBe(false);
    expect(needs(incident)).not.toMatch(/could not finish its own analysis/);
  });

  it('a comment waiting for the write budget: the escalation says it waits, not that the guard could not comment', () => {
    const { incident } = INCIDENT_STATES['comment waits for the write budget']!;

    expect(nextStep(incident).text).toMatch(/waits for GitHub's write budget/);
    expect(tried(incident)).toMatch(/waits for GitHub's write budget/);
  });

  it('a pipeline that ended without a decision: the dashboard does not say the guard is still handling it', () => {
    const { incident } = INCIDENT_STATES['handled to the end without a decision']!;

    expect(tried(incident)).toMatch(/did not reach a decision/);
    expect(nextStep(incident).text).not.toMatch(/still handling/);
    expect(nextStep(incident).human).toBe(true);
  });

  it("Notify failed for good: each says what happened while the fallback's page is due, and after it, not that every path failed", () => {
    const waiting = INCIDENT_STATES['notify failed: waiting for the fallback page']!.incident;
    const paged = INCIDENT_STATES['notify failed: on-call paged by the fallback']!.incident;
    const counted = INCIDENT_STATES["notify failed: counted on the fallback's open page"]!.incident;
    const exhausted = INCIDENT_STATES['every execution failed: on-call paged by the fallback']!.incident;

    expect(nextStep(waiting).text).toBe(
      "Not reported yet: the guard's notify step failed after its retries (Lambda.Unknown), so its comment and any page may not have gone out. " +
        "The reconciler's fallback pages on-call on its next run, with a notice that names this incident; until then this page may be the only notice, and what the guard found is here.",
    );
    expect(nextStep(paged).text).toBe(
      "A person must look at this failure: the guard's notify step failed, so the guard could not report it itself. " +
        'On-call was paged by the fallback, with a notice that names this incident, not what failed: what the guard found is on this page.',
    );
    expect(nextStep(counted).text).toBe(
      "A person must look at this failure: the guard's notify step failed, so the guard could not report it itself. " +
        "On-call was not paged for this incident itself: it is counted on the fallback's page already sent for the same problem (one per escalation window; the rest are reported when it ends).",
    );
    expect(nextStep(exhausted).text).toBe(
      "A person must look at this failure: the guard's pipeline failed on every try, so it could not finish handling it. On-call was paged by the fallback with what the guard knew.",
    );
    // The comment Notify did not record may be on the pull request, or not: neither says which.
    for (const incident of [waiting, paged, counted]) {
      expect(tried(incident)).toBe('nothing automatic; whether its comment reached pull request #12 is not known, since its notify step failed.');
      expect(needs(incident)).toBe("Look at the run: the guard's notify step failed, so pull request #12 may not have its comment. A green run on the same branch resolves this.");
    }
  });

  it('the reconciler gave the incident up: each says so, paged or not, and neither says a page is coming or the guard is still at it', () => {
    const paged = INCIDENT_STATES['given up by the reconciler: on-call paged by the fallback']!.incident;
    const unpaged = INCIDENT_STATES['stalled: given up by the reconciler, nobody paged']!.incident;
    const notifyUnpaged = INCIDENT_STATES['notify failed: given up by the reconciler, nobody paged']!.incident;

    expect(nextStep(paged).text).toBe(
      'A person must look at this failure: the guard could not finish handling it, and its reconciler gave it up after its tries at it kept failing. On-call was paged by the fallback with what the guard knew.',
    );
    expect(notified(paged).reasons).toEqual(['the guard could not finish handling it, and its reconciler gave it up']);
    expect(nextStep(unpaged).text).toBe(
      'Given up at 2026-11-20T15:25:00.000Z after 8 tries (the last: ThrottlingException), and nobody was paged: the reconciler could not re-drive this incident or page on-call about it. ' +
        "Nothing tries it again: look at the failure yourself (what the guard found is on this page), and at the reconciler's logs for this incident.",
    );
    expect(nextStep(notifyUnpaged).text).toMatch(/could not tell on-call that the guard's notify step failed on this incident, so its comment and any page may not have gone out\./);
    for (const incident of [unpaged, notifyUnpaged]) expect(notified(incident).reasons).toEqual(["the guard's reconciler gave it up, and could not page about it"]);
    // The page about a notify-failed incident given up is the give-up's: whether its comment is there is still not known.
    expect(tried(notifyUnpaged)).toBe('nothing automatic; whether its comment reached pull request #12 is not known, since its notify step failed.');
  });

  it("a push's failure explained on its commit: each says where the comment is, and a refused one is said to be missing", () => {
    const explained = INCIDENT_STATES['push explained on its commit']!.incident;
    const refused = INCIDENT_STATES['push whose commit comment GitHub refused']!.incident;
    const escalatedToo = INCIDENT_STATES['push escalated, explained on its commit too']!.incident;

    expect(nextStep(explained).text).toBe("Nothing for on-call: the guard's comment on commit c0ffee5 tells its author what failed.");
    expect(tried(explained)).toBe('explained it in a comment on commit c0ffee5.');
    expect(nextStep(refused).text).toMatch(/^A person must look at this failure: the guard could not comment on commit c0ffee5\./);
    expect(tried(refused)).toBe('nothing automatic, and it could not comment on commit c0ffee5.');
    expect(needs(refused)).toMatch(/^Look at the run: the failing lines are above, and commit c0ffee5 has no comment from the guard\./);
    expect(notified(refused).reasons).toEqual(['nobody else was told: the guard could not comment on commit c0ffee5']);
    expect(needs(escalatedToo)).toBe("Look at commit c0ffee5: the guard's comment there has the failing lines and the verdict.");
  });

  it("a maintainer's decision that never reached the execution: each says who decided what and when, none that nobody answered", () => {
    const approved = INCIDENT_STATES['approval decided on the pull request, never resumed before the wait timed out']!.incident;
    // A rejection is escalated only where no pull request tells of it (on one, it pages nobody: incident-states.ts).
    const rejected: Incident = { ...approved, pullRequest: null, approval: { ...approved.approval!, unresumed: 'rejected', reason: 'a real bug' } };
    const decidedWords = (decision: string) =>
      `octocat ${decision} "re-run the failed jobs" at 2026-11-20T09:58:00.000Z, but the guard could not resume its execution with that decision before the approval wait timed out, so nothing was applied`;

    expect(notified(approved).reasons).toEqual([decidedWords('approved')]);
    expect(notified(approved).route.page).toBe(true);
    expect(tried(approved)).toBe('nothing: it could not resume its execution with the approval of octocat, and the wait timed out.');
    expect(needs(approved)).toBe(
      "Re-run the failed jobs by hand if it is still wanted, as octocat approved: the guard's execution has ended and applies nothing. " +
        "The incident's timeline and the reconciler's log say why the guard could not resume it.",
    );
    expect(nextStep(approved).text).toBe(
      'A person must look at this failure: octocat approved the proposal to re-run the failed jobs at 2026-11-20T09:58:00.000Z, but the guard could not resume ' +
        'its execution with that decision before the approval wait timed out, so nothing was applied. To re-run the failed jobs, do it by hand: the execution has ' +
        'ended; the timeline says why the guard could not resume it. On-call was sent the escalation.',
    );
    expect(renderComment(approved)).toContain(
      '**Action:** octocat approved the proposed fix, but the guard could not carry the decision out before the approval wait timed out; nothing was done, and on-call has been asked to look.',
    );
    expect(notified(rejected).reasons).toEqual([decidedWords('rejected'), 'nobody else was told: the run has no pull request']);
    expect(tried(rejected)).toBe('nothing: it could not resume its execution with the rejection of octocat, and the wait timed out.');
    expect(needs(rejected)).toMatch(/^Check why the guard could not resume its execution with octocat's rejection: nothing was applied, as the rejection asked/);
    expect(nextStep(rejected).text).toMatch(/octocat rejected the proposal to re-run the failed jobs at .* Nothing needs undoing/);
    for (const said of [escalated(approved), escalated(rejected), nextStep(approved).text, nextStep(rejected).text, renderComment(approved)]) {
      expect(said).not.toMatch(/nobody/i);
    }
  });

  it('a decision the reconciler gave up while its wait runs: every surface says who decided, that nothing is applied, and how to try again', () => {
    const given = INCIDENT_STATES['approval decided on the pull request, given up by the reconciler while the wait runs']!.incident;

    expect(notified(given).reasons).toEqual([
      'octocat approved "re-run the failed jobs" at 2026-11-20T09:58:00.000Z, but the guard could not resume its execution with that decision and gave up trying: ' +
        'nothing is applied, and the execution waits until its approval times out',
    ]);
    expect(notified(given).route.page).toBe(true);
    expect(tried(given)).toBe('nothing: it could not resume its execution with the approval of octocat, and gave up trying.');
    expect(needs(given)).toBe(
      'Re-run the failed jobs by hand if it is still wanted, as octocat approved: the guard gave up resuming its execution, which applies nothing. ' +
        `Or have the guard try again instead (not both): reply /guard approve ${given.id} on the pull request while its approval wait runs. ` +
        "The incident's timeline and the reconciler's log say why the guard could not resume it.",
    );
    expect(nextStep(given).text).toBe(
      'A person must look at this failure: octocat approved the proposal to re-run the failed jobs at 2026-11-20T09:58:00.000Z, but the guard could not resume ' +
        `its execution with that decision and gave up trying: nothing is applied. To re-run the failed jobs, do it by hand, or reply /guard approve ${given.id} ` +
        'on the pull request for the guard to try again (not both); the timeline says why it could not resume it. On-call was sent the escalation.',
    );
    for (const said of [escalated(given), nextStep(given).text]) expect(said).not.toMatch(/nobody|timed out/i);
  });

  it('a digest whose latest occurrence has recovered asks nothing of its reader, as the dashboard says', () => {
    const { incident } = INCIDENT_STATES.resolved!;
    const digest = { problemKey: 'p', windowStart: 'w', dueAt: 'd', label: 'CI in acme/app', repeats: 2, total: 3, firstSeen: 'f', lastSeen: 'l', lastIncidentId: incident.id, claim: 'c' };

    expect(nextStep(incident).text).toBe('Resolved: nothing to do.');
    expect(line(renderDigest(digest, incident).message, 'What it needs from you: ')).toMatch(/^Nothing/);
  });

  it('agree with Notify on whether a person must act, in every state: Notify asks for one exactly when they do, and pages only then', () => {
    const said = Object.entries(INCIDENT_STATES).map(([state, { incident }]) => ({
      state,
      dashboard: nextStep(incident).human,
      escalation: !needs(incident).startsWith('Nothing'),
      notify: notified(incident).reasons.length > 0,
      paged: notified(incident).route.page,
    }));

    expect(said).toEqual(
      Object.entries(INCIDENT_STATES).map(([state, { mustAct }], i) => ({ state, dashboard: mustAct, escalation: mustAct, notify: mustAct, paged: mustAct && said[i]!.paged })),
    );
  });
});
