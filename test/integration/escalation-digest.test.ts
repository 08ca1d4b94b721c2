import { describe, expect, it } from 'vitest';
import { deliverAlarm, loadAlarmEvent } from '../../infra/local/replay.js';
import { type Harness, useLocalRuntimePerTest } from '../support/harness.js';

/**
 * Digests through the local runtime: the same notify handler counts repeats on the open escalation, and the same
 * reconciler run the Lambda makes on its schedule sends the digest when the window has ended (run here as of a
 * day later: the window is 24 h and a test cannot wait for it).
 */
const runtimes = useLocalRuntimePerTest();

function transition(at: string): Record<string, unknown> {
  const event = structuredClone(loadAlarmEvent('alarm-state-alarm')) as Record<string, any>;
  event.detail.state.timestamp = at;
  return event;
}

async function flap(h: Harness, times: string[]) {
  for (const at of times) {
    const response = await deliverAlarm(h.runtime.url, transition(at));
    expect(response.status).toBeLessThan(300);
    await h.runtime.idle();
  }
}

const escalations = async (h: Harness) => (await h.outbox()).filter((entry) => entry.kind === 'escalation');
const dayLater = () => new Date(Date.now() + 24 * 3_600_000 + 60_000);

describe('the digest of an escalation window that ended', () => {
  it('reaches on-call once when the window ends, with how many more times the alarm fired', async () => {
    const harness = await runtimes.start({ secret: 'digest-secret', name: 'guard-digest', env: { POLICY_JSON: undefined, POLICY_FILE: undefined, CHAT_WEBHOOK_URL: undefined } });
    await flap(harness, ['2026-11-20T10:03:00.000+0000', '2026-11-20T11:15:00.000+0000', '2026-11-20T11:50:00.000+0000']);
    expect(await escalations(harness)).toHaveLength(1);

    // The window is still open: the reconciler has nothing to send yet.
    expect((await harness.runtime.reconcile()).digests.sent).toEqual([]);

    const runs = await Promise.all([harness.runtime.reconcile(dayLater()), harness.runtime.reconcile(dayLater())]);
    expect(runs.flatMap((run) => run.digests.sent)).toHaveLength(1);
    expect((await harness.runtime.reconcile(dayLater())).digests.sent).toEqual([]);

    const sent = await escalations(harness);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.subject).toBe('[Pipeline Guard] Still happening, 2 more times: alarm checkout-api-5xx-rate');
    expect(sent[1]?.message).toMatch(/seen 2 more times since the escalation at/);
    expect(sent[1]?.message).toMatch(/First seen: \S+ \(3 times in all\)/);
    expect(sent[1]?.message).toContain('#alarmsV2:alarm/checkout-api-5xx-rate');
    expect(sent[1]?.attributes).toMatchObject({ kind: 'digest', alarm: 'checkout-api-5xx-rate' });
  }, 60_000);

  it('sends none when the policy turns digests off', async () => {
    const harness = await runtimes.start({
      secret: 'digest-secret',
      name: 'guard-digest-off',
      env: { POLICY_JSON: JSON.stringify({ defaults: { escalation: { digest: false } } }), POLICY_FILE: undefined, CHAT_WEBHOOK_URL: undefined },
    });
    await flap(harness, ['2026-11-20T10:03:00.000+0000', '2026-11-20T11:15:00.000+0000']);

    expect((await harness.runtime.reconcile(dayLater())).digests.sent).toEqual([]);
    expect(await escalations(harness)).toHaveLength(1);
  }, 60_000);
});
