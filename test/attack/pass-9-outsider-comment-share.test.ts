import { describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import type { NotifyDeps } from '../../shared/steps/deps.js';
import { createFakeGitHub, spentOutsiderShare, stepDeps } from '../support/fakes.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';

/**
 * Attack pass 9, finding 4. Anyone can review a public pull request, and a workflow that runs on reviews
 * (`on: pull_request_review`) then runs the pull request's head again, in this repository; on a failing pull request
 * each review is a new failed run, a new incident and a new write of the guard's comment. Was: only a fork's pull
 * request drew on the forks' share of the GitHub write budget, so an outsider reviewing a maintainer's failing pull
 * request a few hundred times an hour spent the whole budget (300 writes an hour by default), and every other pull
 * request's comment waited until it escalated. Required: every run an outsider can repeat (`outsiderCanRepeat`)
 * draws on that share first, as it does on the outsiders' model budget.
 */
describe('the comment of a run an outsider can repeat on a pull request of the repository', () => {
  it.each(['pull_request_review', 'pull_request_review_comment'])('waits for the outsiders\' share of the write budget (%s)', async (event) => {
    // Prepare: a same-repository pull request's run started by an outsider's review failed; the outsiders' share is spent
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port });
    const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
    Object.assign(body.workflow_run, { event });
    const trigger = triggerFromWorkflowRun(body as never, 'delivery-1');
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: 'fp-1', failureLines: [{ line: 7, text: 'FAIL src/tax.test.ts' }] }, deps.clock()),
      githubIncidentScope(trigger),
    );
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);
    const { outsiderWrites, asked } = spentOutsiderShare();
    const notifyDeps: NotifyDeps = { ...deps, outsiderWrites };

    // Act
    const result = await notifyStep({ trigger }, notifyDeps);

    // Assert: the comment waits for the share; the rest of the budget is left to the repository's own comments
    expect(await deps.incidents.get(trigger.incidentId)).toMatchObject({ fromFork: false, pullRequest: 1287, runEvent: event });
    expect(asked).toHaveLength(1);
    expect(result).toMatchObject({ commentPending: true });
    expect(github.comments.size).toBe(0);
    expect(published).toHaveLength(0);
  });
});
