import { describe, expect, it } from 'vitest';
import { snsMessageAttributes } from '../../../shared/adapters/sns.js';
import { type AlarmDetails, newIncident } from '../../../shared/domain/incident.js';
import { requestMember } from '../../../shared/notify/approval-group-mail.js';
import type { EscalationDigest, EscalationDigests, EscalationMessage } from '../../../shared/ports.js';
import { sendDueDigests } from '../../../shared/reconcile/digests.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore } from '../../support/memory-store.js';

/*
 * The sending side of grouped approval requests (shared/notify/approval-group-mail.ts, shared/reconcile/digests.ts),
 * over an in-memory ledger and incident store, with requests whose alarms share their message attributes but `alarm`
 * (the only requests an e-mail may carry together). Attack pass 44a, session 42.
 */

const START = '2026-11-20T10:00:00.000Z';
const END = '2026-11-20T10:05:00.000Z';
/** SNS's limit on a Publish (message, subject and attributes): 256 KiB. */
const SNS_MAX_BYTES = 256 * 1024;
/** What SNS is given, as the SNS publisher builds it (shared/adapters/sns.ts). */
const snsBytes = (m: EscalationMessage) =>
  Buffer.byteLength(m.chat ? JSON.stringify({ default: JSON.stringify(m.chat), email: m.message }) : m.message) + Buffer.byteLength(m.subject) +
  Object.entries(snsMessageAttributes(m.attributes)).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(`${v.DataType}${v.StringValue}`), 0);
