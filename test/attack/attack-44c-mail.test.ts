import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../shared/steps/notify.js';
import { alarmTriggerAt, askedAt, checkoutRunbookDeps, failingPublish, mailedTokens, throttleRequestRecord } from '../support/alarm-approvals.js';

/* Attack pass 44c on session 42's retried e-mailed approval request (B). */

const runbookDeps = checkoutRunbookDeps;

describe('attack-44c B: the request record tried again in place', () => {
  // attack-44c finding S5 (fixed, session 42): the approval request's record is a list_append of its notifications and history; a write that landed but answered a transient error (a DynamoDB timeout after the commit) is tried again in place and appends the e-mail's notification record a second time (recordApprovalRequested's comment says only the history entry repeats): the incident says the request was published twice
  it('records the e-mailed request once when the write that landed is tried again in place', async () => {
    const { deps, published } = runbookDeps();
    const update = deps.incidents.update.bind(deps.incidents);
    let landedThenFailed = false;
    deps.incidents.update = async (id, fields, append, options) => {
      const written = await update(id, fields, append, options);
      if (!landedThenFailed && append?.history?.some((entry) => entry.event === 'approval_requested')) {
        landedThenFailed = true;
        // The write reached DynamoDB; its answer did not reach the function.
        throw Object.assign(new Error('Request timed out'), { name: 'TimeoutError', $retryable: {} });
      }
      return written;
    };
    const trigger = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const incident = await deps.incidents.get(trigger.incidentId);
    const mails = incident?.notifications.filter((n) => n.target === 'escalation-topic' && n.outcome === 'published') ?? [];
    console.log('S5 e-mails sent', mailedTokens(published), '| publish records on the incident', mails.length, JSON.stringify(mails));
    expect(landedThenFailed).toBe(true);
    expect(mailedTokens(published)).toEqual(['token-1']);
    expect(mails).toHaveLength(1);
  });
  // Session 43: the read-back before the second try does not see a write still in flight (it timed out on the
  // function's side but reaches DynamoDB after the read): the second try appended the request's records again.
  it('records the e-mailed request once when the write that timed out lands after the second try read the incident', async () => {
    const { deps, published } = runbookDeps();
    const { update, get } = { update: deps.incidents.update.bind(deps.incidents), get: deps.incidents.get.bind(deps.incidents) };
    let inFlight: (() => Promise<unknown>) | null = null;
    let landedLate = false;
    // The write in flight lands right after the store answers its next call (the read-back, or the second try).
    const thenLand = async <T>(call: Promise<T>): Promise<T> => {
      const answer = await call;
      const land = inFlight;
      inFlight = null;
      if (land) {
        await land();
        landedLate = true;
      }
      return answer;
    };
    deps.incidents.update = async (...args) => {
      if (!landedLate && !inFlight && args[2]?.history?.some((entry) => entry.event === 'approval_requested')) {
        inFlight = () => update(...args);
        throw Object.assign(new Error('Request timed out'), { name: 'TimeoutError', $retryable: {} });
      }
      return thenLand(update(...args));
    };
    deps.incidents.get = (id) => thenLand(get(id));
    const trigger = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const incident = await get(trigger.incidentId);
    const mails = incident?.notifications.filter((n) => n.target === 'escalation-topic' && n.outcome === 'published') ?? [];
    expect(landedLate).toBe(true);
    expect(mailedTokens(published)).toEqual(['token-1']);
    expect(mails).toHaveLength(1);
    expect(incident?.history.filter((entry) => entry.event === 'approval_requested')).toHaveLength(1);
  });
});

describe('attack-44c B: REPLACES when the earlier attempt e-mailed nothing', () => {
  // attack-44c finding S6 (fixed, session 42): the ledger item of the earlier token is claimed (lastSentAt, sends 1) before the publish; when the publish fails and giving the claim back fails too (or the function dies between the claim and the publish), the retry's e-mail says it REPLACES an "earlier approval request e-mailed at …" that on-call never received
  it('says nothing is replaced when the earlier publish failed and its claim could not be given back', async () => {
    const { deps, published } = runbookDeps();
    const sns = failingPublish(deps);
    const unsent = deps.escalationLedger.unsent.bind(deps.escalationLedger);
    deps.escalationLedger.unsent = async (occurrence) => {
      if (sns.down) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return unsent(occurrence);
    };
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1').then(() => null, (error: unknown) => error);
    console.log('S6 first attempt', String(first));
    sns.heal();

    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-2' } }, deps);
    console.log('S6 e-mails', mailedTokens(published), '| subject', published.map((p) => p.subject), '| top', published.map((p) => p.message.split('\n')[0]));
    expect(first).not.toBeNull();
    expect(mailedTokens(published)).toEqual(['token-2']);
    expect(published[0]!.message).not.toContain('REPLACES');
    // Nor that it may replace one (session 43: the mark written before the publish is taken back when it fails).
    expect(published[0]!.message).not.toMatch(/replace/i);
  });
});

describe('attack-44c B: the REPLACES subject', () => {
  // attack-44c finding S9 (fixed, session 42): "[REPLACES EARLIER REQUEST] " takes 27 of the subject's 100 characters, and a subject is cut before the last space: a 60-character alarm name (no spaces, as alarm names are) fits the first request's subject but not the retry's, which is cut to "[Pipeline Guard] [REPLACES EARLIER REQUEST] [ALARM]": the one e-mail on-call must answer does not say, in the inbox, which alarm's request it replaces
  it("names the alarm in the retried request's subject when it named it in the first's", async () => {
    const { deps, published } = runbookDeps();
    const name = 'checkout-api-prod-eu-west-1-orders-service-5xx-error-rate-p99';
    const throttled = throttleRequestRecord(deps);
    await expect(askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1', name)).rejects.toThrow('Rate exceeded');
    throttled.heal();
    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z', name), approvalRequest: { taskToken: 'token-2' } }, deps);
    console.log(`S9 name ${name.length} chars; subjects:`, published.map((p) => `${p.subject} (${p.subject.length})`));
    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
    expect(published[0]!.subject).toContain(name);
    expect(published[1]!.subject.length).toBeLessThanOrEqual(100);
    expect(published[1]!.subject).toContain('REPLACES');
    expect(published[1]!.subject).toContain('checkout-api-prod');
  });
});
