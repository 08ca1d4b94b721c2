import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-vote-stale-applier');
const T0 = new Date('2026-11-03T09:00:00.000Z');
let documents: DynamoDBDocumentClient;
beforeAll(() => {
  documents = scratch.store.documents();
});

type Write = { input?: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string>; Key?: { pk?: string } } };

/** The client, holding the first write that `matches` (a regular expression: its update expression) until `release()`; `reached` when it is held. */
function stallingClient(client: DynamoDBDocumentClient, matches: RegExp | ((command: Write) => boolean)) {
  const test = typeof matches === 'function' ? matches : (command: Write) => matches.test(command.input?.UpdateExpression ?? '');
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let markReached!: () => void;
  const reached = new Promise<void>((resolve) => (markReached = resolve));
  let held = false;
  const send = async (command: Write) => {
    if (!held && test(command)) {
      held = true;
      markReached();
      await gate;
    }
    return client.send(command as never);
  };
  return { client: new Proxy(client, { get: (t, n) => (n === 'send' ? send : Reflect.get(t, n)) }), release, reached };
}

async function counters(id: string) {
  const item = (await documents.send(new GetCommand({ TableName: 'incidents', Key: { pk: `INCIDENT#${id}`, sk: 'INCIDENT' }, ConsistentRead: true }))).Item ?? {};
  return { up: Number(item.feedbackUp ?? 0), down: Number(item.feedbackDown ?? 0) };
}

describe('a live applier slower than the next vote’s 750 ms wait', () => {
  it('adds nothing on the incident’s own counters once the same user’s next change has been counted', async () => {
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
    const incident = newIncident({ id: 'gh-1-777-1', source: 'github', repository: 'acme/app', runId: 777, runAttempt: 1, fromFork: false, runEvent: 'push' } as never, T0);
    await incidents.create(incident, null);
    const stored = (await incidents.get(incident.id)) as Incident;

    // A: maya's 👍 is recorded (outbox written), then its applier stalls before the tally's ADD (GC pause, throttled retries…).
    const slow = stallingClient(documents, /ADD feedbackUp/);
    const a = learningOn(slow.client, () => T0).onFeedback(stored, 'up', 'maya', null, { via: 'command', writtenAt: T0.toISOString() });
    await slow.reached;

    // B: maya's 👎 a second later; after 50+100+200+400 ms it finishes A's change itself, then records and applies its own.
    const later = new Date(T0.getTime() + 1_000);
    await learningOn(documents, () => later).onFeedback(stored, 'down', 'maya', null, { via: 'command', writtenAt: later.toISOString() });
    expect(await counters(incident.id)).toEqual({ up: 0, down: 1 });

    // A resumes: the user's mark on the incident is B's change's sequence number now, later than A's, so A's ADD fails
    // its condition and A stops.
    slow.release();
    await a;
    // One voter, standing 👎.
    expect(await counters(incident.id)).toEqual({ up: 0, down: 1 });
  });
});

/** A write marking `step` done on a vote item's pending change. */
const marking = (step: string) => (command: Write) => /SET #pending\.#done\.#step/.test(command.input?.UpdateExpression ?? '') && command.input?.ExpressionAttributeNames?.['#step'] === step;

describe('two appliers on one change', () => {
  it('stops the one that finds its step marked done by the other, so the knowledge entry moves once for it', async () => {
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
    const incident = newIncident({ id: 'gh-1-778-1', source: 'github', repository: 'acme/app', repositoryId: 1, runId: 778, runAttempt: 1, fromFork: false, runEvent: 'push', fingerprint: 'c0ffee0778' } as never, T0);
    await incidents.create(incident, null);
    const stored = (await incidents.get(incident.id)) as Incident;
    // Every write to the knowledge entry's counters (the entry step), whichever applier makes it.
    let entryWrites = 0;
    const counting = new Proxy(documents, {
      get: (target, name) =>
        name === 'send'
          ? (command: Write) => {
              if (command.input?.Key?.pk === 'KB#c0ffee0778' && /feedbackUp|#up/.test(command.input?.UpdateExpression ?? '')) entryWrites += 1;
              return documents.send(command as never);
            }
          : Reflect.get(target, name),
    });

    // A: maya's 👍 tallied on the incident, then its applier stalls before marking the tally done.
    const a = stallingClient(counting, marking('tally'));
    const first = learningOn(a.client, () => T0).onFeedback(stored, 'up', 'maya', null, { via: 'command', writtenAt: T0.toISOString() });
    await a.reached;

    // B: maya's 👎 a second later finishes A's change (its tally adds nothing: A's mark is there), moves the entry and
    // stalls before marking that done.
    const later = new Date(T0.getTime() + 1_000);
    const b = stallingClient(counting, marking('entry'));
    const second = learningOn(b.client, () => later).onFeedback(stored, 'down', 'maya', null, { via: 'command', writtenAt: later.toISOString() });
    await b.reached;
    expect(entryWrites).toBe(1);

    // A resumes: the tally is marked done already, so it stops before the entry; then B finishes, and applies its 👎.
    a.release();
    await first;
    expect(entryWrites).toBe(1);
    b.release();
    await second;

    // Assert: the entry moved once for each change, the incident's counters by the standing 👎 alone.
    expect(entryWrites).toBe(2);
    expect(await counters(incident.id)).toEqual({ up: 0, down: 1 });
  });
});