const tokensOf = (messages: EscalationMessage[]) => messages.flatMap((m) => [...m.message.matchAll(/send-task-success .*?--task-token '([^']+)'/g)].map((t) => t[1]!));
const counts = (tokens: string[]) => tokens.reduce<Record<string, number>>((all, t) => ({ ...all, [t]: (all[t] ?? 0) + 1 }), {});

/** A composite alarm whose texts are as long as the event schema lets them be, of dotted hosts (defanged to `[.]`). */
function alarm(name: string, account = '123456789012', size: 'small' | 'bound' = 'small'): AlarmDetails {
  const dotted = (chars: number) => `http://${'a.'.repeat(chars)}`.slice(0, chars);
  const big = size === 'bound';
  return {
    name, arn: `arn:aws:cloudwatch:us-east-1:${account}:alarm:${name}`, account, region: 'us-east-1', state: 'ALARM', previousState: 'OK',
    reason: big ? dotted(4000) : 'Threshold crossed', stateChangedAt: START, metric: null, namespace: null, threshold: null, kind: 'composite',
    description: big ? dotted(2000) : null, rule: big ? `ALARM(${dotted(2030)})` : 'ALARM(child)', children: big ? Array.from({ length: 70 }, (_, i) => `${dotted(200)}${i}`) : ['child'],
  };
}

/** One digest of an approval group in memory, keeping what its claims recorded as published, as the ledger does. */
function groupDigest(members: string[]) {
  const published = new Set<string>();
  let claimed = false;
  let done = false;
  let markFails = 0;
  const entry = { problemKey: `approval-group:${START}:digest`, windowStart: START, dueAt: END };
  const digests: EscalationDigests = {
    async due() {
      return done ? [] : [{ ...entry }];
    },
    async claim() {
      if (claimed || done) return null;
      claimed = true;
      return { ...entry, label: 'approval requests', repeats: members.length, total: members.length + 1, firstSeen: START, lastSeen: START, lastIncidentId: null, members, publishedMessages: [...published], claim: 'c' } satisfies EscalationDigest;
    },
    async sent() {
      if (markFails-- > 0) throw new Error('Task timed out');
      done = true;
    },
    async release() {
      claimed = false;
    },
    async messagePublished(_digest, key) {
      published.add(key);
    },
    async retry() {
      // The run that failed let its claim go (its lease ran out) by the time the next run comes.
      claimed = false;
      return true;
    },
    async abandon() {
      done = true;
    },
  };
  return { digests, dieAtMarkOnce: () => void (markFails = 1) };
}

async function setup(requests: Array<{ token: string; alarm: AlarmDetails; category?: 'infrastructure' }>) {
  const incidents = createMemoryStore();
  const members: string[] = [];
  for (const [i, request] of requests.entries()) {
    const id = `i-${i}`;
    await incidents.create(
      newIncident({
        id, source: 'cloudwatch', status: 'awaiting_approval', alarm: request.alarm, ...(request.category ? { category: request.category } : {}), plan: { action: 'run_runbook' } as never,
        approval: { status: 'pending', taskToken: request.token, requestedAt: START, expiresAt: '2026-11-20T11:00:00.000Z', decidedAt: null, decidedBy: null, reason: null },
      }, new Date(START)),
      null,
      { source: 'cloudwatch', incidentId: id },
    );
    members.push(requestMember(id, request.token));
  }
  const memory = groupDigest(members.sort());
  const sent: EscalationMessage[] = [];
  let publishes = 0;
  const failing = new Set<number>();
  const run = (at: string) =>
    sendDueDigests(
      {
        digests: memory.digests,
        incidents,
        escalations: {
          publish: async (message) => {
            publishes += 1;
            if (failing.has(publishes)) throw new Error('Throttling: Rate exceeded');
            if (snsBytes(message) > SNS_MAX_BYTES) throw new Error('InvalidParameter: Message too long');
            sent.push(message);
            return { messageId: `m-${sent.length}` };
          },
        },
        clock: () => new Date(at),
        logger: silentLogger,
        metrics: { count() {}, measure() {} },
      },
      { maxPerRun: 10, lookbackHours: 48 },
    );
  const decide = async (token: string) => {
    const index = requests.findIndex((r) => r.token === token);
    const incident = await incidents.get(`i-${index}`);
    await incidents.update(`i-${index}`, { approval: { ...incident!.approval!, status: 'rejected', decidedAt: '2026-11-20T10:07:00.000Z', decidedBy: 'on-call', reason: 'no' } });
  };
  return { run, sent, decide, failPublish: (n: number) => failing.add(n), memory };
}

describe('the e-mails of an approval group', () => {
  it("keeps each e-mail within SNS's 256 KB: requests whose alarm texts are at the schema's bounds are split by bytes", async () => {
    const s = await setup(Array.from({ length: 10 }, (_, i) => ({ token: `big-${i}`, alarm: alarm('checkout-api-5xx', undefined, 'bound') })));
    await s.run('2026-11-20T10:06:00.000Z');
    console.log('bytes per e-mail:', s.sent.map(snsBytes));
    expect(counts(tokensOf(s.sent))).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`big-${i}`, 1])));
    expect(s.sent.length).toBeGreaterThan(1);
  });

  it('e-mails a request over the bytes of an e-mail alone, and the others without it', async () => {
    const huge = { ...alarm('checkout-api-5xx'), description: 'x'.repeat(150_000) };
    const s = await setup([{ token: 'small-1', alarm: alarm('checkout-api-5xx') }, { token: 'huge', alarm: huge }, { token: 'small-2', alarm: alarm('checkout-api-5xx') }]);
    await s.run('2026-11-20T10:06:00.000Z');
    expect(s.sent.map((m) => tokensOf([m]))).toEqual([['small-1'], ['huge'], ['small-2']]);
    expect(s.sent[1]!.subject).toMatch(/\(2 of 3\)$/);
  });

  it("e-mails requests together only under equal attributes but `alarm`, which lists each e-mail's alarms", async () => {
    const s = await setup([
      { token: 'pay-1', alarm: alarm('payments-5xx') },
      { token: 'search-1', alarm: alarm('search-5xx') },
      { token: 'pay-2', alarm: alarm('payments-5xx') },
      { token: 'pay-other-account', alarm: alarm('payments-5xx', '210987654321') },
      { token: 'pay-other-region', alarm: { ...alarm('payments-5xx'), region: 'eu-west-1' } },
      { token: 'search-other-category', alarm: alarm('search-5xx'), category: 'infrastructure' },
    ]);
    await s.run('2026-11-20T10:06:00.000Z');
    const routed = s.sent.map((m) => ({ tokens: tokensOf([m]).sort(), ...m.attributes }));
    const shared = { severity: 'high', source: 'cloudwatch', category: 'unknown', account: '123456789012', region: 'us-east-1', kind: 'approval-group' };
    expect(routed).toHaveLength(4);
    expect(routed).toEqual(expect.arrayContaining([
      { ...shared, tokens: ['pay-1', 'pay-2', 'search-1'], alarm: ['payments-5xx', 'search-5xx'] },
      { ...shared, tokens: ['pay-other-account'], alarm: ['payments-5xx'], account: '210987654321' },
      { ...shared, tokens: ['pay-other-region'], alarm: ['payments-5xx'], region: 'eu-west-1' },
      { ...shared, tokens: ['search-other-category'], alarm: ['search-5xx'], category: 'infrastructure' },
    ]));
  });

  it('asks each request once when its second e-mail is throttled and one request of the first is answered before the retry', async () => {
    const s = await setup(Array.from({ length: 12 }, (_, i) => ({ token: `t-${i}`, alarm: alarm('checkout-api-5xx') })));
    s.failPublish(2);
    await s.run('2026-11-20T10:06:00.000Z');
    expect(tokensOf(s.sent)).toHaveLength(10);
    await s.decide(tokensOf(s.sent)[0]!);
    await s.run('2026-11-20T10:12:00.000Z');
    expect(counts(tokensOf(s.sent))).toEqual(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`t-${i}`, 1])));
  });

  it('asks each request once when the sender died after its publish and one request was answered before the next claim', async () => {
    const s = await setup(Array.from({ length: 3 }, (_, i) => ({ token: `d-${i}`, alarm: alarm('checkout-api-5xx') })));
    s.memory.dieAtMarkOnce();
    await s.run('2026-11-20T10:06:00.000Z');
    expect(tokensOf(s.sent).sort()).toEqual(['d-0', 'd-1', 'd-2']);
    await s.decide('d-1');
    await s.run('2026-11-20T10:18:00.000Z');
    expect(counts(tokensOf(s.sent))).toEqual({ 'd-0': 1, 'd-1': 1, 'd-2': 1 });
  });
});
