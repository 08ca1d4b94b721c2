import { describe, expect, it, vi } from 'vitest';
import type { EscalationMessage } from '../../shared/ports.js';
import { sendDueDigests } from '../../shared/reconcile/digests.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { alarmTriggerAt, approvalStormSteps, askedAt, checkoutRunbookDeps, mailedTokens, pauseLedgerRecord, releaseAfterFirstRead } from '../support/alarm-approvals.js';
import { createMemoryEscalationLedger } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';

/*
 * Attack pass 46a (session 44), approvals: the deploy window of the "asking" fact
 * (`approval:<incident>:<token hash>:asking`, shared/notify/approval-groups.ts). A request grouped by the code before
 * session 44 has its group on its incident's timeline (`approval_grouped <start> <hash>`) and its name on the group's
 * digest, but no asking item. Its Notify, killed after the digest named it and retried with the same token (the local
 * runtime; a Lambda retried in place) once the new code is deployed, must find its group again as before session 44.
 */
const scratch = scratchStoreForFile('guard-attack-46a-approvals');

const commandTokens = (message: EscalationMessage) => [...message.message.matchAll(/send-task-success .*?--task-token '([^']+)'/g)].map((token) => token[1]!);

describe('attack 46a: a request grouped before session 44 (no asking item) retried after the deploy', () => {
  it('A1: is asked once, on the group its incident says it was recorded on, when a new group started meanwhile', async () => {
    const { deps, published, digests } = approvalStormSteps(scratch.client);
    const at = (seconds: number) => new Date(Date.parse('2027-05-01T00:00:00.000Z') + seconds * 1000).toISOString();
    await askedAt(deps, at(0), 'd-lead', 'checkout-api-d-lead-5xx');
    const second = alarmTriggerAt(at(60), 'checkout-api-d-second-5xx');

    // Before the deploy: the asking items the code of then did not write go nowhere durable; the attempt is killed
    // after the digest named it (its group on its timeline, its name on the digest, as that code left them).
    const ledger = deps.escalationLedger;
    const { record, opener } = { record: ledger.record.bind(ledger), opener: ledger.opener.bind(ledger) };
    const gone = createMemoryEscalationLedger();
    let preDeploy = true;
    ledger.opener = async (key) => (preDeploy && key.endsWith(':asking') ? gone.opener(key) : opener(key));
    ledger.record = async (occurrence) => {
      if (preDeploy && occurrence.key.endsWith(':asking')) return gone.record(occurrence);
      const tally = await record(occurrence);
      if (preDeploy && occurrence.key.startsWith('approval-group') && occurrence.incidentId.startsWith(`${second.incidentId}:`)) {
        preDeploy = false;
        throw new Error('runtime stopped');
      }
      return tally;
    };
    await expect(askedAt(deps, at(60), 'd-second', 'checkout-api-d-second-5xx')).rejects.toThrow('runtime stopped');
    const incident = await deps.incidents.get(second.incidentId);
    expect(incident?.history.some((entry) => entry.event === 'approval_grouped')).toBe(true);

    // Deployed; a new group started; the killed Notify is retried with the same token.
    await askedAt(deps, at(390), 'd-next', 'checkout-api-d-next-5xx');
    deps.clock = () => new Date(at(420));
    await notifyStep({ trigger: second, approvalRequest: { taskToken: 'd-second' } }, deps);

    const sent: EscalationMessage[] = [];
    for (const when of [at(480), at(780), at(1080)]) {
      await sendDueDigests(
        {
          digests, incidents: deps.incidents, clock: () => new Date(when), logger: deps.logger, metrics: deps.metrics,
          escalations: { publish: async (message) => (sent.push(message), { messageId: `m-${sent.length}` }) },
        },
        { maxPerRun: 10, lookbackHours: 48 },
      );
    }
    const asked = [...mailedTokens(published), ...sent.flatMap(commandTokens)];
    expect(asked.filter((token) => token === 'd-second')).toEqual(['d-second']);
  }, 60_000);
});

/*
 * The 3 s wait for a holder between its problem's claim and its asking fact (`holderAsking`, shared/notify/approval-
 * groups.ts) under a slow store: a live holder whose group record takes 4 s (a throttled DynamoDB write with the SDK's
 * retries and backoff) is taken to have died, and the second ALARM of its alarm takes the claim over and is e-mailed at
 * once (the approval group's lead). The holder goes on, joins that group and is e-mailed again by its digest at the
 * group's end: on-call is asked twice for one problem, and an answer to either is not carried to the other. README:
 * "past that, the open one is taken to have died there" — but it had not (session 43 review defect 1, by a slow store).
 */
describe('attack 46a: a live holder slower than the 3 s wait', () => {
  it('A4: e-mails on-call once: the second ALARM is counted on the holder that decides after 4 s', async () => {
    const { deps, published } = checkoutRunbookDeps();
    const holderAt = '2026-11-21T10:03:12.000Z';
    const holderId = alarmTriggerAt(holderAt).incidentId;
    const { paused, release } = pauseLedgerRecord(deps, (occurrence) => occurrence.key === 'approval-group' && occurrence.incidentId === holderId);
    const holder = askedAt(deps, holderAt, 'slow-1');
    await vi.waitFor(() => expect(paused()).toBe(true));

    // The holder's write answers 4 s after the second ALARM first reads it (on the steps' clock: session 45).
    releaseAfterFirstRead(deps, holderId, 4_000, release);
    const second = await askedAt(deps, '2026-11-21T10:03:41.000Z', 'slow-2');
    release();
    await holder;

    expect(mailedTokens(published)).toEqual(['slow-1']);
    expect((await deps.incidents.get(second.incidentId))?.notifications.at(-1)?.detail).toMatch(/^counted on the open approval request/);
  }, 30_000);
});
