import { describe, expect, it } from 'vitest';
import type { EscalationMessage } from '../../shared/ports.js';
import { sendDueDigests } from '../../shared/reconcile/digests.js';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { approvalStormSteps, mailedTokens } from '../support/alarm-approvals.js';
import { compositeEvent } from '../support/alarm-events.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-attack-44a-size');

/** SNS's limit on a Publish (message, subject and attributes): 256 KiB. */
const SNS_MAX_BYTES = 256 * 1024;
/** The bytes SNS is given for `message`, as the SNS publisher builds its body (shared/adapters/sns.ts). */
const snsBytes = (m: EscalationMessage) =>
  Buffer.byteLength(m.chat ? JSON.stringify({ default: JSON.stringify(m.chat), email: m.message }) : m.message) + Buffer.byteLength(m.subject) +
  Object.entries(m.attributes ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)) + 6, 0);

/** A composite alarm `name` at `at` whose every text the event schema bounds is at its bound, of dotted hosts (defanged to `[.]`). */
function bigComposite(name: string, at: string) {
  const event = compositeEvent('a44a-size', at, [], name) as Record<string, any>;
  const dotted = (chars: number) => `http://${'a.'.repeat(Math.floor((chars - 7) / 2))}`.slice(0, chars);
  event.detail.state.reason = dotted(4000);
  event.detail.configuration = { ...(event.detail.configuration ?? {}), description: dotted(2000), alarmRule: `ALARM(${dotted(2030)})` };
  const children = [];
  for (let i = 0; i < 60; i += 1) children.push({ arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${dotted(200)}${i}`, state: { value: 'ALARM', timestamp: at } });
  let data = JSON.stringify({ triggeringAlarms: children });
  while (data.length > 16_000) { children.pop(); data = JSON.stringify({ triggeringAlarms: children }); }
  event.detail.state.reasonData = data;
  return alarmTriggerFromEvent(alarmEventSchema.parse(event));
}

describe('attack 44a: the size of a grouped approval e-mail', () => {
  // attack-44a finding H5 (fixed, session 42): ten grouped requests are put in one e-mail whatever their size (each request's text is cut at 200,000 characters only): ten alarms whose texts are at the event schema's bounds make an e-mail SNS refuses on every try, the digest is given up, and every request in it (a real alarm's among them) is never asked
  it('keeps every e-mail of an approval group within SNS\'s 256 KB, so that each grouped request can be sent', async () => {
    const { deps, published, digests } = approvalStormSteps(scratch.client);
    for (let i = 0; i <= 10; i += 1) {
      const at = `2026-11-20T10:0${Math.floor((i * 20) / 60)}:${String((i * 20) % 60).padStart(2, '0')}.000Z`;
      const trigger = bigComposite(`checkout-api-size-${i}`, at);
      deps.clock = () => new Date(at);
      for (const step of [classifyStep, analyzeStep, remediateStep]) await step({ trigger }, deps);
      await notifyStep({ trigger, approvalRequest: { taskToken: `size-token-${i}` } }, deps);
    }
    expect(mailedTokens(published)).toEqual(['size-token-0']);
    console.log('H5 the lead\'s own request e-mail:', snsBytes(published[0]!), 'bytes');
    // SNS refuses a Publish over its limit (InvalidParameter: message too long), on every try.
    const sent: EscalationMessage[] = [];
    const refused: number[] = [];
    const abandoned: string[] = [];
    for (let minutes = 6; minutes <= 12 * 60; minutes += 10) {
      const result = await sendDueDigests(
        {
          digests, incidents: deps.incidents,
          escalations: {
            publish: async (message) => {
              if (snsBytes(message) > SNS_MAX_BYTES) { refused.push(snsBytes(message)); throw new Error('InvalidParameter: Message too long'); }
              sent.push(message);
              return { messageId: `m-${sent.length}` };
            },
          },
          clock: () => new Date(Date.parse('2026-11-20T10:00:00.000Z') + minutes * 60_000), logger: deps.logger, metrics: deps.metrics,
        },
        { maxPerRun: 10, lookbackHours: 48 },
      );
      abandoned.push(...result.abandoned);
    }
    const asked = [...mailedTokens(published), ...sent.flatMap((m) => [...m.message.matchAll(/send-task-success .*?--task-token '([^']+)'/g)].map((t) => t[1]!))];
    console.log('H5 refused publishes (bytes):', refused, 'abandoned:', abandoned, 'asked:', asked);
    expect(asked.sort()).toEqual(Array.from({ length: 11 }, (_, i) => `size-token-${i}`).sort());
  }, 60_000);
});
