import { describe, expect, it } from 'vitest';
import type { EscalationMessage } from '../../shared/ports.js';
import { sendDueDigests } from '../../shared/reconcile/digests.js';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { createDynamoEscalationDigests, createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { alarmTriggerAt, askedAt, mailedTokens, throttleRequestRecord } from '../support/alarm-approvals.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';

/*
 * Session 42, gap 2, for an alarm storm's grouped request (shared/notify/approval-groups.ts): recorded on its group's
 * digest with token-1, its attempt then fails (the write recording it, throttled past its tries in place), and the
 * state machine's retry asks with token-2, recorded on the digest too. Nothing was e-mailed with token-1 (the digest
 * goes out when the group ends), so nothing is replaced: the digest, which reads the approval each request's incident
 * records, must ask with token-2 only, and must not count token-1's record among the requests that no longer wait:
 * the request still waits, on token-2 (session 43).
 */
const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));
const scratch = scratchStoreForFile('guard-grouped-request-retried');

const commandTokens = (message: EscalationMessage) => [...message.message.matchAll(/send-task-success .*?--task-token '([^']+)'/g)].map((token) => token[1]!);

describe("an alarm storm's grouped approval request whose Notify is retried after it was recorded", () => {
  it("is e-mailed by the group's digest with the retry's token only, and says it replaces nothing", async () => {
    const tables = { client: scratch.client, tableName: 'incidents' };
    const { deps, published } = stepDeps({
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
      remediation: remediationDeps({ runbooks }),
      escalationLedger: createDynamoEscalationLedger(tables),
    });
    await askedAt(deps, '2026-11-20T10:00:00.000Z', 'token-lead', 'checkout-api-lead-5xx');
    const throttled = throttleRequestRecord(deps);
    await expect(askedAt(deps, '2026-11-20T10:00:20.000Z', 'token-1', 'checkout-api-second-5xx')).rejects.toThrow('Rate exceeded');
    throttled.heal();
    deps.clock = () => new Date('2026-11-20T10:00:30.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:00:20.000Z', 'checkout-api-second-5xx'), approvalRequest: { taskToken: 'token-2' } }, deps);
    expect(mailedTokens(published)).toEqual(['token-lead']);

    const sent: EscalationMessage[] = [];
    await sendDueDigests(
      {
        digests: createDynamoEscalationDigests(tables),
        incidents: deps.incidents,
        escalations: { publish: async (message) => (sent.push(message), { messageId: `m-${sent.length}` }) },
        clock: () => new Date('2026-11-20T10:06:00.000Z'),
        logger: deps.logger,
        metrics: deps.metrics,
      },
      { maxPerRun: 10, lookbackHours: 48 },
    );

    expect(sent.flatMap(commandTokens)).toEqual(['token-2']);
    expect(sent.map((message) => message.message).join('\n')).not.toContain('REPLACES');
    // Session 43: token-1's record is the same request, retried, and it still waits (on token-2): not counted as ended.
    expect(sent.map((message) => message.message).join('\n')).not.toMatch(/no longer wait/);
  }, 60_000);
});
