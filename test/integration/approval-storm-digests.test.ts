import { describe, expect, it } from 'vitest';
import type { EscalationMessage } from '../../shared/ports.js';
import { sendDueDigests } from '../../shared/reconcile/digests.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { approvalStormSteps, alarmTriggerAt, answeredByEmail, askedAt, mailedTokens } from '../support/alarm-approvals.js';
import { scratchStoreForFile } from '../support/harness.js';

/*
 * Session 42: the approval requests of an alarm storm's later alarms are recorded on their group's digest (one record
 * per incident and token) and e-mailed together by the reconciler when the group ends (shared/notify/approval-groups.ts).
 * Over the real ledger (the embedded DynamoDB): a Notify that dies after recording its request, a digest sender whose
 * publish fails and one that dies after its publish, a request recorded after the digest was claimed, and one whose
 * wait ended before the digest: every waiting request is e-mailed exactly once, and the ended one not at all.
 */

const scratch = scratchStoreForFile('guard-approval-storm-digests');

describe('the approval requests of an alarm storm, grouped on the ledger', () => {
  it('e-mails each waiting request once through a Notify retry, a failed publish, a sender that dies after its publish and a late request', async () => {
    const { deps, published, digests } = approvalStormSteps(scratch.client);
    // Prepare: the lead asks at once; the second's Notify dies after recording its request (its incident's write
    // fails once) and is retried; the third is rejected by e-mail before the group ends.
    await askedAt(deps, '2026-11-20T10:00:00.000Z', 'token-lead', 'checkout-api-lead-5xx');
    const update = deps.incidents.update.bind(deps.incidents);
    let dies = true;
    deps.incidents.update = async (id, fields, append) => {
      if (dies && append?.history?.some((entry) => entry.event === 'approval_requested')) {
        dies = false;
        throw new Error('Task timed out');
      }
      return update(id, fields, append);
    };
    const second = await askedAt(deps, '2026-11-20T10:00:20.000Z', 'token-second', 'checkout-api-second-5xx').catch((error: unknown) => error);
    expect(second).toMatchObject({ message: 'Task timed out' });
    deps.incidents.update = update;
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:00:20.000Z', 'checkout-api-second-5xx'), approvalRequest: { taskToken: 'token-second' } }, deps);
    const rejected = await askedAt(deps, '2026-11-20T10:00:40.000Z', 'token-rejected', 'checkout-api-rejected-5xx');
    await askedAt(deps, '2026-11-20T10:01:00.000Z', 'token-third', 'checkout-api-third-5xx');
    await answeredByEmail(deps, rejected, '2026-11-20T10:02:00.000Z', { rejected: 'not now' });
    expect(mailedTokens(published)).toEqual(['token-lead']);

    // Act: the reconciler at the group's end, its publish throttled; then again, dying after its publish (the write
    // that marks the digest sent fails); a late request of the group is recorded after that claim; then two more runs.
    const sent: EscalationMessage[] = [];
    let publishFails = 1;
    let markFails = 1;
    const run = (at: string) =>
      sendDueDigests(
        {
          digests: { ...digests, sent: async (digest) => (markFails-- > 0 ? Promise.reject(new Error('Task timed out')) : digests.sent(digest)) },
          incidents: deps.incidents,
          escalations: { publish: async (message) => (publishFails-- > 0 ? Promise.reject(new Error('Throttling: Rate exceeded')) : (sent.push(message), { messageId: `m-${sent.length}` })) },
          clock: () => new Date(at),
          logger: deps.logger,
          metrics: deps.metrics,
        },
        { maxPerRun: 10, lookbackHours: 48 },
      );
    await run('2026-11-20T10:06:00.000Z');
    expect(sent).toHaveLength(0);
    // Tried again 5 minutes after its failure (shared/reconcile/retry-later.ts).
    await run('2026-11-20T10:12:00.000Z');
    expect(sent).toHaveLength(1);
    // Fired in the group, handled after its digest was claimed (a backlog): recorded on the group's next part.
    const late = alarmTriggerAt('2026-11-20T10:01:30.000Z', 'checkout-api-late-5xx');
    deps.clock = () => new Date('2026-11-20T10:13:00.000Z');
    for (const step of [classifyStep, analyzeStep, remediateStep]) await step({ trigger: late }, deps);
    await notifyStep({ trigger: late, approvalRequest: { taskToken: 'token-late' } }, deps);
    expect((await deps.incidents.get(late.incidentId))?.notifications.at(-1)?.detail).toMatch(/part 2/);
    // The dead sender's claim is taken again once its lease (10 minutes) ran out: its message was recorded as published.
    for (const at of ['2026-11-20T10:18:00.000Z', '2026-11-20T10:30:00.000Z', '2026-11-20T11:00:00.000Z']) await run(at);

    // Assess: every waiting request e-mailed exactly once over all messages, the rejected one in none, the lead alone.
    const tokens = [...mailedTokens(published), ...sent.flatMap((m) => [...m.message.matchAll(/send-task-success .*?--task-token '([^']+)'/g)].map((t) => t[1]!))];
    console.log('approval storm digests:', sent.map((m) => m.subject), tokens);
    expect(tokens.sort()).toEqual(['token-late', 'token-lead', 'token-second', 'token-third']);
    expect(sent.length).toBeLessThanOrEqual(2);
    // Chat is told too, naming the alarms, but never gets a token (whoever holds one can answer the wait).
    expect(sent[0]!.chat?.content.description).toContain('checkout-api-second-5xx');
    expect(JSON.stringify(sent.map((m) => m.chat))).not.toContain('token-');
  }, 60_000);
});
