import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { deliverAlarm, deliverWebhook, loadAlarmEvent, loadWebhook } from '../../infra/local/replay.js';
import { loadConfig } from '../../shared/config.js';
import { createTaskControl } from '../../shared/runtime/deps.js';
import { type Harness, startHarness } from '../support/harness.js';

/** A port free right now, for a runtime that must listen on the same one at every start. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let harness: Harness | undefined;

afterAll(async () => {
  await harness?.close();
});

describe('local runtime persistence', () => {
  it('keeps incidents and execution names across a restart, so a redelivery after it starts nothing', async () => {
    harness = await startHarness({ secret: 'restart-secret', env: { GITHUB_TOKEN: undefined }, name: 'guard-restart' });
    const accepted = await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), 'restart-secret');
    await harness.runtime.idle();

    const second = await harness.restart();
    const incidents = (await (await fetch(`${second.url}/incidents`)).json()) as Incident[];
    const redelivered = await deliverWebhook(second.url, loadWebhook('workflow_run-failure'), 'restart-secret');
    await second.idle();

    expect(accepted.body.duplicate).toBe(false);
    expect(incidents.map((i) => [i.id, i.status])).toEqual([[accepted.body.incidentId, 'notified']]);
    expect(redelivered.body).toEqual({ incidentId: accepted.body.incidentId, duplicate: true });
  });

  it("gives the process's environment back when it closes, so the next runtime starts from its own settings", async () => {
    const before = { GITHUB_RETRIES: process.env.GITHUB_RETRIES, SFN_ENDPOINT: process.env.SFN_ENDPOINT, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT };
    const first = await startHarness({ secret: 'env-secret', env: { GITHUB_TOKEN: undefined, GITHUB_RETRIES: '0' }, name: 'guard-env' });
    const during = { GITHUB_RETRIES: process.env.GITHUB_RETRIES, endpointSet: process.env.DYNAMODB_ENDPOINT !== undefined };
    await first.close();

    expect(during).toEqual({ GITHUB_RETRIES: '0', endpointSet: true });
    expect({ GITHUB_RETRIES: process.env.GITHUB_RETRIES, SFN_ENDPOINT: process.env.SFN_ENDPOINT, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT }).toEqual(before);
  });

  it("unsets what its settings name as undefined while it runs, so a token in the outer environment is not the handlers'", async () => {
    const saved = process.env.GITHUB_TOKEN;
    process.env.GITHUB_TOKEN = 'ghp_outer-shell-token';
    try {
      const runtime = await startHarness({ secret: 'unset-secret', env: { GITHUB_TOKEN: undefined }, name: 'guard-unset' });
      const during = process.env.GITHUB_TOKEN;
      await runtime.close();

      expect(during).toBeUndefined();
      expect(process.env.GITHUB_TOKEN).toBe('ghp_outer-shell-token');
    } finally {
      if (saved === undefined) delete process.env.GITHUB_TOKEN;
      else process.env.GITHUB_TOKEN = saved;
    }
  });

  it('keeps an approval that waits across restarts: on-call is asked once, and the command it was sent still decides', async () => {
    // A high-severity runbook waits for approval; without a pull request the request is e-mailed with its task token.
    const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
    const waiting = await startHarness({
      secret: 'approval-secret',
      env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(runbooks) },
      name: 'guard-approval-restart',
      workflowPort: await freePort(),
    });
    try {
      const fired = await deliverAlarm(waiting.runtime.url, loadAlarmEvent('alarm-state-alarm'));
      await waiting.runtime.idle();
      const asked = await waiting.incident(String(fired.body.incidentId));
      // Each start resumes the waiting execution from its first state, as after a kill -9.
      await waiting.restart();
      await waiting.runtime.idle();
      const restarted = await waiting.restart();
      await restarted.idle();
      // The request made again after each restart records the end the wait began with: the runtime's kept start, not
      // the interpreter's $$.State.EnteredTime of the resumed state.
      const resumed = await waiting.incident(String(fired.body.incidentId));
      expect(asked.approval?.expiresAt).toBeDefined();
      expect(resumed.approval?.expiresAt).toBe(asked.approval?.expiresAt);
      const requests = (await waiting.outbox()).filter((entry) => entry.kind === 'escalation');
      // The e-mailed command, as on-call would paste it after the restarts: its token and its --endpoint-url.
      const token = /--task-token '([^']+)'/.exec(String(requests[0]?.message))?.[1] ?? '';
      const endpoint = /--endpoint-url '?(http:\/\/[^'\s]+)/.exec(String(requests[0]?.message))?.[1] ?? 'no endpoint in the e-mail';
      await createTaskControl(loadConfig({ ...restarted.env, SFN_ENDPOINT: endpoint })).succeed(token, { approvedBy: 'on-call' });
      await restarted.idle();

      expect(requests).toHaveLength(1);
      expect(await waiting.incident(String(fired.body.incidentId))).toMatchObject({ status: 'notified', decision: { action: 'run_runbook', applied: true } });
      expect((await waiting.outbox()).filter((entry) => entry.kind === 'runbook')).toHaveLength(1);
    } finally {
      await waiting.close();
    }
  });
});
