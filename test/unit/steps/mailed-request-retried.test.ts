import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../../shared/steps/notify.js';
import { alarmTriggerAt, askedAt, checkoutRunbookDeps, diedAfterPublish, failingPublish, mailedTokens, throttleRequestRecord } from '../../support/alarm-approvals.js';

/*
 * Session 42, gap 2. An approval request e-mailed to on-call by Notify
 * (AwaitApproval, `lambda:invoke.waitForTaskToken`) whose attempt then fails (here the request's last write, the
 * record of the e-mail: throttled, the write budget, a Lambda timeout) is retried by the state machine with a new
 * task token, as Step Functions gives a retried attempt. The path: requestApproval -> mailApprovalRequest ->
 * publishApprovalRequest published the e-mail with token-1 (its ledger item is per token), then
 * `incidents.update(notifications, approval_requested)` threw; the retry (token-2) writes the approval pending with
 * token-2 and, its ledger item being another token's, e-mails a second request. The first e-mail's commands
 * (`aws stepfunctions send-task-success --task-token token-1`) go to Step Functions directly, which refuses the spent
 * token: the guard never sees that answer, so the carried-decision rule (shared/remediation/approval-resume.ts), which
 * works on decisions the guard records, cannot reach it. On-call, told the task does not exist, may not answer the
 * second e-mail: the wait then times out and pages although on-call answered.
 * Fixed (session 42): the write is tried again in place on a transient failure, so a throttle spends no token; a
 * failure that outlasts those tries still fails the attempt, and its retry's e-mail says at its top that it replaces
 * the earlier one, whose commands no longer work (known from the earlier token's escalation-ledger item, written
 * before the publish, not from the write that failed).
 */
const runbookDeps = checkoutRunbookDeps;

describe('an e-mailed approval request whose Notify is retried after it e-mailed', () => {
  it("leaves on-call only e-mails whose commands answer the execution's wait when the write is throttled once", async () => {
    const { deps, published } = runbookDeps();
    throttleRequestRecord(deps, 1);

    // Act: the request with token-1; if its attempt fails, the state machine's retry asks with token-2.
    let waitsOn = 'token-1';
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1').then(() => null, (error: unknown) => error);
    if (first) {
      waitsOn = 'token-2';
      deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
      await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: waitsOn } }, deps);
    }

    // Required: every e-mail on-call holds answers the wait the execution is in.
    expect(mailedTokens(published).length).toBeGreaterThan(0);
    expect(mailedTokens(published).every((token) => token === waitsOn)).toBe(true);
  });

  it("says at the top of the retry's e-mail, and its chat message, that it replaces the earlier request and that the earlier commands no longer work", async () => {
    const { deps, published } = runbookDeps();
    // Throttled for as long as the first attempt lasts: it fails after it e-mailed, and its retry asks with token-2.
    const throttled = throttleRequestRecord(deps);
    await expect(askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1')).rejects.toThrow('Rate exceeded');
    throttled.heal();

    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-2' } }, deps);

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
    const retried = published[1]!;
    const top = retried.message.split('\n')[0]!;
    expect(top).toMatch(/REPLACES the earlier approval request e-mailed at 2026-11-20T10:03:12\.000Z for incident \S+/);
    expect(top).toMatch(/its commands no longer work \(Step Functions refuses them: TaskTimedOut or InvalidToken\): answer this one/);
    expect(retried.chat?.content.description.split('\n')[0]).toBe(top);
    expect(published[0]!.message).not.toContain('REPLACES');
    // Seen in the inbox list, beside the earlier one's subject.
    expect(retried.subject).toMatch(/^\[Pipeline Guard\] \[REPLACES EARLIER\] /);
    expect(published[0]!.subject).not.toContain('REPLACES');
  });

  // Session 43: the function died after its publish went out and before the ledger marked it published (killed here
  // by a mark that never answers). Before, the retry said nothing of the earlier e-mail on-call held, whose commands
  // no longer work; the intent, marked before the publish, now makes it say it may replace one.
  it('says the retry may replace an earlier e-mail when the attempt died between its publish and the publish mark', async () => {
    const { deps, published } = runbookDeps();
    await diedAfterPublish(deps, published, '2026-11-20T10:03:12.000Z', 'token-1');

    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-2' } }, deps);

    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
    const retried = published[1]!;
    const top = retried.message.split('\n')[0]!;
    expect(top).toMatch(/may REPLACE an earlier approval request for incident \S+ that may or may not have been e-mailed \(at 2026-11-20T10:03:12\.000Z\)/);
    expect(top).toMatch(/if you got it, its commands no longer work \(Step Functions refuses them: TaskTimedOut or InvalidToken\): answer this one/);
    expect(retried.chat?.content.description.split('\n')[0]).toBe(top);
    expect(retried.subject).toMatch(/^\[Pipeline Guard\] \[MAY REPLACE EARLIER\] /);
  });

  it('says nothing is replaced when the failed attempt e-mailed nothing (its publish failed)', async () => {
    const { deps, published } = runbookDeps();
    const sns = failingPublish(deps);
    // The first attempt wrote its approval pending with token-1, then e-mailed nothing (and took its publish mark back).
    await expect(askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1')).rejects.toThrow('SNS is down');
    sns.heal();

    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-2' } }, deps);

    expect(mailedTokens(published)).toEqual(['token-2']);
    expect(published[0]!.message).not.toContain('REPLACES');
    expect(published[0]!.message).not.toMatch(/replace/i);
    expect(published[0]!.subject).not.toMatch(/replace/i);
  });
});
