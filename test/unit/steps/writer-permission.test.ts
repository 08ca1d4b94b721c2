import { describe, expect, it } from 'vitest';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { DENIED_PERMISSION_TTL_MS } from '../../../shared/github/permission-cache.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, stepDeps } from '../../support/fakes.js';

/**
 * Whether the actor who started a run an outsider can repeat (here a workflow on `issues`) has write access picks the
 * escalation key (`gh:<repo>:writer:…` or `…:outside:…`), asked of GitHub. An outsider who makes the workflow fail again
 * and again must not cost a permission lookup per incident; a writer's answer is asked each time, as for `/guard`
 * commands, so write access taken away stops counting at once.
 */
function issuesRun(runId: number, actor: string) {
  const body = structuredClone(loadWebhook('workflow_run-failure')).body as { workflow_run: Record<string, any> };
  body.workflow_run.id = runId;
  body.workflow_run.event = 'issues';
  body.workflow_run.pull_requests = [];
  body.workflow_run.triggering_actor = { ...body.workflow_run.triggering_actor, login: actor };
  return triggerFromWorkflowRun(body as never, `delivery-${runId}`);
}

function setup() {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'write');
  let now = Date.parse('2026-11-20T10:00:00Z');
  const { deps } = stepDeps({ github: github.port, clock: () => new Date(now) });
  const notifyRun = async (runId: number, actor: string) => {
    const trigger = issuesRun(runId, actor);
    await deps.incidents.create(newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure' }, deps.clock()), githubIncidentScope(trigger));
    await notifyStep({ trigger }, deps);
  };
  const lookups = (actor: string) => github.calls.filter((c) => c.method === 'repositoryPermission' && c.args[1] === actor).length;
  return { notifyRun, lookups, advance: (ms: number) => void (now += ms) };
}

describe('Notify: the permission of the actor who started a run', () => {
  it("asks GitHub once for an outsider's failing runs within the cache's lifetime, and again after it", async () => {
    const { notifyRun, lookups, advance } = setup();

    for (const runId of [9001, 9002, 9003]) await notifyRun(runId, 'drive-by');
    expect(lookups('drive-by')).toBe(1);

    advance(DENIED_PERMISSION_TTL_MS);
    await notifyRun(9004, 'drive-by');
    expect(lookups('drive-by')).toBe(2);
  });

  it("asks again for each of a writer's runs", async () => {
    const { notifyRun, lookups } = setup();

    for (const runId of [9101, 9102]) await notifyRun(runId, 'maintainer');

    expect(lookups('maintainer')).toBe(2);
  });
});
